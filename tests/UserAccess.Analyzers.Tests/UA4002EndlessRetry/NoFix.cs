using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4002EndlessRetry;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA4002EndlessRetryAnalyzer, UA4002EndlessRetryCodeFix>(FixHarness.Usings + source, reasons);

    /// <summary>
    /// The stored result is read before it is overwritten: in the loop by a test that does not
    /// leave (an exit there would change what it decides) and by a count of the bytes not faulted
    /// in; after the loop, which its condition can end, by code that a return would skip.
    /// </summary>
    [Fact]
    public Task StoredResultUsedBeforeItIsOverwrittenGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Used
        {
            public static int Swap(UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint oldval;
                while (true)
                {
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out oldval)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        CondResched();
                }

                return ret;
            }

            public static int Read(UserPtr p, byte[] kbuf, int len, ref int missing)
            {
                while (true)
                {
                    PagefaultDisable();
                    int left = [|CopyFromUser(kbuf.AsSpan(0, len), p)|];
                    PagefaultEnable();
                    if (left == 0)
                        return 0;
                    int notFaulted = FaultInReadable(p, len);
                    missing += notFaulted;
                }
            }

            public static int SwapUntilStopped(UserPtr<uint> uaddr, uint newval, bool stop)
            {
                int ret = 0;
                uint oldval;
                while (!stop)
                {
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out oldval)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        return ret;
                    ret = FaultInUserWriteable(uaddr);
                }

                return ret < 0 ? ret : 0;
            }
        }
        """,
        DeclineReason.ResultUsedLater,
        DeclineReason.ResultUsedLater,
        DeclineReason.ResultUsedLater);

    /// <summary>
    /// A bytes-not-faulted-in result in a loop that advances through the buffer, ignored or stored:
    /// the not-all-faulted check would give up on partial progress (UA4004), so no fix.
    /// </summary>
    [Fact]
    public Task BytesFaultInInAnAdvancingLoopGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Writer
        {
            public static int Write(UserPtr p, byte[] kbuf, int len)
            {
                int written = 0;
                while (written < len)
                {
                    int chunk = len - written;
                    PagefaultDisable();
                    int left = [|CopyFromUser(kbuf.AsSpan(written, chunk), p + written)|];
                    PagefaultEnable();
                    if (left == chunk)
                    {
                        int notFaulted = FaultInReadable(p + written, chunk);
                        continue;
                    }

                    written += chunk - left;
                }

                return 0;
            }

            public static int WriteIgnoring(UserPtr p, byte[] kbuf, int len)
            {
                int written = 0;
                while (written < len)
                {
                    int chunk = len - written;
                    PagefaultDisable();
                    int left = [|CopyFromUser(kbuf.AsSpan(written, chunk), p + written)|];
                    PagefaultEnable();
                    if (left == chunk)
                    {
                        FaultInReadable(p + written, chunk);
                        continue;
                    }

                    written += chunk - left;
                }

                return 0;
            }
        }
        """,
        DeclineReason.AdvancingLoop,
        DeclineReason.AdvancingLoop);

    /// <summary>A method that returns nothing has no error to leave with.</summary>
    [Fact]
    public Task VoidMethodGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class Xchg
        {
            public static void Swap(UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint oldval;
                while (true)
                {
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out oldval)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    FaultInUserWriteable(uaddr);
                }
            }
        }
        """,
        DeclineReason.NoErrnoReturn);

    /// <summary>A lock still held at the fault-in: a return there would leak it.</summary>
    [Fact]
    public Task LockHeldAtTheFaultInGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class Xchg
        {
            public static int Swap(UserPtr<uint> uaddr, uint newval, KernelSpinlock l)
            {
                int ret;
                uint oldval;
                l.Lock();
                while (true)
                {
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out oldval)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    FaultInUserWriteable(uaddr);
                }

                l.Unlock();
                return ret;
            }
        }
        """,
        DeclineReason.LockHeldAcrossFaultIn);

    /// <summary>
    /// A read of the written word used as the fault-in, but its value is used afterwards (the loop
    /// decides on it), or a spinlock is still held at it (the fault-in sleeps); and a loop with no
    /// fault-in and no read at all, whose fault path is the loop's design.
    /// </summary>
    [Fact]
    public Task ReadProbeThatCannotBecomeTheFaultInGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class Probe
        {
            public static int ValueUsed(UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                uint seen;
                while (true)
                {
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out _)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        return ret;
                    ret = GetUser(out seen, uaddr);
                    if (ret != 0)
                        return ret;
                    if (seen == newval)
                        return 0;
                }
            }

            public static int Locked(UserPtr<uint> uaddr, uint newval, KernelMutex m)
            {
                int ret;
                uint dummy;
                while (true)
                {
                    m.Lock();
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out _)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                    {
                        m.Unlock();
                        return ret;
                    }
                    ret = GetUser(out dummy, uaddr);
                    m.Unlock();
                    if (ret != 0)
                        return ret;
                }
            }

            public static int NoFaultIn(UserPtr<uint> uaddr, uint newval)
            {
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out _)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        return ret;
                    CondResched();
                }
            }
        }
        """,
        DeclineReason.ResultUsedLater,
        DeclineReason.LockHeldAcrossFaultIn,
        DeclineReason.NoFaultInOnTheLoop);

    /// <summary>
    /// A nofault copy to user space (copy_to_user_nofault() returns -EFAULT) retried after a read probe:
    /// its fault-in, fault_in_writeable(), counts the bytes it could not fault in, where the probe it
    /// would replace returned the errno the loop tests and returns.
    /// </summary>
    [Fact]
    public Task ReadProbeOfACopyWhoseFaultInCountsBytesGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class Probe
        {
            public static int Write(UserPtr uaddr, byte[] buf)
            {
                int ret;
                uint dummy;
                while (true)
                {
                    PagefaultDisable();
                    ret = [|CopyToUserNofault(uaddr, buf)|];
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        return ret;
                    ret = GetUser(out dummy, uaddr.Cast<uint>());
                    if (ret != 0)
                        return ret;
                }
            }
        }
        """,
        DeclineReason.FaultInCountsBytes);
}
