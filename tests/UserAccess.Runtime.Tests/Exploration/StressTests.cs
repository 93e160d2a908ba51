using System;
using System.Linq;
using UserAccess.Runtime.Exploration;
using Xunit;
using Xunit.Abstractions;

namespace UserAccess.Runtime.Tests.Exploration;

// Correct code under hostile threads for a couple of seconds: every invariant must hold whatever
// the interleaving, so the test asserts the invariants, never how much got done.
public class StressTests
{
    private readonly ITestOutputHelper output;

    public StressTests(ITestOutputHelper output) => this.output = output;

    [Theory]
    [InlineData("x86_64")]
    [InlineData("arm64")]
    public void Correct_code_keeps_every_invariant_under_hostile_threads(string archName)
    {
        var arch = archName == "arm64" ? Arch.Arm64 : Arch.X86_64;

        var report = StressRun.Run(new StressOptions { Arch = arch, Duration = TimeSpan.FromSeconds(1.5) });
        output.WriteLine(report.ToString());
        foreach (var violation in report.Violations.Take(3))
        {
            output.WriteLine(violation);
        }

        Assert.Empty(report.Violations);
        Assert.Empty(report.Reports);
        Assert.True(report.Operations > 0);
        Assert.True(report.Injected.Count > 0);
    }
}
