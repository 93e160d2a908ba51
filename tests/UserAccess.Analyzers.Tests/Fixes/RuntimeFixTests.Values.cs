using System;
using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.Runtime;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

/// <summary>The fixes that check a value before or after a user access, run on the backends where the value matters.</summary>
public partial class RuntimeFixTests
{
    /// <summary>xchg_user_64() of the UMCG RFC (2021): no alignment check, and fault-in and retry on any -EFAULT.</summary>
    private const string UmcgXchg64Shape = """
        namespace Sim;

        public static class Umcg
        {
            public static int XchgUser64(UserPtr<ulong> uaddr, ulong newval, out ulong oldval)
            {
                oldval = 0;

                while (true)
                {
                    int ret;
                    ulong @out;

                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, newval, out @out);
                    PagefaultEnable();

                    if (ret == 0)
                    {
                        oldval = @out;
                        return 0;
                    }

                    if (ret != -EFAULT)
                        return -EFAULT;

                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        return -EFAULT;
                }
            }
        }
        """;

    [Fact]
    public async Task UA3001MisalignedExchangeSpinsOnArm64AndTheFixedCodeReturnsEinval()
    {
        // arm64's alignment fault is -EFAULT with the page present: fault-in succeeds and the loop goes round for ever.
        var buggy = Exchange64(Load(FixHarness.Usings + UmcgXchg64Shape), offset: 4);
        Assert.Equal(TaskStruct.Killed, buggy.Return);
        Assert.Equal(ReportKind.Livelock, Assert.Single(buggy.Reports).Kind);
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(UserBytes(buggy.Mm, buggy.Word, 8)));

        var fixedSource = await FixAsync<UA3001UnalignedUserAtomicAnalyzer, UA3001UnalignedUserAtomicCodeFix>(UmcgXchg64Shape);
        var misaligned = Exchange64(Load(fixedSource), offset: 4);
        Assert.Empty(misaligned.Reports);
        Assert.Equal(-Errno.EINVAL, misaligned.Return);
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(UserBytes(misaligned.Mm, misaligned.Word, 8)));

        var aligned = Exchange64(Load(fixedSource), offset: 8);
        Assert.Empty(aligned.Reports);
        Assert.Equal(0, aligned.Return);
        Assert.Equal(0x1122334455667788UL, (ulong)aligned.Call.Arguments[2]!);
        Assert.Equal(7UL, BitConverter.ToUInt64(UserBytes(aligned.Mm, aligned.Word, 8)));
    }

    /// <summary>The exchange of 7 into a u64 holding 0x1122334455667788 at <paramref name="offset"/> of a present page, on arm64.</summary>
    private static (long Return, System.Collections.Generic.IReadOnlyList<Report> Reports, Mm Mm, UserPtr Word, Call Call) Exchange64(System.Reflection.Assembly assembly, int offset)
    {
        UserPtr word = default;
        var call = CallOn(Arch.Arm64, assembly, "Sim.Umcg", "XchgUser64", mm =>
        {
            var page = mm.Mmap(4096, Prot.Read | Prot.Write);
            word = page + offset;
            mm.UserWrite(word, BitConverter.GetBytes(0x1122334455667788UL));
            return new object?[] { word.Cast<ulong>(), 7UL, null };
        });
        return (call.Return, call.Reports, call.Mm, word, call);
    }

    /// <summary>
    /// sys_arc_usr_cmpxchg() as added in 2016 (arch/arc/kernel/process.c): the <c>__put_user()</c> under
    /// <c>preempt_disable()</c> fails on a page that is not writable yet, and Z still says success.
    /// </summary>
    private const string ArcUsrCmpxchgShape = """
        namespace Sim;

        public sealed class PtRegs
        {
            public const int STATUS_Z_MASK = 1 << 11;

            public int Status32;
        }

        public static class Arc
        {
            public static int ArcUsrCmpxchg(UserPtr<int> uaddr, int expected, int newval, PtRegs regs)
            {
                int uval = -EFAULT;

                // Z indicates to userspace if operation succeeded
                regs.Status32 &= ~PtRegs.STATUS_Z_MASK;

                if (!AccessOk(uaddr, sizeof(int)))
                    return -EFAULT;

                PreemptDisable();

                if (GetUserUnchecked(out uval, uaddr) != 0)
                    goto done;

                if (uval == expected)
                {
                    PutUserUnchecked(newval, uaddr);
                    regs.Status32 |= PtRegs.STATUS_Z_MASK;
                }

            done:
                PreemptEnable();

                return uval;
            }
        }
        """;

    [Fact]
    public async Task UA5001ArcCmpxchgOnTheZeroPageClaimsSuccessAndTheFixedCodeReturnsTheError()
    {
        var buggy = CmpxchgOnTheZeroPage(Load(FixHarness.Usings + ArcUsrCmpxchgShape));
        Assert.Empty(buggy.Call.Reports);
        Assert.Equal(0, buggy.Call.Return);
        Assert.True(buggy.Z);
        Assert.Equal(0, buggy.Seen);

        var fixedSource = await FixAsync<UA5001IgnoredResultAnalyzer, UA5001IgnoredResultCodeFix>(ArcUsrCmpxchgShape);
        Assert.Contains("uval = ret;", fixedSource);

        // The lesson only: user space is told the exchange did not happen. The kernel's fix (commit
        // e8708786d4fe) also faults the page in writeable with preemption enabled and retries, which
        // makes the same call succeed; that is a retry loop the rule's fix does not write.
        var result = CmpxchgOnTheZeroPage(Load(fixedSource));
        Assert.Empty(result.Call.Reports);
        Assert.Equal(-Errno.EFAULT, result.Call.Return);
        Assert.False(result.Z);
        Assert.Equal(0, result.Seen);
    }

    /// <summary>The cmpxchg of 0 to 0x12345678 on ARC, of a word user space has only read: the page is the shared zero page.</summary>
    private static (Call Call, bool Z, int Seen) CmpxchgOnTheZeroPage(System.Reflection.Assembly assembly)
    {
        UserPtr word = default;
        object? regs = null;
        var call = CallOn(Arch.Arc, assembly, "Sim.Arc", "ArcUsrCmpxchg", mm =>
        {
            word = mm.Mmap(4096, Prot.Read | Prot.Write) + 0x40;
            UserBytes(mm, word, 4);
            Assert.Equal(PageState.ZeroPage, mm.GetPageState(word));
            regs = Activator.CreateInstance(assembly.GetType("Sim.PtRegs")!);
            return new object?[] { word.Cast<int>(), 0, 0x12345678, regs };
        });
        int status32 = (int)regs!.GetType().GetField("Status32")!.GetValue(regs)!;
        return (call, (status32 & (1 << 11)) != 0, BitConverter.ToInt32(UserBytes(call.Mm, word, 4)));
    }
}
