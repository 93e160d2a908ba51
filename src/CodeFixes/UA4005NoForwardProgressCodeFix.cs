using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UserAccess.Analyzers;
using UserAccess.CodeFixes.Support;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA4005: a page-granular fault-in in a retry loop that cannot guarantee forward progress. For a
/// write, the call is replaced by its sub-page variant (the <c>[FaultsIn(SubPage = true)]</c> method
/// of the same type and parameters: <c>FaultInWriteable</c> becomes <c>FaultInSubpageWriteable</c>),
/// as btrfs's fix did: a granule that refuses the copy now fails the fault-in too, and the loop ends
/// with <c>-EFAULT</c>.
/// </summary>
/// <remarks>
/// Declined: a fault-in with no sub-page variant (the runtime, like the kernel, has none for reads:
/// those loops must fault in from where the copy stopped, which needs a copy that reports it and a
/// loop that tracks it; the rewrite is left to the author); a call that does not bind to the variant
/// at its position.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA4005NoForwardProgressCodeFix)), Shared]
public sealed class UA4005NoForwardProgressCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NoForwardProgress);

    /// <inheritdoc/>
    protected override string Title => "Fault in at sub-page granularity";

    internal override string EquivalenceKey => EquivalenceKeys.UA4005FaultInSubPage;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic) = (context.Root, context.Model, context.Diagnostic);
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node
            || SyntaxSupport.InvocationsAround(node).FirstOrDefault(i => i.Span == diagnostic.Location.SourceSpan) is not { } invocation
            || SyntaxSupport.Method(model, invocation, context.CancellationToken) is not { } faultIn)
        {
            return DeclineReason.CodeChanged;
        }

        if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.SubPageFaultIn, out var variantName) || string.IsNullOrEmpty(variantName))
        {
            return DeclineReason.NoSubPageVariant;
        }

        var variant = faultIn.ContainingType.GetMembers(variantName!).OfType<IMethodSymbol>()
            .FirstOrDefault(m => m.Parameters.Length == faultIn.Parameters.Length
                && m.Parameters.Zip(faultIn.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same));
        if (variant is null)
        {
            return DeclineReason.NoSubPageVariant;
        }

        if (CallSupport.SiblingCall(model, invocation, variant.Name, invocation.ArgumentList, variant) is not { } call)
        {
            return DeclineReason.DoesNotBind;
        }

        return FixPlan.Rewrite(() => root.ReplaceNode(invocation, call.WithTriviaFrom(invocation)));
    }
}
