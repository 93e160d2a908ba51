using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA1002FaultHandlingInNofault;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA1002FaultHandlingInNofaultAnalyzer, UA1002FaultHandlingInNofaultCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixForOtherShapes() => VerifyNoFix(
        """
        namespace Sim;

        public static class Unclear
        {
            public static int ReturnsInside(UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, newval, out oldval);
                if (ret == -EFAULT && [|FaultInUserWriteable(uaddr)|] != 0)
                {
                    PagefaultEnable();
                    return -EFAULT;
                }
                PagefaultEnable();
                return ret;
            }

            public static int UnderALock(KernelMutex lk, UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                lk.Lock();
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, newval, out oldval);
                if (ret == -EFAULT)
                    ret = [|FaultInUserWriteable(uaddr)|];
                PagefaultEnable();
                lk.Unlock();
                return ret;
            }
        }
        """,
        DeclineReason.NotAStatementOfABlock,
        DeclineReason.LockHeldAcrossFaultIn);
}
