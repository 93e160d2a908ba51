using System;
using Scenarios.Harness;
using UserAccess.Runtime;
using Xunit;

namespace UserAccess.Scenarios.Tests;

internal static class ScenarioAssert
{
    public static Outcome Run(Scenario scenario, string arch, Variant variant)
    {
        var outcome = scenario.Run(Sim.ArchByName(arch), variant);
        Assert.True(outcome.Agrees, $"{outcome.Scenario} {outcome.Arch} {variant}: kernel: {outcome.Kernel} | simulator: {outcome.Simulator}");
        Assert.Equal(variant, outcome.Code);
        Assert.Equal(variant, outcome.Expectation);
        return outcome;
    }

    public static void Reports(Outcome outcome, params ReportKind[] expected) =>
        Assert.Equal(expected, outcome.Reports);

    public static void NoReports(Outcome outcome) =>
        Assert.Empty(outcome.Reports);

    public static void Bytes(Outcome outcome, ReadOnlySpan<byte> expected) =>
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(outcome.UserBytes ?? Array.Empty<byte>()));
}
