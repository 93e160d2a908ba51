namespace UserAccess.CodeFixes;

/// <summary>Equivalence keys of the code fixes: one per fix, stable, so Fix All groups them.</summary>
internal static class EquivalenceKeys
{
    internal const string UA5001CheckResult = "UA5001.CheckResult";
    internal const string UA5002CompareWithZero = "UA5002.CompareWithZero";
    internal const string UA2001UseKillableVariant = "UA2001.UseKillableVariant";
    internal const string UA2003TakeRequiredLock = "UA2003.TakeRequiredLock";
    internal const string UA2004TakeGuardingLock = "UA2004.TakeGuardingLock";
    internal const string UA1003ReleaseOnEveryPath = "UA1003.ReleaseOnEveryPath";
    internal const string UA1002CanonicalRetryLoop = "UA1002.CanonicalRetryLoop";
    internal const string UA2002CanonicalRetryLoop = "UA2002.CanonicalRetryLoop";
    internal const string UA3001CheckAlignment = "UA3001.CheckAlignment";
    internal const string UA4004CompareWithFullSize = "UA4004.CompareWithFullSize";
    internal const string UA4003CheckFatalSignal = "UA4003.CheckFatalSignal";
    internal const string UA3002ValidateBitOperation = "UA3002.ValidateBitOperation";
    internal const string UA5003CheckAccessOk = "UA5003.CheckAccessOk";
    internal const string UA4002LeaveOnFaultInFailure = "UA4002.LeaveOnFaultInFailure";
    internal const string UA3003ReuseFirstFetch = "UA3003.ReuseFirstFetch";
    internal const string UA4001CanonicalRetryLoop = "UA4001.CanonicalRetryLoop";
    internal const string UA4005FaultInSubPage = "UA4005.FaultInSubPage";
}
