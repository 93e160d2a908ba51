namespace UserAccess.Analyzers;

/// <summary>The stable rule IDs (docs/rules): UA0xxx configuration, UA1xxx context, UA2xxx locking, UA3xxx atomics, UA4xxx retry protocol, UA5xxx results.</summary>
internal static class DiagnosticIds
{
    internal const string InvalidRuleOption = "UA0001";
    internal const string SleepInAtomic = "UA1001";
    internal const string FaultHandlingInNofault = "UA1002";
    internal const string UnbalancedRegion = "UA1003";
    internal const string NonKillableWait = "UA2001";
    internal const string FaultUnderFaultPathLock = "UA2002";
    internal const string RequiredLockNotHeld = "UA2003";
    internal const string GuardedFieldWithoutLock = "UA2004";
    internal const string UnalignedUserAtomic = "UA3001";
    internal const string UnvalidatedBitOperation = "UA3002";
    internal const string DoubleFetch = "UA3003";
    internal const string PrefaultOnHotPath = "UA4001";
    internal const string EndlessRetry = "UA4002";
    internal const string NoFatalSignalCheck = "UA4003";
    internal const string AllOrNothingFaultIn = "UA4004";
    internal const string NoForwardProgress = "UA4005";
    internal const string IgnoredResult = "UA5001";
    internal const string BytesNotCopiedMisread = "UA5002";
    internal const string UncheckedAccess = "UA5003";
}
