using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UserAccess.Analyzers;
using UserAccess.CodeFixes.Support;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA1002: fault handling inside the nofault region (the first UMCG revisions). The region, the
/// access and the fault handling inside it become the canonical retry loop (<see cref="CanonicalLoop"/>):
/// faults disabled around the access only, the fatal-signal check and the fault-in after it, the
/// fault-in's failure ending the loop.
/// </summary>
/// <remarks>
/// The one shape it restructures, four consecutive statements of a block:
/// <code>
/// PagefaultDisable();
/// ret = Access(...);                 // or int ret = ...; an errno access
/// if (ret == -EFAULT)                // any test of ret alone, or no test
///     ret = FaultHandling(...);      // the flagged call, assigned to ret
/// PagefaultEnable();
/// </code>
/// The shape goes to <see cref="RetryLoopRewriter"/>, with the flagged call as the user's fault-in: it is
/// kept when it resolves the access's fault, otherwise the [FaultsIn] function for the access's kind
/// with the access's pointer and size takes its place. Declined: any other shape (more statements in
/// the region, a return inside it, a fault-handling call whose result is not the access's result), locks
/// or regions already held before the region (they would have to be released before the fault-in), an
/// access whose <c>out</c> variable is used after it, and accesses whose fault-in arguments are not plain names.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA1002FaultHandlingInNofaultCodeFix)), Shared]
public sealed class UA1002FaultHandlingInNofaultCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.FaultHandlingInNofault);

    /// <inheritdoc/>
    protected override string Title => "Rewrite to the canonical retry loop (fault in after the nofault region)";

    internal override string EquivalenceKey => EquivalenceKeys.UA1002CanonicalRetryLoop;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        var flaggedNode = SyntaxSupport.NodeAt(root, diagnostic.Location);
        var start = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.RegionStartLocation);
        var end = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.RegionEndLocation);
        var accessNode = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.AccessLocation);
        var flagged = flaggedNode?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        var access = accessNode?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        if (flagged is null || context.Facts(flagged) is not { } facts)
        {
            return DeclineReason.CodeChanged;
        }

        if (start?.FirstAncestorOrSelf<StatementSyntax>() is not ExpressionStatementSyntax startStatement
            || end?.FirstAncestorOrSelf<StatementSyntax>() is not ExpressionStatementSyntax endStatement
            || startStatement.Parent is not BlockSyntax block || endStatement.Parent != block)
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        // The region holds exactly the access and its fault handling.
        int first = block.Statements.IndexOf(startStatement);
        int last = block.Statements.IndexOf(endStatement);
        if (last != first + 3)
        {
            return DeclineReason.RegionDoesMore;
        }

        // The engine names the region's [NofaultAccess] call; an access that only fails fast because
        // faults are disabled (GetUserUnchecked) is the [UserAccess] call of the statement after
        // the region start.
        access ??= block.Statements[first + 1].DescendantNodes().OfType<InvocationExpressionSyntax>()
            .FirstOrDefault(i => facts.AnnotationsOf(SyntaxSupport.Method(model, i, cancellationToken)).UserAccessKind is not null);
        if (access is null || access.FirstAncestorOrSelf<StatementSyntax>() != block.Statements[first + 1])
        {
            return DeclineReason.RegionDoesMore;
        }

        var accessStatement = block.Statements[first + 1];
        if (RetryLoopRewrite.ReadAccessStatement(model, accessStatement, access, cancellationToken, allowUnusedOutVariables: true) is not var (_, result, declared))
        {
            return DeclineReason.AccessNotAStatement;
        }

        if (!IsFaultHandling(model, block.Statements[first + 2], flagged, result, cancellationToken))
        {
            return DeclineReason.RegionDoesMore;
        }

        // The flagged call is the user's fault-in; the rewriter reuses it when it resolves the access's fault.
        return RetryLoopRewriter.Plan(facts, new RetryLoopShape(block, first, last, accessStatement, access, result, declared)
        {
            Disable = startStatement,
            Enable = endStatement,
            FaultIn = flagged,
            FaultInStatements = new[] { block.Statements[first + 2] },
        }, cancellationToken);
    }

    /// <summary><c>ret = F(...);</c> or <c>if (test of ret) ret = F(...);</c> (braced or not), F the flagged call.</summary>
    private static bool IsFaultHandling(SemanticModel model, StatementSyntax statement, InvocationExpressionSyntax flagged, string result, CancellationToken cancellationToken)
    {
        // The statement is dropped: it must not declare anything (out var, patterns) used later.
        if (statement.DescendantNodes().OfType<SingleVariableDesignationSyntax>().Any())
        {
            return false;
        }

        if (statement is IfStatementSyntax { Else: null } ifStatement)
        {
            if (!IsTestOf(model, ifStatement.Condition, result, cancellationToken))
            {
                return false;
            }

            statement = ifStatement.Statement is BlockSyntax { Statements.Count: 1 } block ? block.Statements[0] : ifStatement.Statement;
        }

        return statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax target, Right: var right } assignment }
            && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
            && target.Identifier.ValueText == result
            && right == flagged;
    }

    private static bool IsTestOf(SemanticModel model, ExpressionSyntax condition, string result, CancellationToken cancellationToken) =>
        condition is BinaryExpressionSyntax binary
        && binary.Kind() is SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression or SyntaxKind.LessThanExpression
        && binary.Left is IdentifierNameSyntax left && left.Identifier.ValueText == result
        && model.GetConstantValue(binary.Right, cancellationToken).HasValue;
}
