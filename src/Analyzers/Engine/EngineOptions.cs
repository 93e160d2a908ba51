using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The rule options of <c>.editorconfig</c> (the tree's <see cref="AnalyzerConfigOptions"/>), for
/// code the user cannot annotate:
/// <list type="bullet">
/// <item><c>useraccess.might_sleep_methods</c>: methods treated as <c>[MightSleep]</c>.</item>
/// <item><c>useraccess.fault_path_locks</c>: fields, properties or lock types treated as <c>[TakenInFaultPath]</c>.</item>
/// <item><c>useraccess.killable_wait_locks</c>: fields, properties or lock types treated as <c>[LongHeld]</c>.</item>
/// <item><c>useraccess.killable_waits</c>: <c>long_held</c> (the default: UA2001 asks for killable waits on
/// the mmap lock and long-held locks) or <c>all</c> (on every wait that has a killable variant; the
/// Strict preset sets it).</item>
/// <item><c>useraccess.signal_check_walks</c>: <c>streams</c> (the default: UA4003 asks for a fatal signal check
/// in walks that advance by what each round moved, or by a page or more) or <c>all</c> (also in walks of
/// elements, a constant step under a page; the Strict preset sets it).</item>
/// </list>
/// Entries are separated by <c>,</c> (a <c>;</c> starts a comment in <c>.editorconfig</c>, so the file
/// never hands it over) and are documentation comment IDs
/// (<c>M:Vendor.Lib.Io.Wait(System.Int32)</c>, <c>F:Vendor.Fs.Inode.Lock</c>, <c>T:Vendor.Fs.FolioLock</c>)
/// or fully qualified names without parameters (<c>Vendor.Lib.Io.Wait</c>, <c>Vendor.Fs.Inode.Lock</c>).
/// </summary>
internal sealed class EngineOptions
{
    public const string MightSleepMethodsKey = "useraccess.might_sleep_methods";
    public const string FaultPathLocksKey = "useraccess.fault_path_locks";
    public const string KillableWaitLocksKey = "useraccess.killable_wait_locks";
    public const string KillableWaitsKey = "useraccess.killable_waits";
    public const string SignalCheckWalksKey = "useraccess.signal_check_walks";

    /// <summary>The <see cref="KillableWaitsKey"/> value that asks for killable waits everywhere.</summary>
    public const string AllWaits = "all";

    /// <summary>The default <see cref="KillableWaitsKey"/> value: killable waits on long-held locks only.</summary>
    public const string LongHeldWaits = "long_held";

    /// <summary>The <see cref="SignalCheckWalksKey"/> value that asks for a signal check in every walk of user memory.</summary>
    public const string AllWalks = "all";

    /// <summary>The default <see cref="SignalCheckWalksKey"/> value: signal checks in byte-stream walks only.</summary>
    public const string StreamWalks = "streams";

    private static readonly string[] Keys = { MightSleepMethodsKey, FaultPathLocksKey, KillableWaitLocksKey, KillableWaitsKey, SignalCheckWalksKey };

    public static readonly EngineOptions Empty = new(string.Empty, Set(null), Set(null), Set(null), allWaits: false, allWalks: false);

    private readonly HashSet<string> mightSleep;
    private readonly HashSet<string> faultPathLocks;
    private readonly HashSet<string> killableWaitLocks;

    private EngineOptions(string key, HashSet<string> mightSleep, HashSet<string> faultPathLocks, HashSet<string> killableWaitLocks, bool allWaits, bool allWalks)
    {
        Key = key;
        this.mightSleep = mightSleep;
        this.faultPathLocks = faultPathLocks;
        this.killableWaitLocks = killableWaitLocks;
        AllWaitsShouldBeKillable = allWaits;
        AllWalksShouldCheckSignals = allWalks;
    }

    /// <summary>The raw option values: options with the same key behave the same (cache key).</summary>
    public string Key { get; }

    public bool IsEmpty => mightSleep.Count == 0 && faultPathLocks.Count == 0 && killableWaitLocks.Count == 0 && !AllWaitsShouldBeKillable && !AllWalksShouldCheckSignals;

    /// <summary>UA2001 asks for a killable wait on every lock with a killable variant, not only long-held ones.</summary>
    public bool AllWaitsShouldBeKillable { get; }

    /// <summary>UA4003 asks for a fatal signal check in walks of elements too, not only in byte-stream walks.</summary>
    public bool AllWalksShouldCheckSignals { get; }

    public static string KeyOf(AnalyzerConfigOptions options)
    {
        var values = new string[Keys.Length];
        bool any = false;
        for (int i = 0; i < Keys.Length; i++)
        {
            options.TryGetValue(Keys[i], out var value);
            values[i] = value ?? string.Empty;
            any |= !string.IsNullOrWhiteSpace(value);
        }

        return any ? string.Join("\n", values) : string.Empty;
    }

    public static EngineOptions Parse(AnalyzerConfigOptions options)
    {
        string key = KeyOf(options);
        if (key.Length == 0)
        {
            return Empty;
        }

        options.TryGetValue(MightSleepMethodsKey, out var sleep);
        options.TryGetValue(FaultPathLocksKey, out var locks);
        options.TryGetValue(KillableWaitLocksKey, out var longHeld);
        options.TryGetValue(KillableWaitsKey, out var waits);
        options.TryGetValue(SignalCheckWalksKey, out var walks);
        return new EngineOptions(
            key, Set(sleep), Set(locks), Set(longHeld), string.Equals(waits?.Trim(), AllWaits, StringComparison.OrdinalIgnoreCase),
            string.Equals(walks?.Trim(), AllWalks, StringComparison.OrdinalIgnoreCase));
    }

    private static HashSet<string> Set(string? value) => new(Entries(value), StringComparer.Ordinal);

    public bool IsMightSleep(IMethodSymbol method) => mightSleep.Count > 0 && Matches(mightSleep, method.OriginalDefinition);

    public bool IsFaultPathLock(ISymbol? member) => member is not null && faultPathLocks.Count > 0 && Matches(faultPathLocks, member.OriginalDefinition);

    public bool IsKillableWaitLock(ISymbol? member) => member is not null && killableWaitLocks.Count > 0 && Matches(killableWaitLocks, member.OriginalDefinition);

    private static bool Matches(HashSet<string> set, ISymbol symbol)
    {
        var id = symbol.GetDocumentationCommentId();
        if (id is not null && set.Contains(id))
        {
            return true;
        }

        var container = symbol.ContainingType ?? (ISymbol?)symbol.ContainingNamespace;
        string name = container is null || (container is INamespaceSymbol ns && ns.IsGlobalNamespace)
            ? symbol.MetadataName
            : container.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) + "." + symbol.Name;
        return set.Contains(name);
    }

    /// <summary>The entries of one option value: separated by <c>,</c>, trimmed, empty ones dropped.</summary>
    public static IEnumerable<string> Entries(string? value)
    {
        if (value is null)
        {
            yield break;
        }

        foreach (var part in value.Split(','))
        {
            var trimmed = part.Trim();
            if (trimmed.Length > 0)
            {
                yield return trimmed;
            }
        }
    }
}
