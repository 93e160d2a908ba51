using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA5001IgnoredResult;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA5001IgnoredResultAnalyzer, UA5001IgnoredResultCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    [Fact]
    public Task IgnoredCopyReturnsEfault() => Verify(
        """
        namespace Sim;

        public static class Ioctl
        {
            public static int ReadArgs(UserPtr arg, byte[] buf)
            {
                // fetch the arguments
                [|CopyFromUser(buf, arg)|]; // all or nothing
                return buf[0];
            }
        }
        """,
        """
        namespace Sim;

        public static class Ioctl
        {
            public static int ReadArgs(UserPtr arg, byte[] buf)
            {
                // fetch the arguments
                if (CopyFromUser(buf, arg) != 0)
                    return -EFAULT; // all or nothing
                return buf[0];
            }
        }
        """);

    [Fact]
    public Task IgnoredErrnoIsReturnedItself() => Verify(
        """
        namespace Sim;

        public static class Futex
        {
            public static int Store(UserPtr<uint> uaddr, uint val)
            {
                [|PutUser(val, uaddr)|];
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Futex
        {
            public static int Store(UserPtr<uint> uaddr, uint val)
            {
                int ret = PutUser(val, uaddr);
                if (ret != 0)
                    return ret;
                return 0;
            }
        }
        """);

    [Fact]
    public Task ArcCmpxchgReleasesThePreemptDisabledRegionOnTheErrorPath() => Verify(
        """
        namespace Sim;

        public static class Arc
        {
            public static int UsrCmpxchg(UserPtr<uint> uaddr, uint expected, uint newval)
            {
                uint uval;
                PreemptDisable();
                int ret = GetUser(out uval, uaddr);
                if (ret != 0)
                {
                    PreemptEnable();
                    return ret;
                }

                if (uval == expected)
                {
                    [|PutUser(newval, uaddr)|];
                }

                PreemptEnable();
                return (int)uval;
            }

            public static int Publish(UserPtr<uint> uaddr, uint newval, KernelMutex lk)
            {
                if (lk.LockKillable() != 0)
                    return -EINTR;
                PreemptDisable();
                [|PutUserUnchecked(newval, uaddr)|];
                PreemptEnable();
                lk.Unlock();
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Arc
        {
            public static int UsrCmpxchg(UserPtr<uint> uaddr, uint expected, uint newval)
            {
                uint uval;
                PreemptDisable();
                int ret = GetUser(out uval, uaddr);
                if (ret != 0)
                {
                    PreemptEnable();
                    return ret;
                }

                if (uval == expected)
                {
                    int err = PutUser(newval, uaddr);
                    if (err != 0)
                    {
                        PreemptEnable();
                        return err;
                    }
                }

                PreemptEnable();
                return (int)uval;
            }

            public static int Publish(UserPtr<uint> uaddr, uint newval, KernelMutex lk)
            {
                if (lk.LockKillable() != 0)
                    return -EINTR;
                PreemptDisable();
                int ret = PutUserUnchecked(newval, uaddr);
                if (ret != 0)
                {
                    PreemptEnable();
                    lk.Unlock();
                    return ret;
                }
                PreemptEnable();
                lk.Unlock();
                return 0;
            }
        }
        """);

    [Fact]
    public Task KillableWaitReturnsEintrAndIsInsideAUsingScopeReturnsTheErrno() => Verify(
        """
        namespace Sim;

        public static class Gup
        {
            public static int Fixup(Mm mm, UserPtr uaddr)
            {
                [|MmapReadLockKillable(mm)|];
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                return ret;
            }

            public static int Peek(UserPtr p, byte[] buf)
            {
                using (NoFault())
                {
                    [|CopyFromUserNofault(buf, p)|];
                }

                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Gup
        {
            public static int Fixup(Mm mm, UserPtr uaddr)
            {
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                return ret;
            }

            public static int Peek(UserPtr p, byte[] buf)
            {
                using (NoFault())
                {
                    int ret = CopyFromUserNofault(buf, p);
                    if (ret != 0)
                        return ret;
                }

                return 0;
            }
        }
        """);

    [Fact]
    public Task FaultInCountInAnErrnoFunctionReturnsEfault() => Verify(
        """
        namespace Sim;

        public static class Write
        {
            public static int Prepare(UserPtr p, int len)
            {
                [|FaultInReadable(p, len)|];
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Write
        {
            public static int Prepare(UserPtr p, int len)
            {
                if (FaultInReadable(p, len) != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """);

    /// <summary>
    /// The seed samples/Scenarios/Buggy/ArcUsrCmpxchg.cs: PutUserUnchecked's result ignored with
    /// preemption disabled. The error takes the function's own exit, the done: label that
    /// re-enables preemption and returns uval, with the error set as the result: never a return
    /// with preemption still disabled.
    /// </summary>
    [Fact]
    public Task ArcSeedSetsTheResultAndJumpsToTheLabelThatReenablesPreemption() => Verify(
        """
        namespace Scenarios.Buggy;

        public static class Arc
        {
            public static int ArcUsrCmpxchg(UserPtr<int> uaddr, int expected, int newval, PtRegs regs)
            {
                int uval = -EFAULT;

                // Z indicates to userspace if operation succeeded
                regs.Status32 &= ~PtRegs.STATUS_Z_MASK;

                if (!AccessOk(uaddr, sizeof(int)))
                {
                    return -EFAULT;
                }

                // This is only for old cores lacking LLOCK/SCOND, which by definition can't possibly be
                // SMP. Thus doesn't need to be SMP safe.
                PreemptDisable();

                if (GetUserUnchecked(out uval, uaddr) != 0)
                {
                    goto done;
                }

                if (uval == expected)
                {
                    [|PutUserUnchecked(newval, uaddr)|];
                    regs.Status32 |= PtRegs.STATUS_Z_MASK;
                }

            done:
                PreemptEnable();

                return uval;
            }
        }

        public sealed class PtRegs
        {
            public const uint STATUS_Z_MASK = 1u << 11;

            public uint Status32 { get; set; }
        }
        """,
        """
        namespace Scenarios.Buggy;

        public static class Arc
        {
            public static int ArcUsrCmpxchg(UserPtr<int> uaddr, int expected, int newval, PtRegs regs)
            {
                int uval = -EFAULT;

                // Z indicates to userspace if operation succeeded
                regs.Status32 &= ~PtRegs.STATUS_Z_MASK;

                if (!AccessOk(uaddr, sizeof(int)))
                {
                    return -EFAULT;
                }

                // This is only for old cores lacking LLOCK/SCOND, which by definition can't possibly be
                // SMP. Thus doesn't need to be SMP safe.
                PreemptDisable();

                if (GetUserUnchecked(out uval, uaddr) != 0)
                {
                    goto done;
                }

                if (uval == expected)
                {
                    int ret = PutUserUnchecked(newval, uaddr);
                    if (ret != 0)
                    {
                        uval = ret;
                        goto done;
                    }
                    regs.Status32 |= PtRegs.STATUS_Z_MASK;
                }

            done:
                PreemptEnable();

                return uval;
            }
        }

        public sealed class PtRegs
        {
            public const uint STATUS_Z_MASK = 1u << 11;

            public uint Status32 { get; set; }
        }
        """);

    /// <summary>
    /// Labels that are not the function's exit for what is held at the call: one that returns a
    /// constant (no result to set the error into), one reached with less held (done: after the
    /// unlock; jumping there would leave the lock held and preemption disabled). The check releases
    /// what is held itself and returns, as without a label.
    /// </summary>
    [Fact]
    public Task LabelsThatAreNotTheExitForWhatIsHeldAreNotJumpedTo() => Verify(
        """
        namespace Sim;

        public static class Labels
        {
            public static int Increment(UserPtr<uint> uaddr)
            {
                PreemptDisable();
                if (GetUserUnchecked(out uint old, uaddr) != 0)
                    goto exit;
                [|PutUserUnchecked(old + 1, uaddr)|];
            exit:
                PreemptEnable();
                return 0;
            }

            public static int Publish(UserPtr<uint> uaddr, uint newval, KernelMutex lk)
            {
                int status = 0;
                if (lk.LockKillable() != 0)
                    return -EINTR;
                if (newval == 0)
                {
                    status = -EINVAL;
                    goto done;
                }
                PreemptDisable();
                [|PutUserUnchecked(newval, uaddr)|];
                PreemptEnable();
                lk.Unlock();
            done:
                return status;
            }
        }
        """,
        """
        namespace Sim;

        public static class Labels
        {
            public static int Increment(UserPtr<uint> uaddr)
            {
                PreemptDisable();
                if (GetUserUnchecked(out uint old, uaddr) != 0)
                    goto exit;
                int ret = PutUserUnchecked(old + 1, uaddr);
                if (ret != 0)
                {
                    PreemptEnable();
                    return ret;
                }
            exit:
                PreemptEnable();
                return 0;
            }

            public static int Publish(UserPtr<uint> uaddr, uint newval, KernelMutex lk)
            {
                int status = 0;
                if (lk.LockKillable() != 0)
                    return -EINTR;
                if (newval == 0)
                {
                    status = -EINVAL;
                    goto done;
                }
                PreemptDisable();
                int ret = PutUserUnchecked(newval, uaddr);
                if (ret != 0)
                {
                    PreemptEnable();
                    lk.Unlock();
                    return ret;
                }
                PreemptEnable();
                lk.Unlock();
            done:
                return status;
            }
        }
        """);

    [Fact]
    public Task ArcCmpxchgBracelessPutBecomesABlockThatLeavesTheRegion() => Verify(
        """
        namespace Sim;

        public static class Arc
        {
            public static int UsrCmpxchg(UserPtr<uint> uaddr, uint expected, uint newval)
            {
                uint uval;
                PreemptDisable();
                int ret = GetUserUnchecked(out uval, uaddr);
                if (ret == 0 && uval == expected)
                    [|PutUserUnchecked(newval, uaddr)|]; // the write to the zero page
                PreemptEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Arc
        {
            public static int UsrCmpxchg(UserPtr<uint> uaddr, uint expected, uint newval)
            {
                uint uval;
                PreemptDisable();
                int ret = GetUserUnchecked(out uval, uaddr);
                if (ret == 0 && uval == expected)
                {
                    int err = PutUserUnchecked(newval, uaddr); // the write to the zero page
                    if (err != 0)
                    {
                        PreemptEnable();
                        return err;
                    }
                }
                PreemptEnable();
                return ret;
            }
        }
        """);

    /// <summary>
    /// futex's fault_in_user_writeable(): the mm taken through a local and released through
    /// <c>task.Mm</c> is one lock, so the early return releases it with the user's own unlock.
    /// </summary>
    [Fact]
    public Task LockTakenThroughAnAliasIsReleasedOnTheEarlyReturn() => Verify(
        """
        namespace Sim;

        public static class Futex
        {
            public static int FaultInUserWriteable(TaskStruct task, UserPtr uaddr)
            {
                var mm = task.Mm;
                MmapReadLock(mm);
                [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
                MmapReadUnlock(task.Mm);
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Futex
        {
            public static int FaultInUserWriteable(TaskStruct task, UserPtr uaddr)
            {
                var mm = task.Mm;
                MmapReadLock(mm);
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                if (ret != 0)
                {
                    MmapReadUnlock(task.Mm);
                    return ret;
                }
                MmapReadUnlock(task.Mm);
                return 0;
            }
        }
        """);

    /// <summary>
    /// A driver's <c>mutex_lock(&amp;dev-&gt;lock); put_user(...); mutex_unlock(&amp;dev-&gt;lock);</c>, the lock
    /// named <c>this.lk</c> where it is taken and <c>lk</c> where it is released: one field, one lock.
    /// </summary>
    [Fact]
    public Task LockNamedTwoWaysIsReleasedOnTheEarlyReturn() => Verify(
        """
        namespace Sim;

        public sealed class Dev
        {
            private readonly KernelMutex lk = new();

            public int Store(UserPtr<uint> p, uint v)
            {
                this.lk.Lock();
                [|PutUser(v, p)|];
                lk.Unlock();
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public sealed class Dev
        {
            private readonly KernelMutex lk = new();

            public int Store(UserPtr<uint> p, uint v)
            {
                this.lk.Lock();
                int ret = PutUser(v, p);
                if (ret != 0)
                {
                    lk.Unlock();
                    return ret;
                }
                lk.Unlock();
                return 0;
            }
        }
        """);

    /// <summary>s390's setup_rt_frame(): the last result or'ed into err after its last test is tested with what err accumulated, as the kernel's fix did.</summary>
    [Fact]
    public Task ResultOredIntoAnErrorNobodyReadsAgainIsChecked() => Verify(
        """
        namespace Sim;

        public static class Signal
        {
            public static int SetupRtFrame(UserPtr frame, ulong retcode)
            {
                int err = 0;
                if (!AccessOk(frame, 64))
                    return -EFAULT;
                err |= PutUserUnchecked(1UL, frame.Cast<ulong>());
                if (err != 0)
                    return -EFAULT;
                err |= [|PutUserUnchecked(retcode, (frame + 8).Cast<ulong>())|]; /* the trampoline */
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Signal
        {
            public static int SetupRtFrame(UserPtr frame, ulong retcode)
            {
                int err = 0;
                if (!AccessOk(frame, 64))
                    return -EFAULT;
                err |= PutUserUnchecked(1UL, frame.Cast<ulong>());
                if (err != 0)
                    return -EFAULT;
                err |= PutUserUnchecked(retcode, (frame + 8).Cast<ulong>()); /* the trampoline */
                if (err != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """);

    /// <summary>
    /// fs/compat_ioctl.c, do_video_set_spu_palette() before 12176503: both get_user() results are or-ed into
    /// err, which the put_user()s then overwrite. The accumulated err is tested after the last of them, so
    /// the first store is read too and a second run finds nothing to fix.
    /// </summary>
    [Fact]
    public Task ResultsOredIntoAnErrorThenOverwrittenAreTestedTogether() => Verify(
        """
        namespace Sim;

        public static class CompatIoctl
        {
            public static int SetSpuPalette(UserPtr up, UserPtr upNative)
            {
                uint palp;
                int length, err;

                err = GetUser(out palp, (up + 4).Cast<uint>());
                err |= [|GetUser(out length, up.Cast<int>())|];

                err = PutUser((ulong)palp, (upNative + 8).Cast<ulong>());
                err |= PutUser(length, upNative.Cast<int>());
                if (err != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class CompatIoctl
        {
            public static int SetSpuPalette(UserPtr up, UserPtr upNative)
            {
                uint palp;
                int length, err;

                err = GetUser(out palp, (up + 4).Cast<uint>());
                err |= GetUser(out length, up.Cast<int>());
                if (err != 0)
                    return -EFAULT;

                err = PutUser((ulong)palp, (upNative + 8).Cast<ulong>());
                err |= PutUser(length, upNative.Cast<int>());
                if (err != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """);

    /// <summary>
    /// arch/mips/kernel/signal.c, setup_frame() of v2.6.20: install_sigtramp() (a helper returning its or-ed
    /// __put_user() results) is called for nothing, right before the results the frame setup or-s into
    /// err and tests. Its result joins them, as "[MIPS] signal: test return value of install_sigtramp()" did.
    /// </summary>
    [Fact]
    public Task IgnoredHelperBeforeAnErrorAccumulatorJoinsIt() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Mips
        {
            [MustCheck]
            public static int InstallSigtramp([RequiresAccessOk] UserPtr<uint> tramp, uint syscall)
            {
                int err = PutUserUnchecked(0x24020000 + syscall, tramp);
                err |= PutUserUnchecked(0x0000000cu, tramp + 4);
                return err;
            }

            public static int SetupFrame(UserPtr frame, byte[] mask)
            {
                int err = 0;
                if (!AccessOk(frame, 64))
                    return -EFAULT;
                [|InstallSigtramp((frame + 32).Cast<uint>(), 119)|];
                err |= PutUserUnchecked((uint)mask[0], frame.Cast<uint>());
                if (err != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Mips
        {
            [MustCheck]
            public static int InstallSigtramp([RequiresAccessOk] UserPtr<uint> tramp, uint syscall)
            {
                int err = PutUserUnchecked(0x24020000 + syscall, tramp);
                err |= PutUserUnchecked(0x0000000cu, tramp + 4);
                return err;
            }

            public static int SetupFrame(UserPtr frame, byte[] mask)
            {
                int err = 0;
                if (!AccessOk(frame, 64))
                    return -EFAULT;
                err |= InstallSigtramp((frame + 32).Cast<uint>(), 119);
                err |= PutUserUnchecked((uint)mask[0], frame.Cast<uint>());
                if (err != 0)
                    return -EFAULT;
                return 0;
            }
        }
        """);
}
