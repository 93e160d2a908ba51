using System;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.Runtime;
using UserAccess.Runtime.Exploration;
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
        Assert.Equal(TaskStruct.Killed, buggy.Call.Return);
        Assert.Equal(ReportKind.Livelock, Assert.Single(buggy.Call.Reports).Kind);
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(UserBytes(buggy.Call.Mm, buggy.Word, 8)));

        var fixedSource = await FixAsync<UA3001UnalignedUserAtomicAnalyzer, UA3001UnalignedUserAtomicCodeFix>(UmcgXchg64Shape);
        var misaligned = Exchange64(Load(fixedSource), offset: 4);
        Assert.Empty(misaligned.Call.Reports);
        Assert.Equal(-Errno.EINVAL, misaligned.Call.Return);
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(UserBytes(misaligned.Call.Mm, misaligned.Word, 8)));

        var aligned = Exchange64(Load(fixedSource), offset: 8);
        Assert.Empty(aligned.Call.Reports);
        Assert.Equal(0, aligned.Call.Return);
        Assert.Equal(0x1122334455667788UL, (ulong)aligned.Call.Arguments[2]!);
        Assert.Equal(7UL, BitConverter.ToUInt64(UserBytes(aligned.Call.Mm, aligned.Word, 8)));
    }

    [Fact]
    public async Task UA3001CheckedExchangeExploresCleanWithMisalignedVariantsWhereTheBuggyLoopSpins()
    {
        var fixedSource = await FixAsync<UA3001UnalignedUserAtomicAnalyzer, UA3001UnalignedUserAtomicCodeFix>(UmcgXchg64Shape);
        Assert.Contains(Explorer.Run(MaybeMisalignedExchange64(Load(FixHarness.Usings + UmcgXchg64Shape))).Failures, f => f.Reports.Any(r => r.Kind == ReportKind.Livelock));
        Explorer.Run(MaybeMisalignedExchange64(Load(fixedSource))).AssertClean();
    }

    /// <summary>The exchange on a u64 at the start of a fresh page, offered to the explorer for misalignment, on every backend.</summary>
    private static ExplorationTarget MaybeMisalignedExchange64(Assembly assembly)
    {
        var xchg = assembly.GetType("Sim.Umcg")!.GetMethod("XchgUser64")!;
        return new ExplorationTarget
        {
            Setup = mm => Explorer.MayMisalign(mm.Mmap(4096, Prot.Read | Prot.Write).Cast<ulong>()),
            Body = uaddr => (int)xchg.Invoke(null, BindingFlags.DoNotWrapExceptions, null, new object?[] { uaddr, 7UL, null }, null)!,
        };
    }

    /// <summary>The exchange of 7 into a u64 holding 0x1122334455667788 at <paramref name="offset"/> of a present page, on arm64.</summary>
    private static (Call Call, UserPtr Word) Exchange64(Assembly assembly, int offset)
    {
        UserPtr word = default;
        var call = CallOn(Arch.Arm64, assembly, "Sim.Umcg", "XchgUser64", mm =>
        {
            var page = mm.Mmap(4096, Prot.Read | Prot.Write);
            word = page + offset;
            mm.UserWrite(word, BitConverter.GetBytes(0x1122334455667788UL));
            return new object?[] { word.Cast<ulong>(), 7UL, null };
        });
        return (call, word);
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
    private static (Call Call, bool Z, int Seen) CmpxchgOnTheZeroPage(Assembly assembly)
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

    /// <summary>
    /// kernel/exit.c, waitid() of v4.13 (CVE-2017-5123): <c>unsafe_put_user()</c> into the user's
    /// <c>siginfo</c> with no <c>access_ok()</c> of it; the fields at constant offsets of one record.
    /// </summary>
    private const string WaitidShape = """
        namespace Sim;

        public static class Waitid
        {
            public static int Fill(UserPtr infop, int signo, int pid, uint uid)
            {
                if (PutUserUnchecked(signo, infop.Cast<int>()) != 0)
                    return -EFAULT;
                if (PutUserUnchecked(pid, (infop + 12).Cast<int>()) != 0)
                    return -EFAULT;
                if (PutUserUnchecked(uid, (infop + 16).Cast<uint>()) != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """;

    // The simulator cannot show what made this a CVE, the write into kernel memory: a kernel address is
    // never reachable through a user pointer, so the field past the user limit fails where the kernel
    // wrote it. What it shows is a record that straddles the limit half written before the failure,
    // where the range check of the whole record refuses it untouched.
    [Fact]
    public async Task UA5003UncheckedRecordAcrossTheUserLimitIsHalfWrittenAndTheCheckedOneIsRefusedWhole()
    {
        var buggy = FillAcrossTheUserLimit(Load(FixHarness.Usings + WaitidShape));
        Assert.Empty(buggy.Call.Reports);
        Assert.Equal(-Errno.EFAULT, buggy.Call.Return);
        Assert.Equal("11000000EEEEEEEEEEEEEEEE", buggy.Tail);

        var fixedSource = await FixAsync<UA5003UncheckedAccessAnalyzer, UA5003UncheckedAccessCodeFix>(WaitidShape);
        Assert.Contains("if (!AccessOk(infop, 20))", fixedSource);
        var result = FillAcrossTheUserLimit(Load(fixedSource));
        Assert.Empty(result.Call.Reports);
        Assert.Equal(-Errno.EFAULT, result.Call.Return);
        Assert.Equal("EEEEEEEEEEEEEEEEEEEEEEEE", result.Tail);
    }

    /// <summary>The siginfo of SIGCHLD (17) at 12 bytes below the user limit of x86-64, the last user page filled with 0xee; the last 12 user bytes after the call, in hex.</summary>
    private static (Call Call, string Tail) FillAcrossTheUserLimit(Assembly assembly)
    {
        UserPtr infop = default;
        var call = CallOn(Arch.X86_64, assembly, "Sim.Waitid", "Fill", mm =>
        {
            ulong limit = mm.Machine.Arch.TaskSize;
            var last = mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, new UserPtr(limit - 4096));
            mm.UserWrite(last, Enumerable.Repeat((byte)0xee, 4096).ToArray());
            infop = new UserPtr(limit - 12);
            return new object?[] { infop, 17, 1234, 1000u };
        });
        return (call, Convert.ToHexString(UserBytes(call.Mm, infop, 12)));
    }

    /// <summary>
    /// drivers/fsi/fsi-scom.c, scom_read() before "drivers/fsi/scom: Return -EFAULT if copy fails": the
    /// bytes <c>copy_to_user()</c> did not copy are returned as the count read.
    /// </summary>
    private const string ScomReadShape = """
        using System;

        namespace Sim;

        public static class Scom
        {
            public static long Read(UserPtr buf, long len, bool dead)
            {
                ulong val = 0x1122334455667788;
                int rc;

                if (len != sizeof(ulong))
                    return -EINVAL;
                rc = dead ? -EBUSY : 0;
                if (rc != 0)
                    return rc;

                rc = CopyToUser(buf, BitConverter.GetBytes(val).AsSpan(0, (int)len));

                return rc != 0 ? rc : len;
            }
        }
        """;

    [Fact]
    public async Task UA5002ShortCopyIsReadAsFourBytesReadAndTheFixedReadReturnsEfault()
    {
        // The register is copied to the last four bytes of a page whose next page is not mapped: the
        // first half arrives, and read(2) says 4 bytes were read, the half that did not.
        var buggy = ReadAcrossAHole(Load(FixHarness.Usings + ScomReadShape));
        Assert.Empty(buggy.Call.Reports);
        Assert.Equal(4, buggy.Call.Return);
        Assert.Equal("88776655", buggy.Arrived);

        var fixedSource = await FixAsync<UA5002BytesNotCopiedMisreadAnalyzer, UA5002BytesNotCopiedMisreadCodeFix>(ScomReadShape);
        Assert.Contains("return rc != 0 ? -EFAULT : len;", fixedSource);
        var result = ReadAcrossAHole(Load(fixedSource));
        Assert.Empty(result.Call.Reports);
        Assert.Equal(-Errno.EFAULT, result.Call.Return);
        Assert.Equal("88776655", result.Arrived);

        var whole = CallOn(Arch.X86_64, Load(fixedSource), "Sim.Scom", "Read", mm => new object?[] { mm.Mmap(4096, Prot.Read | Prot.Write), 8L, false });
        Assert.Equal(8, whole.Return);
        Assert.Equal("8877665544332211", Convert.ToHexString(UserBytes(whole.Mm, (UserPtr)whole.Arguments[0]!, 8)));
    }

    /// <summary>An 8-byte read into the last 4 bytes of a page followed by a hole, on x86-64; the 4 bytes that arrived, in hex.</summary>
    private static (Call Call, string Arrived) ReadAcrossAHole(Assembly assembly)
    {
        UserPtr buf = default;
        var call = CallOn(Arch.X86_64, assembly, "Sim.Scom", "Read", mm =>
        {
            var pages = mm.Mmap(2 * 4096, Prot.Read | Prot.Write);
            mm.Munmap(pages + 4096, 4096);
            buf = pages + 4096 - 4;
            return new object?[] { buf, 8L, false };
        });
        return (call, Convert.ToHexString(UserBytes(call.Mm, buf, 4)));
    }

    /// <summary>
    /// drivers/platform/chrome/cros_ec_dev.c, ec_device_ioctl_xcmd() before 096cdc6f52225 (CVE-2016-6156):
    /// the header is copied and its size checked, the buffer allocated, and the whole command copied
    /// again; what the function goes on with is the second copy's size.
    /// </summary>
    private const string XcmdShape = """
        using System;

        namespace Sim;

        public static class Xcmd
        {
            public static long Ioctl(UserPtr arg)
            {
                const int HDR = 20;
                long ret;
                var uCmd = new byte[HDR];
                byte[] sCmd;

                if (CopyFromUser(uCmd, arg) != 0)
                    return -EFAULT;

                uint outsize = BitConverter.ToUInt32(uCmd, 8);
                if (outsize > 0xfc)
                    return -EINVAL;

                sCmd = Kmalloc((int)(HDR + outsize), Gfp.Kernel);

                if (CopyFromUser(sCmd.AsSpan(0, (int)(HDR + outsize)), arg) != 0)
                {
                    ret = -EFAULT;
                    goto exit;
                }

                ret = BitConverter.ToUInt32(sCmd, 8);
            exit:
                return ret;
            }
        }
        """;

    [Fact]
    public async Task UA3003SecondCopyCarriesTheSizeUserSpaceChangedAndTheFixedIoctlRefusesIt()
    {
        // User space raises outsize from 0x10 to 0x1000 while the buffer for 0x10 is allocated: the
        // driver goes on with a size it never checked (the kernel then overran the buffer).
        var buggy = IoctlWithTheSizeRaisedInTheWindow(Load(FixHarness.Usings + XcmdShape));
        Assert.Empty(buggy.Reports);
        Assert.Equal(0x1000, buggy.Return);

        var fixedSource = await FixAsync<UA3003DoubleFetchAnalyzer, UA3003DoubleFetchCodeFix>(XcmdShape);
        var result = IoctlWithTheSizeRaisedInTheWindow(Load(fixedSource));
        Assert.Empty(result.Reports);
        Assert.Equal(-Errno.EINVAL, result.Return);

        // Left alone, the same command goes through with the size that was checked.
        var untouched = CallOn(Arch.X86_64, Load(fixedSource), "Sim.Xcmd", "Ioctl", mm => new object?[] { Command(mm) });
        Assert.Empty(untouched.Reports);
        Assert.Equal(0x10, untouched.Return);
    }

    /// <summary>The ioctl on a command whose outsize is 0x10, raised to 0x1000 by user space when the kernel allocates.</summary>
    private static Call IoctlWithTheSizeRaisedInTheWindow(Assembly assembly)
    {
        Mm? process = null;
        UserPtr arg = default;
        return CallOn(Arch.X86_64, assembly, "Sim.Xcmd", "Ioctl", mm =>
        {
            process = mm;
            arg = Command(mm);
            return new object?[] { arg };
        }, schedulingPoint: (task, function) =>
        {
            if (function == "kmalloc")
            {
                process!.UserWrite(arg + 8, BitConverter.GetBytes(0x1000u));
            }
        });
    }

    /// <summary>A <c>cros_ec_command</c> header (version, command, outsize 0x10, insize, result) and its 0x10 bytes of data, in a fresh page.</summary>
    private static UserPtr Command(Mm mm)
    {
        var arg = mm.Mmap(4096, Prot.Read | Prot.Write);
        var header = new byte[20 + 0x10];
        BitConverter.GetBytes(0x10u).CopyTo(header, 8);
        mm.UserWrite(arg, header);
        return arg;
    }

    /// <summary>
    /// drivers/misc/mic/vop/vop_vringh.c, vop_ioctl() MIC_VIRTIO_ADD_DEVICE before 9bf292bfca94
    /// (CVE-2016-5728): the descriptor is copied, sized and checked by helpers that only read it, then
    /// memdup_user() fetches it again; the device is added from the second copy.
    /// </summary>
    private const string VopShape = """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Vop
        {
            [MightFault]
            [UserAccess(AccessKind.Read, "src", Size = "len")]
            static byte[]? MemdupUser(UserPtr src, int len)
            {
                var buf = Kmalloc(len, Gfp.Kernel);
                return CopyFromUser(buf, src) != 0 ? null : buf;
            }

            static int DescSize(byte[] dd) => 8 + dd[1] * 24 + dd[2] * 2 + dd[3];

            static int AlignedDescSize(byte[] dd) => (DescSize(dd) + 7) & ~7;

            public static int AddDevice(UserPtr argp)
            {
                var dd = new byte[8];
                if (CopyFromUser(dd, argp) != 0)
                    return -EFAULT;
                if (AlignedDescSize(dd) > 256 || dd[1] > 4)
                    return -EINVAL;
                var ddConfig = MemdupUser(argp, DescSize(dd));
                if (ddConfig == null)
                    return -EFAULT;
                return ddConfig[1];
            }
        }
        """;

    [Fact]
    public async Task UA3003MemdupSeesTheRaisedVringCountAndTheFixedIoctlRefusesIt()
    {
        // User space raises num_vq from 2 to 9 (the limit is 4) while memdup_user() allocates: the device
        // is added with a count that was never checked.
        var buggy = AddDeviceWithTheCountRaisedInTheWindow(Load(FixHarness.Usings + VopShape));
        Assert.Empty(buggy.Reports);
        Assert.Equal(9, buggy.Return);

        var fixedSource = await FixAsync<UA3003DoubleFetchAnalyzer, UA3003DoubleFetchCodeFix>(VopShape);
        var result = AddDeviceWithTheCountRaisedInTheWindow(Load(fixedSource));
        Assert.Empty(result.Reports);
        Assert.Equal(-Errno.EINVAL, result.Return);

        // Left alone, the same descriptor is added with the count that was checked.
        var untouched = CallOn(Arch.X86_64, Load(fixedSource), "Sim.Vop", "AddDevice", mm => new object?[] { Descriptor(mm) });
        Assert.Empty(untouched.Reports);
        Assert.Equal(2, untouched.Return);
    }

    /// <summary>The ioctl on a descriptor with two vrings, raised to nine by user space when memdup_user() allocates.</summary>
    private static Call AddDeviceWithTheCountRaisedInTheWindow(Assembly assembly)
    {
        Mm? process = null;
        UserPtr argp = default;
        return CallOn(Arch.X86_64, assembly, "Sim.Vop", "AddDevice", mm =>
        {
            process = mm;
            argp = Descriptor(mm);
            return new object?[] { argp };
        }, schedulingPoint: (task, function) =>
        {
            if (function == "kmalloc")
            {
                process!.UserWrite(argp + 1, new byte[] { 9 });
            }
        });
    }

    /// <summary>A <c>mic_device_desc</c> (type 1, num_vq 2, no features or config) followed by room for nine vrings, in a fresh page.</summary>
    private static UserPtr Descriptor(Mm mm)
    {
        var argp = mm.Mmap(4096, Prot.Read | Prot.Write);
        mm.UserWrite(argp, new byte[] { 1, 2, 0, 0, 0, 0, 0, 0 });
        return argp;
    }
}
