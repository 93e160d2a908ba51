using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers;

/// <summary>
/// The rules the options leave on, per syntax tree: a rule whose id is set to <c>none</c> (in
/// <c>.editorconfig</c> for the tree, in a global configuration, or by <c>NoWarn</c>) is not run
/// there at all, and a tree with every rule off costs no analysis. The compiler would drop the
/// diagnostics of a rule that is off anyway; <c>#pragma warning disable</c> is left to the compiler,
/// as it covers a span, not a tree.
/// </summary>
internal sealed class RuleSelection
{
    private readonly Compilation compilation;
    private readonly ImmutableArray<RuleAnalyzer> rules;
    private readonly ConcurrentDictionary<SyntaxTree, ImmutableArray<RuleAnalyzer>> perTree = new();

    public RuleSelection(Compilation compilation, ImmutableArray<RuleAnalyzer> rules)
    {
        this.compilation = compilation;
        this.rules = rules;
    }

    /// <summary>Some rule is on in some tree of the compilation.</summary>
    public bool AnyOn(CancellationToken cancellationToken)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (!On(tree, cancellationToken).IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The rules on in <paramref name="tree"/>, in their order.</summary>
    public ImmutableArray<RuleAnalyzer> On(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (perTree.TryGetValue(tree, out var known))
        {
            return known;
        }

        var builder = ImmutableArray.CreateBuilder<RuleAnalyzer>(rules.Length);
        foreach (var rule in rules)
        {
            foreach (var descriptor in rule.SupportedDiagnostics)
            {
                if (!IsOff(tree, descriptor, cancellationToken))
                {
                    builder.Add(rule);
                    break;
                }
            }
        }

        return perTree.GetOrAdd(tree, builder.ToImmutable());
    }

    /// <summary>
    /// The compiler's own precedence for an id: the tree's configuration, else the compilation's
    /// options (<c>NoWarn</c>, a rule set), else the global configuration, else the descriptor's
    /// default. As for the compiler's own check that skips an analyzer whose ids are all off,
    /// <c>#pragma warning restore</c> does not turn an id back on here.
    /// </summary>
    private bool IsOff(SyntaxTree tree, DiagnosticDescriptor descriptor, CancellationToken cancellationToken)
    {
        var provider = compilation.Options.SyntaxTreeOptionsProvider;
        if ((provider is not null && provider.TryGetDiagnosticValue(tree, descriptor.Id, cancellationToken, out var report))
            || compilation.Options.SpecificDiagnosticOptions.TryGetValue(descriptor.Id, out report)
            || (provider is not null && provider.TryGetGlobalDiagnosticValue(descriptor.Id, cancellationToken, out report)))
        {
            return report == ReportDiagnostic.Suppress;
        }

        return !descriptor.IsEnabledByDefault;
    }
}
