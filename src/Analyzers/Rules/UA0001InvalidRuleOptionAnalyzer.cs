using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA0001: an entry of a rule option (<c>useraccess.might_sleep_methods</c>,
/// <c>useraccess.fault_path_locks</c>) that the rules cannot use: not a documentation comment ID of
/// the kind the option takes nor a qualified name, or naming nothing in the compilation. The rules
/// would otherwise ignore it without a word, as the package's UAPKG001 refuses a misspelt preset
/// instead of falling back to the default. Reported once per entry and compilation, without a
/// location: the option lives in a configuration file, not in the code.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UA0001InvalidRuleOptionAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.InvalidRuleOption,
        "Rule option entry that cannot be used",
        "'{0}' in '{1}' {2}; the rules ignore it",
        "UserAccess.Configuration",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A misspelt or malformed entry of a rule option would silently leave the method or lock it meant unannotated.",
        helpLinkUri: RuleAnalyzer.HelpLink(DiagnosticIds.InvalidRuleOption));

    private static readonly Regex QualifiedName = new(@"^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)+$", RegexOptions.CultureInvariant);

    private static readonly Regex DocumentationId = new(@"^[A-Z]:\S+$", RegexOptions.CultureInvariant);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            // The options mean something only to a compilation the rules analyse.
            if (CompilationEngine.Get(start.Compilation) is null)
            {
                return;
            }

            var compilation = start.Compilation;
            var seen = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            start.RegisterSyntaxTreeAction(tree =>
            {
                var options = tree.Options.AnalyzerConfigOptionsProvider.GetOptions(tree.Tree);
                CheckChoice(EngineOptions.KillableWaitsKey, EngineOptions.LongHeldWaits, EngineOptions.AllWaits);
                CheckChoice(EngineOptions.SignalCheckWalksKey, EngineOptions.StreamWalks, EngineOptions.AllWalks);

                // An option that takes one of two words: anything else is reported once per value.
                void CheckChoice(string key, string standard, string widened)
                {
                    if (options.TryGetValue(key, out var value) && value.Trim() is var scope && scope.Length > 0
                        && !string.Equals(scope, standard, StringComparison.OrdinalIgnoreCase)
                        && !string.Equals(scope, widened, StringComparison.OrdinalIgnoreCase)
                        && seen.TryAdd(key + "=" + scope, true))
                    {
                        tree.ReportDiagnostic(Diagnostic.Create(Rule, Location.None, scope, key, "is neither '" + standard + "' nor '" + widened + "'"));
                    }
                }

                foreach (var (key, takes) in Options)
                {
                    if (!options.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
                    {
                        continue;
                    }

                    foreach (var entry in EngineOptions.Entries(value))
                    {
                        if (!seen.TryAdd(key + "=" + entry, true))
                        {
                            continue;
                        }

                        if (Problem(compilation, entry, takes) is { } problem)
                        {
                            tree.ReportDiagnostic(Diagnostic.Create(Rule, Location.None, entry, key, problem));
                        }
                    }
                }
            });
        });
    }

    /// <summary>The options that name symbols, and the documentation comment ID prefixes each takes.</summary>
    private static readonly (string Key, string Prefixes)[] Options =
    {
        (EngineOptions.MightSleepMethodsKey, "M"),
        (EngineOptions.FaultPathLocksKey, "FPT"),
        (EngineOptions.KillableWaitLocksKey, "FPT"),
    };

    /// <summary>What is wrong with one entry, or null when the rules can use it.</summary>
    internal static string? Problem(Compilation compilation, string entry, string prefixes)
    {
        if (DocumentationId.IsMatch(entry))
        {
            if (prefixes.IndexOf(entry[0]) < 0)
            {
                return "is a documentation comment ID of a kind this option does not take (it takes " + string.Join(", ", prefixes.Select(p => p + ":")) + ")";
            }

            return DocumentationCommentId.GetSymbolsForDeclarationId(entry, compilation).IsEmpty
                ? "names nothing in this compilation"
                : null;
        }

        if (entry.IndexOf('<') >= 0 && entry.IndexOf('>') > entry.IndexOf('<'))
        {
            // A generic container ('Vendor.Queue<T>.Wait'): matched by its display name, not checked here.
            return null;
        }

        if (!QualifiedName.IsMatch(entry))
        {
            return "is neither a documentation comment ID (" + string.Join(", ", prefixes.Select(p => p + ":...")) + ") nor a qualified name such as Namespace.Type.Member";
        }

        return Names(compilation, entry, prefixes.IndexOf('T') >= 0) ? null : "names nothing in this compilation";
    }

    /// <summary>Whether a dotted name is a member of a type the compilation sees (or a type, when types are allowed).</summary>
    private static bool Names(Compilation compilation, string entry, bool typesAllowed)
    {
        int dot = entry.LastIndexOf('.');
        string container = entry.Substring(0, dot);
        string member = entry.Substring(dot + 1);
        if (Types(compilation, container).Any(t => !t.GetMembers(member).IsEmpty))
        {
            return true;
        }

        return typesAllowed && Types(compilation, entry).Any();
    }

    /// <summary>The types a dotted name can stand for: a namespace-qualified type, then nested types by name.</summary>
    private static IEnumerable<INamedTypeSymbol> Types(Compilation compilation, string dotted)
    {
        var parts = dotted.Split('.');
        for (int top = parts.Length; top >= 1; top--)
        {
            IEnumerable<INamedTypeSymbol> current = compilation.GetTypesByMetadataName(string.Join(".", parts, 0, top));
            for (int i = top; i < parts.Length; i++)
            {
                string name = parts[i];
                current = current.SelectMany(t => t.GetTypeMembers(name));
            }

            var found = current.ToList();
            if (found.Count > 0)
            {
                return found;
            }
        }

        return Enumerable.Empty<INamedTypeSymbol>();
    }
}
