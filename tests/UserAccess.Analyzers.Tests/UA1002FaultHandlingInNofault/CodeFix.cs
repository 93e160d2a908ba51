using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA1002FaultHandlingInNofault;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA1002FaultHandlingInNofaultAnalyzer, UA1002FaultHandlingInNofaultCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    [Fact]
    public Task UmcgFaultInInsideTheRegionBecomesTheCanonicalLoopWithTheUsersFaultIn() => Verify(
        """
        namespace Sim;

        public static class Umcg
        {
            public static int Xchg(UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                int ret;

                PagefaultDisable();
                // the access: never handles a fault
                ret = XchgUserInatomic(uaddr, newval, out oldval);
                if (ret == -EFAULT)
                    ret = [|FaultInUserWriteable(uaddr)|]; // fix_pagefault()
                // faults on again
                PagefaultEnable();

                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Umcg
        {
            public static int Xchg(UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                int ret;

                while (true)
                {
                    PagefaultDisable();
                    // the access: never handles a fault
                    ret = XchgUserInatomic(uaddr, newval, out oldval);
                    // faults on again
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    // fix_pagefault()
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        break;
                }

                return ret;
            }
        }
        """);

    [Fact]
    public Task AHelperThatTakesTheMmapLockIsReplacedByTheFaultInForTheAccessKind() => Verify(
        """
        namespace Sim;

        public static class Umcg
        {
            public static int Read(UserPtr<ulong> uaddr, out ulong val)
            {
                val = 0;
                if (!AccessOk(uaddr, sizeof(ulong)))
                    return -EFAULT;
                PagefaultDisable();
                int ret = GetUserUnchecked(out val, uaddr);
                if (ret != 0)
                {
                    ret = [|FixPagefault(uaddr)|];
                }
                PagefaultEnable();
                return ret;
            }

            private static int FixPagefault(UserPtr uaddr)
            {
                Mm mm = Current.Mm;
                MmapReadLock(mm);
                int ret = FixupUserFault(mm, uaddr, FaultFlags.None);
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Umcg
        {
            public static int Read(UserPtr<ulong> uaddr, out ulong val)
            {
                val = 0;
                if (!AccessOk(uaddr, sizeof(ulong)))
                    return -EFAULT;
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = GetUserUnchecked(out val, uaddr);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInReadable(uaddr, sizeof(ulong)) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                return ret;
            }

            private static int FixPagefault(UserPtr uaddr)
            {
                Mm mm = Current.Mm;
                MmapReadLock(mm);
                int ret = FixupUserFault(mm, uaddr, FaultFlags.None);
                MmapReadUnlock(mm);
                return ret;
            }
        }
        """);

    /// <summary>
    /// The region's own comments stay with its calls, as UA2002's and UA4001's rewrites keep them: the
    /// comment above <c>PagefaultDisable()</c> goes into the loop with it (the blank line before it stays
    /// before the loop), and a comment after <c>PagefaultEnable()</c> is kept once, above the loop's.
    /// </summary>
    [Fact]
    public Task TheRegionsCommentsStayWithItsCalls() => Verify(
        """
        namespace Sim;

        public static class Umcg
        {
            public static int Xchg(UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                int ret;

                // umcg_update_state(): faults off around the cmpxchg
                PagefaultDisable();
                ret = XchgUserInatomic(uaddr, newval, out oldval);
                if (ret == -EFAULT)
                    ret = [|FaultInUserWriteable(uaddr)|];
                PagefaultEnable(); // faults on again

                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Umcg
        {
            public static int Xchg(UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                int ret;

                while (true)
                {
                    // umcg_update_state(): faults off around the cmpxchg
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, newval, out oldval);
                    // faults on again
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        break;
                }

                return ret;
            }
        }
        """);

    /// <summary>
    /// A read fault-in inside the region for a word the access writes (a put_user() under
    /// pagefault_disable()): retried after it, the write would fault again on a page that is present
    /// but read-only, for ever. As in UA4001's fix, the user's fault-in is reused only when it resolves
    /// the access's fault; here the write fault-in for the access takes its place.
    /// </summary>
    [Fact]
    public Task AReadFaultInOfAWrittenWordGivesWayToTheWriteFaultIn() => Verify(
        """
        namespace Sim;

        public static class Umcg
        {
            public static int Store(UserPtr<uint> uaddr, uint val)
            {
                PagefaultDisable();
                int ret = PutUser(val, uaddr);
                if (ret != 0)
                    ret = [|FaultInReadable(uaddr, sizeof(uint))|]; // make it present
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Umcg
        {
            public static int Store(UserPtr<uint> uaddr, uint val)
            {
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = PutUser(val, uaddr);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    // make it present
                    if (FaultInWriteable(uaddr, sizeof(uint)) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                return ret;
            }
        }
        """);

    /// <summary>
    /// An all-or-nothing nofault copy of a range retried from its start: the user's page-granular fault-in
    /// becomes its sub-page variant, as UA4001's fix makes a prefault (a fault inside a page would
    /// otherwise make the fault-in succeed and the copy fail again, for ever: UA4005).
    /// </summary>
    [Fact]
    public Task TheUsersFaultInOfACopyRetriedFromItsStartBecomesTheSubPageVariant() => Verify(
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(UserPtr to, byte[] data)
            {
                PagefaultDisable();
                int ret = CopyToUserNofault(to, data);
                if (ret != 0)
                    ret = [|FaultInWriteable(to, data.Length)|];
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(UserPtr to, byte[] data)
            {
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = CopyToUserNofault(to, data);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInSubpageWriteable(to, data.Length) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                return ret;
            }
        }
        """);
}
