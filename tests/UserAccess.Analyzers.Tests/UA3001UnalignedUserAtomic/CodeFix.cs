using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA3001UnalignedUserAtomic;

public class CodeFix
{
    private const string FixPagefault = """

            private static int FixPagefault(UserPtr uaddr, bool writeFault)
            {
                Mm mm = Current.Mm;
                int ret;

                MmapReadLock(mm);
                ret = FixupUserFault(mm, uaddr, writeFault ? FaultFlags.Write : FaultFlags.None);
                MmapReadUnlock(mm);

                return ret < 0 ? ret : 0;
            }
        }
        """;

    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA3001UnalignedUserAtomicAnalyzer, UA3001UnalignedUserAtomicCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    /// <summary>The seed samples/Scenarios/Buggy/UmcgXchgUser64.cs: the check of samples/Scenarios/Fixed/UmcgXchgUser64.cs goes before the loop.</summary>
    [Fact]
    public Task UmcgXchgUser64SeedGetsTheCheckBeforeTheLoop() => Verify(
        """
        namespace Scenarios.Buggy;

        public static partial class Umcg
        {
            public static int XchgUser64(UserPtr<ulong> uaddr, ulong newval, out ulong oldval)
            {
                oldval = 0;

                while (true)
                {
                    int ret;
                    ulong @out;

                    PagefaultDisable();
                    ret = [|XchgUserInatomic(uaddr, newval, out @out)|];
                    PagefaultEnable();

                    if (ret == 0)
                    {
                        oldval = @out;
                        return 0;
                    }

                    // WARN_ONCE(ret != -EFAULT, "Unexpected error")
                    if (ret != -EFAULT)
                    {
                        return -EFAULT;
                    }

                    ret = FixPagefault(uaddr, true);
                    if (ret != 0)
                    {
                        return -EFAULT;
                    }
                }
            }
        """ + FixPagefault,
        """
        namespace Scenarios.Buggy;

        public static partial class Umcg
        {
            public static int XchgUser64(UserPtr<ulong> uaddr, ulong newval, out ulong oldval)
            {
                oldval = 0;

                if ((uaddr.Address & (sizeof(ulong) - 1)) != 0)
                {
                    return -EINVAL;
                }

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

                    // WARN_ONCE(ret != -EFAULT, "Unexpected error")
                    if (ret != -EFAULT)
                    {
                        return -EFAULT;
                    }

                    ret = FixPagefault(uaddr, true);
                    if (ret != 0)
                    {
                        return -EFAULT;
                    }
                }
            }
        """ + FixPagefault);

    [Fact]
    public Task BracelessStyleAndTheSizeVariableAndItsComments() => Verify(
        """
        namespace Sim;

        public static class Enablers
        {
            public static int Set(UserPtr uaddr, int size, int bit)
            {
                if (size != 4 && size != 8)
                    return -EINVAL;
                if (bit < 0 || bit >= size * 8)
                    return -EINVAL;
                // set the bit with faults disabled
                PagefaultDisable();
                int ret = [|SetBitUserInatomic(uaddr, size, bit)|];
                PagefaultEnable();
                return ret;
            }

            public static int Cmpxchg(UserPtr<uint> uaddr, uint oldval, uint newval)
            {
                if (oldval == newval)
                    return 0;
                PagefaultDisable();
                int ret = [|CmpxchgUserInatomic(uaddr, oldval, newval, out uint actual)|];
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Enablers
        {
            public static int Set(UserPtr uaddr, int size, int bit)
            {
                if (size != 4 && size != 8)
                    return -EINVAL;
                if (bit < 0 || bit >= size * 8)
                    return -EINVAL;
                if ((uaddr.Address & (ulong)(size - 1)) != 0)
                    return -EINVAL;
                // set the bit with faults disabled
                PagefaultDisable();
                int ret = SetBitUserInatomic(uaddr, size, bit);
                PagefaultEnable();
                return ret;
            }

            public static int Cmpxchg(UserPtr<uint> uaddr, uint oldval, uint newval)
            {
                if (oldval == newval)
                    return 0;
                if ((uaddr.Address & (sizeof(uint) - 1)) != 0)
                    return -EINVAL;
                PagefaultDisable();
                int ret = CmpxchgUserInatomic(uaddr, oldval, newval, out uint actual);
                PagefaultEnable();
                return ret;
            }
        }
        """);

    [Fact]
    public Task TheCheckGoesAboveTheNofaultRegionAndAfterThePointerIsSet() => Verify(
        """
        namespace Sim;

        public static class Walk
        {
            public static int Each(UserPtr<uint> start, int n)
            {
                for (int i = 0; i < n; i++)
                {
                    UserPtr<uint> uaddr = start + i * 4;
                    PagefaultDisable();
                    int ret = [|CmpxchgUserInatomic(uaddr, 0u, 1u, out uint actual)|];
                    PagefaultEnable();
                    if (ret != 0)
                    {
                        return ret;
                    }
                }

                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Walk
        {
            public static int Each(UserPtr<uint> start, int n)
            {
                for (int i = 0; i < n; i++)
                {
                    UserPtr<uint> uaddr = start + i * 4;
                    if ((uaddr.Address & (sizeof(uint) - 1)) != 0)
                    {
                        return -EINVAL;
                    }
                    PagefaultDisable();
                    int ret = CmpxchgUserInatomic(uaddr, 0u, 1u, out uint actual);
                    PagefaultEnable();
                    if (ret != 0)
                    {
                        return ret;
                    }
                }

                return 0;
            }
        }
        """);

    /// <summary>
    /// GuardInsertion's fallback: the pointer is computed under the lock and inside the nofault
    /// region, so no place before the op is free of what is held. The check goes at the op and its
    /// return releases both, innermost first, as the function's own exit does.
    /// </summary>
    [Fact]
    public Task PointerComputedInsideTheRegionGetsTheCheckAtTheOpReleasingWhatIsHeld() => Verify(
        """
        namespace Sim;

        public static class Slots
        {
            public static int Swap(UserPtr<uint> table, int index, uint newval, KernelSpinlock lk)
            {
                int ret;
                uint oldval;

                lk.Lock();
                PagefaultDisable();
                UserPtr<uint> slot = table + index * 4;
                ret = [|XchgUserInatomic(slot, newval, out oldval)|];
                PagefaultEnable();
                lk.Unlock();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Slots
        {
            public static int Swap(UserPtr<uint> table, int index, uint newval, KernelSpinlock lk)
            {
                int ret;
                uint oldval;

                lk.Lock();
                PagefaultDisable();
                UserPtr<uint> slot = table + index * 4;
                if ((slot.Address & (sizeof(uint) - 1)) != 0)
                {
                    PagefaultEnable();
                    lk.Unlock();
                    return -EINVAL;
                }
                ret = XchgUserInatomic(slot, newval, out oldval);
                PagefaultEnable();
                lk.Unlock();
                return ret;
            }
        }
        """);

    /// <summary>
    /// The fallback when the pointer is computed under preemption disabled, before the nofault
    /// region: the check goes above PagefaultDisable(), releasing only what is held there.
    /// </summary>
    [Fact]
    public Task PointerComputedUnderPreemptDisabledGetsTheCheckAboveTheNofaultRegion() => Verify(
        """
        namespace Sim;

        public static class Slots
        {
            public static int Swap(UserPtr<uint> table, int index, uint newval)
            {
                int ret;
                uint oldval;

                PreemptDisable();
                // the slot of this CPU: only stable with preemption disabled
                UserPtr<uint> slot = table + index * 4;

                PagefaultDisable();
                ret = [|XchgUserInatomic(slot, newval, out oldval)|];
                PagefaultEnable();
                PreemptEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Slots
        {
            public static int Swap(UserPtr<uint> table, int index, uint newval)
            {
                int ret;
                uint oldval;

                PreemptDisable();
                // the slot of this CPU: only stable with preemption disabled
                UserPtr<uint> slot = table + index * 4;

                if ((slot.Address & (sizeof(uint) - 1)) != 0)
                {
                    PreemptEnable();
                    return -EINVAL;
                }

                PagefaultDisable();
                ret = XchgUserInatomic(slot, newval, out oldval);
                PagefaultEnable();
                PreemptEnable();
                return ret;
            }
        }
        """);

    // kernel/futex/core.c, futex_atomic_cmpxchg_inatomic() callers: the old value is an out parameter the
    // op sets, so the early return sets it first, to the 0 a faulting access leaves.
    [Fact]
    public Task AnOutParameterTheOpSetsIsAssignedBeforeTheEarlyReturn() => Verify(
        """
        namespace Sim;

        public static class Futex
        {
            public static int Xchg(UserPtr<ulong> uaddr, ulong newval, out ulong old)
            {
                PagefaultDisable();
                int ret = [|XchgUserInatomic(uaddr, newval, out old)|];
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Futex
        {
            public static int Xchg(UserPtr<ulong> uaddr, ulong newval, out ulong old)
            {
                if ((uaddr.Address & (sizeof(ulong) - 1)) != 0)
                {
                    old = 0;
                    return -EINVAL;
                }
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, newval, out old);
                PagefaultEnable();
                return ret;
            }
        }
        """);

    /// <summary>
    /// A spinlock taken through a local and released through the property it came from is one lock:
    /// the check goes above the nofault region and releases it with the user's own unlock.
    /// </summary>
    [Fact]
    public Task LockTakenThroughAnAliasIsReleasedByTheCheck() => Verify(
        """
        namespace Sim;

        public sealed class Table
        {
            public Table(KernelSpinlock l) { Lock = l; }
            public KernelSpinlock Lock { get; }
        }

        public static class Slots
        {
            public static int Swap(Table t, UserPtr<uint> table, int index, uint newval)
            {
                int ret;
                uint oldval;

                var lk = t.Lock;
                lk.Lock();
                UserPtr<uint> slot = table + index * 4;
                PagefaultDisable();
                ret = [|XchgUserInatomic(slot, newval, out oldval)|];
                PagefaultEnable();
                t.Lock.Unlock();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public sealed class Table
        {
            public Table(KernelSpinlock l) { Lock = l; }
            public KernelSpinlock Lock { get; }
        }

        public static class Slots
        {
            public static int Swap(Table t, UserPtr<uint> table, int index, uint newval)
            {
                int ret;
                uint oldval;

                var lk = t.Lock;
                lk.Lock();
                UserPtr<uint> slot = table + index * 4;
                if ((slot.Address & (sizeof(uint) - 1)) != 0)
                {
                    t.Lock.Unlock();
                    return -EINVAL;
                }
                PagefaultDisable();
                ret = XchgUserInatomic(slot, newval, out oldval);
                PagefaultEnable();
                t.Lock.Unlock();
                return ret;
            }
        }
        """);
}
