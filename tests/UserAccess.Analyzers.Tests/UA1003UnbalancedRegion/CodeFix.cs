using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA1003UnbalancedRegion;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA1003UnbalancedRegionAnalyzer, UA1003UnbalancedRegionCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    [Fact]
    public Task NofaultRegionWithAnEarlyReturnBecomesTheUsingScope() => Verify(
        """
        namespace Sim;

        public static class Peek
        {
            public static int Word(UserPtr<uint> uaddr, out uint val)
            {
                val = 0;
                [|PagefaultDisable()|];
                int ret = GetUserUnchecked(out val, uaddr);
                if (ret != 0)
                    return ret; // leaves with faults disabled
                val++;
                // done with the access
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Peek
        {
            public static int Word(UserPtr<uint> uaddr, out uint val)
            {
                val = 0;
                int ret;
                using (NoFault())
                {
                    ret = GetUserUnchecked(out val, uaddr);
                    if (ret != 0)
                        return ret; // leaves with faults disabled
                    val++;
                    // done with the access
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task LockWithAnEarlyReturnGetsTryFinally() => Verify(
        """
        namespace Sim;

        public static class Dev
        {
            public static int Store(KernelMutex lk, UserPtr<uint> uaddr, uint val)
            {
                if ([|lk.LockKillable()|] != 0)
                    return -EINTR;
                if (val == 0)
                    return -EINVAL;
                int ret = PutUser(val, uaddr);
                lk.Unlock(); // drop it
                return ret;
            }

            public static int Spin(KernelSpinlock lk, int[] table, int i)
            {
                [|lk.Lock()|];
                if (i >= table.Length)
                    return -EINVAL;
                table[i]++;
                lk.Unlock();
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Dev
        {
            public static int Store(KernelMutex lk, UserPtr<uint> uaddr, uint val)
            {
                int ret;
                if (lk.LockKillable() != 0)
                    return -EINTR;
                try
                {
                    if (val == 0)
                        return -EINVAL;
                    ret = PutUser(val, uaddr);
                }
                finally
                {
                    lk.Unlock(); // drop it
                }

                return ret;
            }

            public static int Spin(KernelSpinlock lk, int[] table, int i)
            {
                lk.Lock();
                try
                {
                    if (i >= table.Length)
                        return -EINVAL;
                    table[i]++;
                }
                finally
                {
                    lk.Unlock();
                }

                return 0;
            }
        }
        """);
}
