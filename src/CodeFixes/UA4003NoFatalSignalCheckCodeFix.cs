using System.Collections.Generic;
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
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA4003: a loop that walks a user buffer with no fatal signal check. Inserts at the top of the
/// loop body <c>if (FatalSignalPending()) { status = -EINTR; break; }</c> when the loop already
/// leaves with an errno in a status local (<c>status = -EFAULT; break;</c>), or
/// <c>if (FatalSignalPending()) return -EINTR;</c> (braced as the method's early returns are,
/// releasing what is held) when the method returns errnos directly.
/// </summary>
/// <remarks>
/// Declined: a loop body that is not a non-empty block, a status local that is not in scope at the
/// body or that the loop never breaks out with, a method that neither has such a status local nor
/// returns an errno (<c>ErrorReturn</c> "None": a <c>long</c> count, <c>void</c>), and a return where
/// what is held cannot be released.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA4003NoFatalSignalCheckCodeFix)), Shared]
public sealed class UA4003NoFatalSignalCheckCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NoFatalSignalCheck);

    /// <inheritdoc/>
    protected override string Title => "Check FatalSignalPending() at the top of the loop and leave with -EINTR";

    internal override string EquivalenceKey => EquivalenceKeys.UA4003CheckFatalSignal;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        var bodyNode = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.LoopBodyLocation);
        var loop = bodyNode?.Parent as StatementSyntax;
        if (bodyNode is not BlockSyntax { Statements.Count: > 0 } loopBody
            || loop is not (WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax)
            || !loop.Span.Contains(diagnostic.Location.SourceSpan)
            || SyntaxSupport.ContainingFunction(loop) is not var (member, body))
        {
            return DeclineReason.CodeChanged;
        }

        var first = loopBody.Statements[0];
        int position = first.SpanStart;
        var check = InvocationExpression(IdentifierName("FatalSignalPending"));
        if (model.GetSpeculativeSymbolInfo(position, check, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol { Name: "FatalSignalPending" } checkMethod
            || checkMethod.ContainingType?.ToDisplayString() != "UserAccess.Runtime.Kernel")
        {
            return DeclineReason.DoesNotBind;
        }

        var minusEintr = SyntaxSupport.NegativeErrno(model, position, "EINTR");
        if (diagnostic.Properties.TryGetValue(DiagnosticProperties.StatusVariable, out var status) && status is not null
            && StatusLocal(model, loop, loopBody, status, cancellationToken))
        {
            // The loop's own way out: store -EINTR where it stores its other errors and break.
            var guard = IfStatement(check, Block(
                ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(status), minusEintr)),
                BreakStatement()));
            return FixPlan.Rewrite(() => GuardInsertion.InsertBefore(root, first, new[] { guard }));
        }

        if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.ErrorReturn, out var errorReturn) || errorReturn != "Errno"
            || !SyntaxSupport.ReturnsErrno(model, member))
        {
            return DeclineReason.NoErrnoReturn;
        }

        if (CallSupport.FirstErrorReturnWouldFlagAWait(model, body, cancellationToken))
        {
            return DeclineReason.FirstErrorReturn;
        }

        if (!GuardInsertion.OutParametersAssigned(model, first))
        {
            return DeclineReason.OutNotAssigned;
        }

        if (HeldResources.Before(model, first, body, cancellationToken) is not { InUsingRegion: false } held)
        {
            return DeclineReason.HeldUnknown;
        }

        if (held.ReleasesForEarlyReturn() is not { } releases)
        {
            return DeclineReason.NoReleaseToCopy;
        }

        return FixPlan.Rewrite(() => GuardInsertion.InsertBefore(root, first, new[] { GuardInsertion.Guard(check, releases, minusEintr, GuardInsertion.BracelessEarlyReturns(body)) }));
    }

    /// <summary>
    /// The status local is an <c>int</c> in scope at the loop body, and the loop already stores a
    /// negative errno in it and breaks out of this loop right after.
    /// </summary>
    private static bool StatusLocal(SemanticModel model, StatementSyntax loop, BlockSyntax loopBody, string name, CancellationToken cancellationToken)
    {
        var visible = model.LookupSymbols(loopBody.Statements[0].SpanStart, name: name);
        if (visible.Length != 1 || visible[0] is not ILocalSymbol { Type.SpecialType: SpecialType.System_Int32 } local
            || local.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration
            || declaration.SyntaxTree != loop.SyntaxTree
            || loop.Span.Contains(declaration.Span))
        {
            return false;
        }

        foreach (var statementList in loop.DescendantNodes().OfType<BlockSyntax>())
        {
            var statements = statementList.Statements;
            for (int i = 0; i + 1 < statements.Count; i++)
            {
                if (statements[i] is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax left } assignment }
                    && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(left, cancellationToken).Symbol, local)
                    && model.GetConstantValue(assignment.Right, cancellationToken) is { HasValue: true, Value: int value } && value < 0
                    && statements[i + 1] is BreakStatementSyntax breakStatement
                    && BreakTarget(breakStatement) == loop)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static SyntaxNode? BreakTarget(BreakStatementSyntax breakStatement) =>
        breakStatement.Ancestors().FirstOrDefault(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or SwitchStatementSyntax);
}
