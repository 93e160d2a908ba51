using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock;

/// <summary>The fix on an access made inside a helper of the user's that walks an iterator.</summary>
public class HelperCodeFix
{
    private const string Gfs2 = """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public sealed class Gfs2Inode
        {
            [TakenInFaultPath]
            public RwSemaphore Glock = null!;
        }

        public sealed class IovIter
        {
            public UserPtr Base;
            public long Count;
        }

        public static class Helpers
        {
            [Acquires("ip.Glock", Shared = true, When = AcquiredWhen.ReturnsZero)]
            public static int Gfs2GlockNq(Gfs2Inode ip) => ip.Glock.DownReadKillable();

            [Releases("ip.Glock", Shared = true)]
            public static void Gfs2GlockDq(Gfs2Inode ip) => ip.Glock.UpRead();

            public static long GenericFileReadIter(IovIter to)
            {
                var page = new byte[System.Math.Min(4096, to.Count)];
                long left = CopyToUser(to.Base, page);
                long copied = page.Length - left;
                to.Base += copied;
                to.Count -= copied;
                return copied != 0 || page.Length == 0 ? copied : -EFAULT;
            }
        }

        """;

    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(FixHarness.Usings + Gfs2 + source, FixHarness.Usings + Gfs2 + expected);

    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA2002FaultUnderFaultPathLockAnalyzer, UA2002FaultUnderFaultPathLockCodeFix>(FixHarness.Usings + Gfs2 + source, reasons);

    /// <summary>
    /// gfs2_file_read_iter(), v5.15: generic_file_read_iter() under the inode glock; 00bfe02f4796 runs it
    /// with page faults disabled, keeps the partial read, and after dropping the glock faults in what is
    /// left of the iterator, retrying while that made progress.
    /// </summary>
    [Fact]
    public Task AReadThatWalksTheIteratorUnderTheGlockRetriesFromWhereItStopped() => Verify(
        """
        public static class Gfs2File
        {
            public static long ReadIter(Gfs2Inode ip, IovIter to)
            {
                long written = 0;
                long ret;

                ret = Helpers.Gfs2GlockNq(ip);
                if (ret != 0)
                    goto out_uninit;
                ret = [|Helpers.GenericFileReadIter(to)|];
                if (ret > 0)
                    written += ret;
                Helpers.Gfs2GlockDq(ip);
            out_uninit:
                return written != 0 ? written : ret;
            }
        }
        """,
        """
        public static class Gfs2File
        {
            public static long ReadIter(Gfs2Inode ip, IovIter to)
            {
                long written = 0;
                long ret;

                while (true)
                {
                    ret = Helpers.Gfs2GlockNq(ip);
                    if (ret != 0)
                        goto out_uninit;
                    PagefaultDisable();
                    ret = Helpers.GenericFileReadIter(to);
                    PagefaultEnable();
                    if (ret > 0)
                        written += ret;
                    Helpers.Gfs2GlockDq(ip);
                    if (to.Count == 0 || (ret <= 0 && ret != -EFAULT))
                        break;
                    if (FaultInSafeWriteable(to.Base, to.Count) == to.Count)
                        break;
                }
            out_uninit:
                return written != 0 ? written : ret;
            }
        }
        """);

    /// <summary>
    /// The fixed gfs2_file_read_iter() (v5.16) is silent under every rule: the read under the glock runs
    /// with faults disabled, and the fault-in after the glock is dropped writes nothing.
    /// </summary>
    [Fact]
    public async Task TheFixedReadIsSilentUnderEveryRule()
    {
        var project = FixApplier.CreateProject(FixHarness.Usings + Gfs2 + """
            public static class Gfs2File
            {
                public static long ReadIter(Gfs2Inode ip, IovIter to)
                {
                    long written = 0;
                    long ret;

                    while (true)
                    {
                        ret = Helpers.Gfs2GlockNq(ip);
                        if (ret != 0)
                            goto out_uninit;
                        PagefaultDisable();
                        ret = Helpers.GenericFileReadIter(to);
                        PagefaultEnable();
                        if (ret > 0)
                            written += ret;
                        Helpers.Gfs2GlockDq(ip);
                        if (to.Count == 0 || (ret <= 0 && ret != -EFAULT))
                            break;
                        if (FaultInSafeWriteable(to.Base, to.Count) == to.Count)
                            break;
                    }
                out_uninit:
                    return written != 0 ? written : ret;
                }
            }
            """);
        Assert.Empty((await project.GetCompilationAsync())!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var result = await AnalyzerRunner.RunAsync(project, FixApplier.AllRules);
        Assert.Empty(result.AnalyzerDiagnostics.Select(d => d.ToString()));
    }

    /// <summary>
    /// Near misses of gfs2_file_read_iter(): a call between the read and the unlock would run again on
    /// every round; a helper that does not advance the iterator it reads through (gfs2_file_direct_read()'s
    /// iomap_dio_rw() reduced to one copy) would be retried from its start over a range the engine cannot name.
    /// </summary>
    [Fact]
    public Task NoFixForACallAfterTheReadOrAHelperThatDoesNotAdvance() => VerifyNoFix(
        """
        public static class Gfs2File
        {
            public static long ReadAndTouch(Gfs2Inode ip, IovIter to, long[] stats)
            {
                long written = 0;
                long ret;

                ret = Helpers.Gfs2GlockNq(ip);
                if (ret != 0)
                    goto out_uninit;
                ret = [|Helpers.GenericFileReadIter(to)|];
                Account(stats, ret);
                Helpers.Gfs2GlockDq(ip);
            out_uninit:
                return written != 0 ? written : ret;
            }

            public static long DirectRead(Gfs2Inode ip, IovIter to)
            {
                long ret;

                ret = Helpers.Gfs2GlockNq(ip);
                if (ret != 0)
                    return ret;
                ret = [|DioRw(to)|];
                Helpers.Gfs2GlockDq(ip);
                return ret;
            }

            public static void Account(long[] stats, long ret) => stats[0] += ret;

            public static long DioRw(IovIter to)
            {
                var page = new byte[to.Count];
                return CopyToUser(to.Base, page) != 0 ? -EFAULT : page.Length;
            }
        }
        """,
        DeclineReason.StatementBetween,
        DeclineReason.AccessInHelper);

    /// <summary>
    /// gfs2_file_direct_read(), v5.15: iomap_dio_rw() pins the iterator's pages, which faults them in even
    /// with page faults disabled; b01b2d72da25 made the pinning itself nofault inside iomap, with partial
    /// completion, which is no rewrite of the call.
    /// </summary>
    [Fact]
    public Task NoFixForADirectReadThatPinsTheIteratorsPages() => VerifyNoFix(
        """
        public static class Gfs2Direct
        {
            public static long DirectRead(Gfs2Inode ip, IovIter to)
            {
                long ret;

                ret = Helpers.Gfs2GlockNq(ip);
                if (ret != 0)
                    return ret;
                ret = [|IomapDioRw(to)|];
                Helpers.Gfs2GlockDq(ip);
                return ret;
            }

            [MightFault]
            public static long IomapDioRw(IovIter to)
            {
                var pages = new PinnedPage[1];
                int pinned = PinUserPagesUnlocked(to.Base, 1, pages, GupFlags.Write);
                if (pinned <= 0)
                    return -EFAULT;
                UnpinUserPage(pages[0]);
                long done = System.Math.Min(4096, to.Count);
                to.Base += done;
                to.Count -= done;
                return done;
            }
        }
        """,
        DeclineReason.AccessInHelper);
}
