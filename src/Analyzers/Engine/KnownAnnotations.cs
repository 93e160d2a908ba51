using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The annotation attribute types of <c>UserAccess.Runtime.Annotations</c>, resolved once per
/// compilation by metadata name. The analyzers never match method names: only these attributes.
/// </summary>
internal sealed class KnownAnnotations
{
    private const string Ns = "UserAccess.Runtime.Annotations.";

    private KnownAnnotations(Compilation compilation)
    {
        MightSleep = Get(compilation, "MightSleepAttribute");
        MightFault = Get(compilation, "MightFaultAttribute");
        AtomicContext = Get(compilation, "AtomicContextAttribute");
        EntersRegion = Get(compilation, "EntersRegionAttribute");
        ExitsRegion = Get(compilation, "ExitsRegionAttribute");
        Acquires = Get(compilation, "AcquiresAttribute");
        Releases = Get(compilation, "ReleasesAttribute");
        RequiresLock = Get(compilation, "RequiresLockAttribute");
        TakenInFaultPath = Get(compilation, "TakenInFaultPathAttribute");
        LongHeld = Get(compilation, "LongHeldAttribute");
        RemoteMm = Get(compilation, "RemoteMmAttribute");
        HasKillableVariant = Get(compilation, "HasKillableVariantAttribute");
        ResolvesFaults = Get(compilation, "ResolvesFaultsAttribute");
        FaultsIn = Get(compilation, "FaultsInAttribute");
        NofaultAccess = Get(compilation, "NofaultAccessAttribute");
        UserAccess = Get(compilation, "UserAccessAttribute");
        FatalSignalCheck = Get(compilation, "FatalSignalCheckAttribute");
        MustCheck = Get(compilation, "MustCheckAttribute");
        ReturnsErrno = Get(compilation, "ReturnsErrnoAttribute");
        ReturnsBytesNotCopied = Get(compilation, "ReturnsBytesNotCopiedAttribute");
        ReturnsBytesNotFaultedIn = Get(compilation, "ReturnsBytesNotFaultedInAttribute");
        RequiresAlignment = Get(compilation, "RequiresAlignmentAttribute");
        RequiresAccessOk = Get(compilation, "RequiresAccessOkAttribute");
        AccessOkCheck = Get(compilation, "AccessOkCheckAttribute");
        UserBitOperation = Get(compilation, "UserBitOperationAttribute");
        GuardedBy = Get(compilation, "GuardedByAttribute");
    }

    public INamedTypeSymbol? MightSleep { get; }
    public INamedTypeSymbol? MightFault { get; }
    public INamedTypeSymbol? AtomicContext { get; }
    public INamedTypeSymbol? EntersRegion { get; }
    public INamedTypeSymbol? ExitsRegion { get; }
    public INamedTypeSymbol? Acquires { get; }
    public INamedTypeSymbol? Releases { get; }
    public INamedTypeSymbol? RequiresLock { get; }
    public INamedTypeSymbol? TakenInFaultPath { get; }
    public INamedTypeSymbol? LongHeld { get; }
    public INamedTypeSymbol? RemoteMm { get; }
    public INamedTypeSymbol? HasKillableVariant { get; }
    public INamedTypeSymbol? ResolvesFaults { get; }
    public INamedTypeSymbol? FaultsIn { get; }
    public INamedTypeSymbol? NofaultAccess { get; }
    public INamedTypeSymbol? UserAccess { get; }
    public INamedTypeSymbol? FatalSignalCheck { get; }
    public INamedTypeSymbol? MustCheck { get; }
    public INamedTypeSymbol? ReturnsErrno { get; }
    public INamedTypeSymbol? ReturnsBytesNotCopied { get; }
    public INamedTypeSymbol? ReturnsBytesNotFaultedIn { get; }
    public INamedTypeSymbol? RequiresAlignment { get; }
    public INamedTypeSymbol? RequiresAccessOk { get; }
    public INamedTypeSymbol? AccessOkCheck { get; }
    public INamedTypeSymbol? UserBitOperation { get; }
    public INamedTypeSymbol? GuardedBy { get; }

    /// <summary>The annotations, or <c>null</c> when the compilation does not reference them (then nothing is registered).</summary>
    public static KnownAnnotations? TryCreate(Compilation compilation)
    {
        var known = new KnownAnnotations(compilation);
        return known.MightSleep is null || known.EntersRegion is null || known.Acquires is null ? null : known;
    }

    private static INamedTypeSymbol? Get(Compilation compilation, string name) =>
        compilation.GetTypeByMetadataName(Ns + name);
}
