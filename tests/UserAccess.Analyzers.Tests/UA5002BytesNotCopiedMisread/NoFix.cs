using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA5002BytesNotCopiedMisread;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA5002BytesNotCopiedMisreadAnalyzer, UA5002BytesNotCopiedMisreadCodeFix>(FixHarness.Usings + source, reasons);

    [Fact]
    public Task NoFixWhereTheIntentIsUnclear() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Unclear
        {
            public static int Partial(UserPtr arg, byte[] buf, int n)
            {
                if ([|CopyFromUser(buf, arg) < n|])
                    return 1;
                if ([|CopyFromUser(buf, arg) >= n|])
                    return n;
                if (CopyFromUser(buf, arg) != n)
                    return 2;
                return 0;
            }

            [ReturnsBytesNotCopied]
            public static int Forward(UserPtr to, byte[] buf)
            {
                if ([|CopyToUser(to, buf) >= buf.Length|])
                    return buf.Length;
                return 0;
            }
        }
        """,
        DeclineReason.IntentUnclear,
        DeclineReason.BranchNotAnErrorPath,
        DeclineReason.BranchNotAnErrorPath);

    [Fact]
    public Task NoFixForALocalThatHoldsAnErrnoOnAnotherPath() => VerifyNoFix(
        """
        namespace Sim;

        public static class Mixed
        {
            public static int Get(UserPtr arg, byte[] buf, bool ready)
            {
                int ret = -EAGAIN;
                if (ready)
                    ret = CopyFromUser(buf, arg);
                if ([|ret < 0|])
                    return ret;
                return 0;
            }
        }
        """,
        DeclineReason.NotOnlyACount);

    /// <summary>
    /// The vc4 shape where the path that goes on after the test reads the local before writing it: it
    /// held the 0 the copy left, and after the rewrite it would hold nothing.
    /// </summary>
    [Fact]
    public Task NoFixWhereThePathThatGoesOnReadsTheZeroTheCopyLeft() => VerifyNoFix(
        """
        namespace Sim;

        public static class Vc4
        {
            public static int CreateShaderBo(UserPtr data, byte[] bo, bool validate)
            {
                int ret;

                ret = CopyFromUser(bo, data);
                if (ret != 0)
                    goto fail;
                if (!validate)
                    goto fail;
                ret = -EINVAL;
            fail:
                return [|ret|];
            }
        }
        """,
        DeclineReason.ResultUsedLater);

    /// <summary>
    /// The count stored in the returned errno local is also used as a count on the way (the bytes copied
    /// are accounted): answering with -EFAULT at the store would change that.
    /// </summary>
    [Fact]
    public Task NoFixWhereTheStoredCountIsAlsoUsedAsACount() => VerifyNoFix(
        """
        namespace Sim;

        public static class Counted
        {
            public static int Read(UserPtr text, byte[] name, bool ready, ref int copied)
            {
                int rval;
                if (!ready)
                {
                    rval = -EAGAIN;
                    goto exit;
                }

                rval = CopyToUser(text, name);
                copied += name.Length - rval;

            exit:
                return [|rval|];
            }
        }
        """,
        DeclineReason.NotOnlyACount);

    /// <summary>
    /// ssif_bmc_read()'s shape where the count also shortens what the return reports: answering with
    /// -EFAULT at the store would change that count too.
    /// </summary>
    [Fact]
    public Task NoFixWhereTheReturnAlsoReadsTheCountAsACount() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class SsifBmc
        {
            public static long Read(UserPtr buf, ulong count, byte[] msg)
            {
                long ret;
                if ((long)count < msg.Length)
                {
                    ret = -EINVAL;
                }
                else
                {
                    count = (ulong)msg.Length;
                    ret = CopyToUser(buf, msg.AsSpan(0, (int)count));
                }

                long done = (long)count - ret;
                return ([|ret < 0|]) ? ret : done;
            }
        }
        """,
        DeclineReason.NotOnlyACount);

    /// <summary>
    /// The returned conditional's failure arm returns something else than the count or an errno (what was
    /// copied so far): that arm was written for partial progress, and widening it to any short copy could
    /// be wrong.
    /// </summary>
    [Fact]
    public Task NoFixWhereTheReturnedConditionalsFailureArmReturnsProgress() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Maccess
        {
            public static long Copy(byte[] dst, UserPtr src, long done)
            {
                long ret = CopyFromUser(dst.AsSpan(0, 1), src);
                return [|ret < 0|] ? done : done + 1;
            }
        }
        """,
        DeclineReason.BranchNotAnErrorPath);

    /// <summary>
    /// tipc's chain with a branch that leaves on its own (a <c>goto</c> to a later exit that reads the count
    /// too): storing -EFAULT at its end would not run, so the fix does not guess where it belongs.
    /// </summary>
    [Fact]
    public Task NoFixWhereTheStoresOwnTestLeavesOnItsOwn() => VerifyNoFix(
        """
        namespace Sim;

        public static class Tipc
        {
            public static int Getsockopt(UserPtr ov, int len, uint value, bool failed)
            {
                int res = 0;
                if (failed)
                    res = -EINVAL;
                else if ((res = CopyToUser(ov.Cast<uint>(), value)) != 0)
                {
                    goto out_;
                }
                else
                {
                    res = 0;
                }

            out_:
                return [|res|];
            }
        }
        """,
        DeclineReason.NotOnlyACount);

    /// <summary>
    /// vhost_set_vring()'s shape with a SET case that tests its count with <c>r &gt; 0</c>, right for a count:
    /// answering with -EFAULT at the store would make that test miss every short copy, so the returned
    /// count's fix declines.
    /// </summary>
    [Fact]
    public Task NoFixWhereAStoreIsTestedAsACountElsewhere() => VerifyNoFix(
        """
        namespace Sim;

        public static class Vhost
        {
            public static long SetVring(int ioctl, UserPtr argp, byte[] s, uint[] vq)
            {
                long r;
                r = GetUser(out uint idx, argp.Cast<uint>());
                if (r < 0)
                    return r;
                switch (ioctl)
                {
                    case 1:
                        r = CopyFromUser(s, argp);
                        if (r > 0)
                            break;
                        vq[idx] = s[0];
                        break;
                    case 2:
                        s[0] = (byte)vq[idx];
                        r = CopyToUser(argp, s);
                        break;
                    default:
                        r = -EINVAL;
                        break;
                }

                return [|r|];
            }
        }
        """,
        DeclineReason.NotOnlyACount);
}
