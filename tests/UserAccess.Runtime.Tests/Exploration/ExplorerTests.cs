using System;
using System.Linq;
using UserAccess.Runtime.Exploration;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Exploration;

public class ExplorerTests
{
    private static readonly Arch[] X86 = { Arch.X86_64 };

    [Fact]
    public void The_same_target_explores_the_same_runs_with_the_same_results_at_any_parallelism()
    {
        var target = IncrementIgnoringThePut(arches: null);

        var one = Explorer.Run(target, new ExplorationOptions { Parallelism = 1 });
        var two = Explorer.Run(target, new ExplorationOptions { Parallelism = 2 });

        Assert.Equal(Lines(one), Lines(two));
        Assert.Equal(new[] { Arch.X86_64, Arch.Arm64, Arch.Arc, Arch.PowerPC64BE, Arch.I386 }, one.Runs.Take(5).Select(r => r.Arch));
        Assert.All(one.Runs.Take(5), r => Assert.Equal("none", r.Fault));
    }

    [Fact]
    public void Fail_nth_fails_exactly_one_user_access()
    {
        var result = Explorer.Run(IncrementIgnoringThePut(X86));

        // The get failing is handled (the increment starts from 0); the put failing is ignored.
        Assert.Equal(ExplorationOutcome.Clean, Run(result, "fail-nth 1").Outcome);
        var second = Run(result, "fail-nth 2");
        Assert.Equal(ExplorationOutcome.CheckFailed, second.Outcome);
        Assert.Contains("holds 0x0", second.Detail);
    }

    [Fact]
    public void Every_touched_page_is_placed_in_every_state_it_can_hold()
    {
        // The page of the counter is all zero: it may be dropped or be the zero page.
        var zeroes = Explorer.Run(IncrementIgnoringThePut(X86));
        Assert.Equal(
            new[] { "NotPresent", "SwappedOut", "ZeroPage", "ReadOnly", "NotMapped", "Poisoned" },
            PageStatesPlaced(zeroes));
        Assert.Equal(ExplorationOutcome.Clean, zeroes.Runs.Single(r => r.Fault.StartsWith("SwappedOut", StringComparison.Ordinal)).Outcome);

        // A page that holds data is never turned into one that has lost it.
        var data = Explorer.Run(LengthThenBytes());
        Assert.Equal(new[] { "SwappedOut", "ReadOnly", "NotMapped", "Poisoned" }, PageStatesPlaced(data));
        Assert.Equal(-EFAULT, data.Runs.Single(r => r.Fault.StartsWith("Poisoned", StringComparison.Ordinal)).Result);
    }

    [Fact]
    public void A_hostile_task_races_the_body_between_its_accesses()
    {
        var result = Explorer.Run(LengthThenBytes());

        Assert.Equal(9, result.Runs[0].Result);
        var race = Assert.Single(result.Failures, f => f.Fault.StartsWith("hostile swap-out", StringComparison.Ordinal));
        Assert.EndsWith("between access 1 and 2", race.Fault);
        Assert.Equal(ExplorationOutcome.Exception, race.Outcome);
        Assert.Contains(result.Runs, r => r.Fault.StartsWith("hostile make read-only", StringComparison.Ordinal) && !r.Failed);
        Assert.Contains(result.Failures, f => f.Fault.StartsWith("hostile unmap", StringComparison.Ordinal));
    }

    [Fact]
    public void A_fatal_signal_arrives_at_the_nth_wait()
    {
        var target = new ExplorationTarget
        {
            Arches = X86,
            Setup = mm => mm.Mmap(4096, Prot.Read | Prot.Write),
            Body = args => FaultInSafeWriteable((UserPtr)args!, 8) == 0 ? 0 : -EINTR,
        };

        var result = Explorer.Run(target);

        Assert.Equal(0, result.Runs[0].Result);
        Assert.Equal(-EINTR, Run(result, "SIGKILL at wait 1").Result);
        Assert.True(result.IsClean);
    }

    [Fact]
    public void Each_touched_granule_gets_a_tag_mismatch_on_arm64()
    {
        var target = new ExplorationTarget
        {
            Setup = mm =>
            {
                var p = mm.Mmap(4096, Prot.Read | Prot.Write | Prot.Mte, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
                mm.SetMemoryTag(p, 32, 3);
                return p.WithTag(3).Cast<ulong>() + 12;
            },
            Body = args => GetUser(out ulong _, (UserPtr<ulong>)args!),
        };

        var result = Explorer.Run(target);

        var mismatches = result.Runs.Where(r => r.Fault.StartsWith("MTE tag mismatch at", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, mismatches.Length);
        Assert.All(mismatches, r => Assert.Equal(Arch.Arm64, r.Arch));
        Assert.All(mismatches, r => Assert.Equal(-EFAULT, r.Result));
    }

    [Fact]
    public void Misaligned_variants_split_a_cache_line_and_a_page()
    {
        var target = new ExplorationTarget
        {
            Arches = X86,
            Setup = mm => Explorer.MayMisalign((mm.Mmap(8192, Prot.Read | Prot.Write) + 0x100).Cast<ulong>()),
            Body = args => PutUser(1UL, (UserPtr<ulong>)args!),
        };

        var result = Explorer.Run(target);

        Assert.Equal(new[] { "misaligned +1", "misaligned +4", "misaligned +60", "misaligned +3836" }, result.Runs.Where(r => r.Fault.StartsWith("misaligned", StringComparison.Ordinal)).Select(r => r.Fault));
        Assert.True(result.IsClean);
        var p = new UserPtr<ulong>(0x1234);
        Assert.Equal(p.Address, Explorer.MayMisalign(p).Address);
    }

    [Fact]
    public void A_body_that_never_returns_is_cut_off_by_the_watchdog()
    {
        var target = new ExplorationTarget
        {
            Arches = X86,
            Setup = _ => null,
            Body = _ =>
            {
                while (true)
                {
                    Schedule();
                }
            },
        };

        var result = Explorer.Run(target, new ExplorationOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        var hang = Assert.Single(result.Runs);
        Assert.Equal(ExplorationOutcome.Hang, hang.Outcome);
        Assert.Null(hang.Result);
    }

    [Fact]
    public void MaxRuns_bounds_the_exploration_and_the_plan_says_how_much_was_left()
    {
        var result = Explorer.Run(IncrementIgnoringThePut(arches: null), new ExplorationOptions { MaxRuns = 7 });

        Assert.Equal(7, result.Runs.Count);
        Assert.True(result.Planned > 7);
        Assert.Equal(new[] { Arch.X86_64, Arch.Arm64 }, result.Runs.Skip(5).Select(r => r.Arch));
    }

    [Fact]
    public void AssertClean_lists_each_failure_on_one_line_with_its_replay()
    {
        var target = IncrementIgnoringThePut(X86);
        var result = Explorer.Run(target);

        var e = Assert.Throws<ExplorationException>(result.AssertClean);

        var line = e.Message.Split('\n').Single(l => l.Contains("fail-nth 2", StringComparison.Ordinal));
        Assert.Contains("x86_64 | fail-nth 2 | CheckFailed", line);
        Assert.Contains("replay: Explorer.Replay(target, Arch.X86_64, \"fail-nth 2\")", line);
        Assert.Equal(ExplorationOutcome.CheckFailed, Explorer.Replay(target, Arch.X86_64, "fail-nth 2").Outcome);
        Assert.Contains("explored", result.ToString());
    }

    // Reads a length, then the bytes it counts, with page faults disabled for the second read
    // because the first one "just faulted the page in": true until another task swaps it out.
    private static ExplorationTarget LengthThenBytes() => new()
    {
        Arches = X86,
        Setup = mm =>
        {
            var p = mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
            mm.UserWrite(p, new byte[] { 4, 0, 0, 0, 9, 9, 9, 9 });
            return p;
        },
        Body = args =>
        {
            var p = (UserPtr)args!;
            if (GetUser(out uint length, p.Cast<uint>()) != 0)
            {
                return -EFAULT;
            }

            Span<byte> data = stackalloc byte[(int)length];
            using (NoFault())
            {
                if (CopyFromUser(data, p + 4) != 0)
                {
                    throw new InvalidOperationException("the page was faulted in a moment ago");
                }
            }

            return data[0];
        },
    };

    private static string[] PageStatesPlaced(ExplorationResult result) =>
        result.Runs.Select(r => r.Fault.Split(' ')).Where(w => w.Length == 2 && Enum.TryParse<PageState>(w[0], out _)).Select(w => w[0]).ToArray();

    [Fact]
    public void A_body_called_through_reflection_is_judged_by_its_report_not_by_the_wrapper()
    {
        // How a test explores code it compiled at run time (a code fix's output): the method is
        // found by reflection and invoked; a dynamic check that unwinds the task still decides.
        var method = typeof(ExplorerTests).GetMethod(nameof(SpinOnFault), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var target = new ExplorationTarget
        {
            Arches = X86,
            Setup = mm => mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate),
            Body = args => (int)method.Invoke(null, new[] { args })!,
        };

        var result = Explorer.Run(target);

        var unmapped = Assert.Single(result.Failures, f => f.Fault.StartsWith("NotMapped", StringComparison.Ordinal));
        Assert.Equal(nameof(ReportKind.Livelock), unmapped.Verdict);
        Assert.Equal(ExplorationOutcome.Report, unmapped.Outcome);
    }

    // The futex bug in small: the fault-in's failure is ignored.
    private static int SpinOnFault(UserPtr p)
    {
        while (true)
        {
            int ret;
            using (NoFault())
            {
                ret = XchgUserInatomic(p.Cast<uint>(), 1u, out uint _);
            }

            if (ret != -EFAULT)
            {
                return ret;
            }

            _ = FaultInUserWriteable(p);
        }
    }

    private static ExplorationTarget IncrementIgnoringThePut(Arch[]? arches) => new()
    {
        Arches = arches,
        Setup = mm => mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate).Cast<uint>() + 8,
        Body = args =>
        {
            var p = (UserPtr<uint>)args!;
            _ = GetUser(out uint value, p);
            _ = PutUser(value + 1, p);
            return 0;
        },
        Check = (mm, args, ret) =>
        {
            var bytes = new byte[4];
            try
            {
                mm.UserRead((UserPtr<uint>)args!, bytes);
            }
            catch (SegmentationFaultException)
            {
                return null;
            }

            uint value = BitConverter.ToUInt32(bytes) is var v && mm.Machine.Arch.IsBigEndian ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v) : BitConverter.ToUInt32(bytes);
            return value == 1 ? null : $"the word holds 0x{value:x}, not 1";
        },
    };

    private static ExplorationRun Run(ExplorationResult result, string fault) => result.Runs.Single(r => r.Fault == fault);

    private static string[] Lines(ExplorationResult result) => result.Runs.Select(r => $"{r.Index} {r}").ToArray();
}
