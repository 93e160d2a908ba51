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
}
