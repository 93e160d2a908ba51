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

    public static readonly EngineOptions Empty = new(string.Empty, new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));

    private readonly HashSet<string> mightSleep;
    private readonly HashSet<string> faultPathLocks;

    private EngineOptions(string key, HashSet<string> mightSleep, HashSet<string> faultPathLocks)
    {
        Key = key;
        this.mightSleep = mightSleep;
        this.faultPathLocks = faultPathLocks;
    }

    /// <summary>The raw option values: options with the same key behave the same (cache key).</summary>
    public string Key { get; }

    public bool IsEmpty => mightSleep.Count == 0 && faultPathLocks.Count == 0;

    public static string KeyOf(AnalyzerConfigOptions options)
    {
        options.TryGetValue(MightSleepMethodsKey, out var sleep);
        options.TryGetValue(FaultPathLocksKey, out var locks);
        return string.IsNullOrWhiteSpace(sleep) && string.IsNullOrWhiteSpace(locks) ? string.Empty : (sleep ?? string.Empty) + "\n" + (locks ?? string.Empty);
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
        return new EngineOptions(key, new HashSet<string>(Entries(sleep), StringComparer.Ordinal), new HashSet<string>(Entries(locks), StringComparer.Ordinal));
    }

    public bool IsMightSleep(IMethodSymbol method) => mightSleep.Count > 0 && Matches(mightSleep, method.OriginalDefinition);

    public bool IsFaultPathLock(ISymbol? member) => member is not null && faultPathLocks.Count > 0 && Matches(faultPathLocks, member.OriginalDefinition);

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
