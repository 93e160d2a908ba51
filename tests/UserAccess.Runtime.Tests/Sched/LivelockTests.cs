using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Sched;

public class LivelockTests
{
    [Fact]
    public void TheSoftLockupReportSaysHowLongTheLoopSpun()
    {
        // 20 rounds of at least 10 ms: the report must say at least 0.2 s, not a fixed figure.
        var sim = new Sim(livelockThreshold: 20);
        Assert.Equal(TaskStruct.Killed, SpinOnAnUnmappedWord(sim, () => System.Threading.Thread.Sleep(10)));

        var report = sim.AssertSingleReport(ReportKind.Livelock);
        var match = System.Text.RegularExpressions.Regex.Match(report.Message, @"stuck for (?<s>\d+(\.\d{1,3})?)s!");
        Assert.True(match.Success, report.Message);
        double seconds = double.Parse(match.Groups["s"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 0.2, 60);
    }

    /// <summary>
    /// The futex wake-op loop without its "if (ret) return ret;" on an unmapped word: every
    /// fault_in_user_writeable() fails and the loop tries again, after <paramref name="eachRound"/>.
    /// </summary>
    private static int SpinOnAnUnmappedWord(Sim sim, System.Action eachRound)
    {
        var p = sim.Map(1);
        sim.Mm.Munmap(p, (ulong)sim.PageSize);
        return sim.RunRaw(() =>
        {
            while (true)
            {
                PagefaultDisable();
                int ret = ArchFutexAtomicOpInuser(FutexOp.Add, 1, out _, p.Cast<uint>());
                PagefaultEnable();
                if (ret != -EFAULT)
                {
                    return ret;
                }

                eachRound();
                _ = FaultInUserWriteable(p);
            }
        });
    }

    [Fact]
    public void ARetryLoopThatIgnoresAFailingFaultInIsALivelock()
    {
        // The futex wake-op loop without its "if (ret) return ret;": the page is unmapped, every
        // fault_in_user_writeable() fails, and the loop tries the same word for ever.
        var sim = new Sim(livelockThreshold: 50);
        Assert.Equal(TaskStruct.Killed, SpinOnAnUnmappedWord(sim, () => { }));

        var report = sim.AssertSingleReport(ReportKind.Livelock);
        Assert.Matches(@"^watchdog: BUG: soft lockup - CPU#0 stuck for \d+(\.\d{1,3})?s! \[", report.Message);
        Assert.EndsWith("with a fault-in between every two tries whose failure was ignored", report.Message);
    }

    [Fact]
    public void TheLoopThatGivesUpWhenFaultInFailsIsSilent()
    {
        var sim = new Sim(livelockThreshold: 50);
        var p = sim.Map(1);
        sim.Mm.Munmap(p, (ulong)sim.PageSize);

        Assert.Equal(-EFAULT, sim.RunRaw(() =>
        {
            while (true)
            {
                PagefaultDisable();
                int ret = ArchFutexAtomicOpInuser(FutexOp.Add, 1, out _, p.Cast<uint>());
                PagefaultEnable();
                if (ret != -EFAULT)
                {
                    return ret;
                }

                ret = FaultInUserWriteable(p);
                if (ret != 0)
                {
                    return ret;
                }
            }
        }));
        sim.AssertNoReports();
    }

    [Fact]
    public void RepeatedFailuresWithoutAnyFaultInAreNotALivelock()
    {
        // A bounded probe loop with no fault-in at all is not a retry loop: nothing to report.
        var sim = new Sim(livelockThreshold: 5);
        var p = sim.Map(1);
        sim.Mm.Munmap(p, (ulong)sim.PageSize);
        sim.Run(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                Assert.Equal(-EFAULT, GetUser(out uint _, p.Cast<uint>()));
            }
        });
        sim.AssertNoReports();
    }
}
