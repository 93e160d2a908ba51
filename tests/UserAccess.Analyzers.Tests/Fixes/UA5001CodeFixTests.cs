using System.Threading.Tasks;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.Fixes;

public class UA5001CodeFixTests
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync(new UA5001StandIn(), new UA5001IgnoredResultCodeFix(), "UA5001", FixHarness.Usings + source, FixHarness.Usings + expected);

    private static Task VerifyNoFix(string source) =>
        FixHarness.VerifyNoFixAsync(new UA5001StandIn(), new UA5001IgnoredResultCodeFix(), "UA5001", FixHarness.Usings + source);

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
                lk.Lock();
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
                lk.Lock();
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
}
