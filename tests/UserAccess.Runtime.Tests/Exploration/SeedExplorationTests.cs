using System.Linq;
using Scenarios.Harness;
using UserAccess.Runtime.Exploration;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Exploration;

// The seeds' functions explored on every backend with nothing said about their bugs: the explorer
// must find each buggy one by itself, and find nothing in the fixed ones.
public class SeedExplorationTests
{
    public static TheoryData<string> Seeds => new() { "umcg xchg_user_64", "umcg get_user_nosleep", "arc_usr_cmpxchg", "futex_wake_op", "generic_perform_write" };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Fixed_seed_explores_clean_on_every_backend(string seed)
    {
        var result = Explorer.Run(Target(seed, KernelCode.Fixed));

        result.AssertClean();
        Assert.Equal(5, result.Runs.Select(r => r.Arch).Distinct().Count());
    }

    [Fact]
    public void Umcg_xchg_livelocks_on_a_misaligned_word_where_the_hardware_traps()
    {
        var result = Explorer.Run(Target("umcg xchg_user_64", KernelCode.Buggy));

        var failures = result.Failures;
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.StartsWith("misaligned +", f.Fault));
        Assert.All(failures, f => Assert.Equal(nameof(ReportKind.Livelock), f.Verdict));
        Assert.Contains(failures, f => f.Arch == Arch.X86_64 && f.Fault == "misaligned +60");
        Assert.Contains(failures, f => f.Arch == Arch.Arm64 && f.Fault == "misaligned +4");
        Assert.DoesNotContain(failures, f => f.Arch == Arch.X86_64 && f.Fault == "misaligned +4");
    }

    [Fact]
    public void Arc_cmpxchg_reports_success_on_a_never_written_page_it_could_not_store_to()
    {
        var result = Explorer.Run(Target("arc_usr_cmpxchg", KernelCode.Buggy));

        var first = result.Failures.First();
        Assert.StartsWith("ZeroPage ", first.Fault);
        Assert.Equal(ExplorationOutcome.CheckFailed, first.Outcome);
        Assert.All(result.Failures, f => Assert.StartsWith("ZeroPage ", f.Fault));
        Assert.Equal(5, result.Failures.Count);
    }

    [Fact]
    public void Futex_wake_op_spins_on_an_unmapped_or_poisoned_page()
    {
        var result = Explorer.Run(Target("futex_wake_op", KernelCode.Buggy));

        Assert.Contains(result.Failures, f => f.Fault.StartsWith("NotMapped ", System.StringComparison.Ordinal) && f.Verdict == nameof(ReportKind.Livelock));
        Assert.Contains(result.Failures, f => f.Fault.StartsWith("Poisoned ", System.StringComparison.Ordinal) && f.Verdict == nameof(ReportKind.Livelock));
    }

    [Fact]
    public void Pre_v6_14_buffered_write_deadlocks_when_its_source_page_is_not_present()
    {
        var result = Explorer.Run(Target("generic_perform_write", KernelCode.Buggy));

        Assert.Contains(result.Failures, f => f.Fault.StartsWith("NotPresent ", System.StringComparison.Ordinal) && f.Verdict == nameof(ReportKind.Deadlock));
        Assert.Equal(5, result.Failures.Select(f => f.Arch).Distinct().Count());
    }

    [Fact]
    public void Get_user_nosleep_under_the_hook_sleeps_in_atomic_context_when_the_page_is_out()
    {
        var result = Explorer.Run(Target("umcg get_user_nosleep", KernelCode.Buggy));

        Assert.Contains(result.Failures, f => f.Fault.StartsWith("SwappedOut ", System.StringComparison.Ordinal) && f.Verdict == nameof(ReportKind.SleepInAtomic));
    }

    [Fact]
    public void Get_user_under_a_spinlock_is_found_and_the_nofault_read_is_not()
    {
        ExplorationTarget UnderSpinlock(GetUserNosleepFn read) => new()
        {
            Setup = mm =>
            {
                var uaddr = mm.Mmap((ulong)mm.Machine.Arch.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate).Cast<ulong>();
                mm.UserWrite(uaddr, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
                return uaddr;
            },
            Body = args =>
            {
                var uaddr = (UserPtr<ulong>)args!;
                var hookLock = new KernelSpinlock(Current.Machine, "hook_lock");
                while (true)
                {
                    hookLock.Lock();
                    int ret = read(uaddr, out _);
                    hookLock.Unlock();
                    if (ret != -EFAULT)
                    {
                        return ret;
                    }

                    if (FatalSignalPending())
                    {
                        return -EINTR;
                    }

                    if (FaultInReadable(uaddr, sizeof(ulong)) != 0)
                    {
                        return -EFAULT;
                    }
                }
            },
        };

        var buggy = Explorer.Run(UnderSpinlock(global::Scenarios.Buggy.Umcg.GetUserNosleep));
        Explorer.Run(UnderSpinlock(global::Scenarios.Fixed.Umcg.GetUserNosleep)).AssertClean();

        Assert.All(buggy.Failures, f => Assert.Equal(nameof(ReportKind.SleepInAtomic), f.Verdict));
        Assert.Contains(buggy.Failures, f => f.Fault.StartsWith("SwappedOut ", System.StringComparison.Ordinal));
        Assert.Contains(buggy.Failures, f => f.Fault == "fail-nth 1");
    }

    [Fact]
    public void A_failure_replays_to_the_same_outcome()
    {
        var target = Target("futex_wake_op", KernelCode.Buggy);
        var failure = Explorer.Run(target).Failures.First();

        var again = Explorer.Replay(target, failure);

        Assert.Equal(failure.Fault, again.Fault);
        Assert.Equal(failure.Arch, again.Arch);
        Assert.Equal(failure.Outcome, again.Outcome);

        // The same report; only the time the loop spun (the soft-lockup line's "stuck for Ns!") is the clock's.
        Assert.Equal(WithoutSpinTime(failure.Detail), WithoutSpinTime(again.Detail));
    }

    private static string? WithoutSpinTime(string? detail) =>
        detail is null ? null : System.Text.RegularExpressions.Regex.Replace(detail, @"stuck for [0-9.]+s!", "stuck for Ns!");

    private static ExplorationTarget Target(string seed, KernelCode code) =>
        ScenarioCatalog.All.First(s => s.Name == seed).ExplorationTarget(code, arches: null)!;
}
