using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA3002UnvalidatedBitOperation;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA3002UnvalidatedBitOperationAnalyzer, UA3002UnvalidatedBitOperationCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    [Fact]
    public Task SizeAndBitValidatedAboveTheRegion() => Verify(
        """
        namespace Sim;

        public static class Enablers
        {
            public static int Set(UserPtr uaddr, int size, int bit)
            {
                if ((uaddr.Address & (ulong)(size - 1)) != 0)
                    return -EINVAL;
                // set the bit with faults disabled
                PagefaultDisable();
                int ret = [|SetBitUserInatomic(uaddr, size, bit)|];
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
                if ((uaddr.Address & (ulong)(size - 1)) != 0)
                    return -EINVAL;
                if (size != 4 && size != 8)
                    return -EINVAL;
                if (bit < 0 || bit >= size * 8)
                    return -EINVAL;
                // set the bit with faults disabled
                PagefaultDisable();
                int ret = SetBitUserInatomic(uaddr, size, bit);
                PagefaultEnable();
                return ret;
            }
        }
        """);

    [Fact]
    public Task OnlyTheMissingBitCheckBracedAndForAConstantSize() => Verify(
        """
        namespace Sim;

        public static class Enablers
        {
            public static int Clear(UserPtr uaddr, int size, int bit)
            {
                if (size != 4 && size != 8)
                {
                    return -EINVAL;
                }

                if ((uaddr.Address & (ulong)(size - 1)) != 0)
                {
                    return -EINVAL;
                }

                PagefaultDisable();
                int ret = [|ClearBitUserInatomic(uaddr, size, bit)|];
                PagefaultEnable();
                return ret;
            }

            public static int SetWord(UserPtr<uint> uaddr, int bit)
            {
                if ((uaddr.Address & 3) != 0)
                {
                    return -EINVAL;
                }

                PagefaultDisable();
                int ret = [|SetBitUserInatomic(uaddr, 4, bit)|];
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Enablers
        {
            public static int Clear(UserPtr uaddr, int size, int bit)
            {
                if (size != 4 && size != 8)
                {
                    return -EINVAL;
                }

                if ((uaddr.Address & (ulong)(size - 1)) != 0)
                {
                    return -EINVAL;
                }

                if (bit < 0 || bit >= size * 8)
                {
                    return -EINVAL;
                }

                PagefaultDisable();
                int ret = ClearBitUserInatomic(uaddr, size, bit);
                PagefaultEnable();
                return ret;
            }

            public static int SetWord(UserPtr<uint> uaddr, int bit)
            {
                if ((uaddr.Address & 3) != 0)
                {
                    return -EINVAL;
                }

                if (bit < 0 || bit >= 32)
                {
                    return -EINVAL;
                }

                PagefaultDisable();
                int ret = SetBitUserInatomic(uaddr, 4, bit);
                PagefaultEnable();
                return ret;
            }
        }
        """);

    /// <summary>
    /// GuardInsertion's fallback: the bit is read under the lock, so the check cannot go where
    /// nothing is held; it goes after the read, above the nofault region, and unlocks on its way out.
    /// </summary>
    [Fact]
    public Task BitReadUnderTheLockIsValidatedThereAndTheReturnUnlocks() => Verify(
        """
        namespace Sim;

        public static class Enablers
        {
            public static int Set(UserPtr uaddr, int size, int[] bits, int which, KernelSpinlock lk)
            {
                if (size != 4 && size != 8)
                    return -EINVAL;
                if ((uaddr.Address & (ulong)(size - 1)) != 0)
                    return -EINVAL;
                lk.Lock();
                // a concurrent register may change the enabler's bit: read it under the lock
                int bit = bits[which];
                PagefaultDisable();
                int ret = [|SetBitUserInatomic(uaddr, size, bit)|];
                PagefaultEnable();
                lk.Unlock();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Enablers
        {
            public static int Set(UserPtr uaddr, int size, int[] bits, int which, KernelSpinlock lk)
            {
                if (size != 4 && size != 8)
                    return -EINVAL;
                if ((uaddr.Address & (ulong)(size - 1)) != 0)
                    return -EINVAL;
                lk.Lock();
                // a concurrent register may change the enabler's bit: read it under the lock
                int bit = bits[which];
                if (bit < 0 || bit >= size * 8)
                {
                    lk.Unlock();
                    return -EINVAL;
                }
                PagefaultDisable();
                int ret = SetBitUserInatomic(uaddr, size, bit);
                PagefaultEnable();
                lk.Unlock();
                return ret;
            }
        }
        """);
}
