using System.Collections.Generic;

namespace Scenarios.Harness;

/// <summary>The seed scenarios, in the order the table prints them.</summary>
public static class ScenarioCatalog
{
    /// <summary>Every scenario.</summary>
    public static IReadOnlyList<Scenario> All { get; } = new Scenario[]
    {
        new UmcgXchgUser64Scenario(),
        new UmcgXchgUser64AlignedScenario(),
        new UmcgGetUserNosleepScenario(),
        new ArcUsrCmpxchgScenario(),
        new FutexWakeOpScenario(),
        new FutexWakeOpSwappedOutScenario(),
        new GenericPerformWriteScenario(),
        new GenericPerformWriteShortCopyScenario(),
        new UserEventsScenario(8, 63),
        new UserEventsScenario(4, 31),
        new UserEventsValidationScenario(),
        new UserfaultfdScenario(),
        new BtrfsSearchIoctlScenario(),
        new BtrfsSearchIoctlNotPresentScenario(),
    };
}
