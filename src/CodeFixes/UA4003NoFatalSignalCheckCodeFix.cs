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
/// leaves with an errno in a status local (<c>status = -EFAULT; break;</c>, or <c>goto out;</c> to a
/// label after the loop, which the check then uses too), or
/// <c>if (FatalSignalPending()) return -EINTR;</c> (braced as the method's early returns are,
/// releasing what is held) when the method returns errnos directly. A method with no errno to
/// return (a byte count, <c>void</c>) stops after the round: <c>if (FatalSignalPending()) break;</c>
/// at the end of the body, as read_mem() and write_mem() do.
/// </summary>
/// <remarks>
/// Declined: a loop body that is not a non-empty block, a method with neither a status local nor an
/// errno whose rounds do not all reach the end of the body, and a return where what is held cannot
/// be released.
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
        if (context.Facts(first) is not { } facts)
        {
            return DeclineReason.NotAnalysed;
        }

        // The kernel's fatal_signal_pending(), known by its [FatalSignalCheck] as the rule knows it.
        int position = first.SpanStart;
        var check = InvocationExpression(IdentifierName("FatalSignalPending"));
        if (model.GetSpeculativeSymbolInfo(position, check, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol checkMethod
            || !facts.AnnotationsOf(checkMethod).FatalSignalCheck)
        {
            return DeclineReason.DoesNotBind;
        }

        var minusEintr = SyntaxSupport.NegativeErrno(model, position, "EINTR");
        if (diagnostic.Properties.TryGetValue(DiagnosticProperties.StatusVariable, out var status) && status is not null
            && StatusExit(model, loop, loopBody, status, cancellationToken) is { } exit)
        {
            // The loop's own way out: store -EINTR where it stores its other errors and leave as it does.
            var guard = IfStatement(check, Block(
                ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(status), minusEintr)),
                exit.WithoutTrivia()));
            return FixPlan.Rewrite(() => GuardInsertion.InsertBefore(root, first, new[] { guard }));
        }

        if (!facts.ReturnsErrno || !SyntaxSupport.ReturnsErrno(model, member))
        {
            return StopAfterTheRound(context, loop, loopBody, check);
        }

        if (facts.FirstErrorReturnWouldFlagAWait)
        {
            return DeclineReason.FirstErrorReturn;
        }

        if (!GuardInsertion.OutParametersAssigned(model, first))
        {
            return DeclineReason.OutNotAssigned;
        }

        if (facts.ReleasesForEarlyReturn(first, closesRegions: true, out var releases) is { } held)
        {
            return held;
        }

        return FixPlan.Rewrite(() => GuardInsertion.InsertBefore(root, first, new[] { GuardInsertion.Guard(check, releases, minusEintr, GuardInsertion.BracelessEarlyReturns(body)) }));
    }

    /// <summary>
    /// No errno to return (a byte count, <c>ssize_t</c>, <c>void</c>): the kernel stops after the round
    /// it is in, as read_mem() and write_mem() do (<c>if (should_stop_iteration()) break;</c> at the end
    /// of the body), and the function returns what it did so far, as when the loop ends. A break at the
    /// end of the body is the loop's own end, so the code after it needs nothing new; it is only exact
    /// when every round reaches that end (no <c>continue</c>, a body that does not end in a jump) and
    /// the <c>for</c> steps it skips are not read after the loop.
    /// </summary>
    private static FixPlan StopAfterTheRound(FixContext context, StatementSyntax loop, BlockSyntax loopBody, ExpressionSyntax check)
    {
        var model = context.Model;
        var last = loopBody.Statements.Last();
        if (last is ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax or ThrowStatementSyntax
            || loopBody.DescendantNodes().OfType<ContinueStatementSyntax>().Any(c => BreakTarget(c) == loop)
            || (loop is ForStatementSyntax { Incrementors.Count: > 0 } forLoop && StepReadAfter(model, forLoop, context.CancellationToken)))
        {
            return DeclineReason.RoundSkipsTheEnd;
        }

        bool braceless = GuardInsertion.BracelessExits<BreakStatementSyntax>(loopBody) ?? GuardInsertion.BracelessExits<ReturnStatementSyntax>(loop.Parent!) ?? false;
        StatementSyntax leave = BreakStatement();
        var guard = IfStatement(check, braceless ? leave : Block(leave));
        return FixPlan.Rewrite(() => GuardInsertion.InsertAfter(context.Root, last, guard));
    }

    /// <summary>A variable the <c>for</c> steps write (<c>i++</c>) is read after the loop: a break before them leaves it one step behind.</summary>
    private static bool StepReadAfter(SemanticModel model, ForStatementSyntax loop, CancellationToken cancellationToken)
    {
        if (SyntaxSupport.ContainingFunction(loop) is not var (member, _))
        {
            return true;
        }

        foreach (var step in loop.Incrementors)
        {
            foreach (var name in step.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
            {
                if (model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol or IParameterSymbol
                    && VariableReferences.In(model, member, model.GetSymbolInfo(name, cancellationToken).Symbol!, cancellationToken).Any(r => r.Name.SpanStart > loop.Span.End))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// How the loop leaves after storing an errno in its status local, an <c>int</c> or <c>long</c> in
    /// scope at the loop body: <c>status = -EFAULT; break;</c> out of this loop, or
    /// <c>status = -EFAULT; goto out;</c> to a label after it. Null when it never does.
    /// </summary>
    private static StatementSyntax? StatusExit(SemanticModel model, StatementSyntax loop, BlockSyntax loopBody, string name, CancellationToken cancellationToken)
    {
        var visible = model.LookupSymbols(loopBody.Statements[0].SpanStart, name: name);
        if (visible.Length != 1 || visible[0] is not ILocalSymbol { Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 } local
            || local.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration
            || declaration.SyntaxTree != loop.SyntaxTree
            || loop.Span.Contains(declaration.Span))
        {
            return null;
        }

        foreach (var statementList in loop.DescendantNodes().OfType<BlockSyntax>())
        {
            var statements = statementList.Statements;
            for (int i = 0; i + 1 < statements.Count; i++)
            {
                if (statements[i] is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax left } assignment }
                    && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(left, cancellationToken).Symbol, local)
                    && model.GetConstantValue(assignment.Right, cancellationToken) is { HasValue: true, Value: int or long } value && System.Convert.ToInt64(value.Value) < 0)
                {
                    switch (statements[i + 1])
                    {
                        case BreakStatementSyntax breakStatement when BreakTarget(breakStatement) == loop:
                            return breakStatement;
                        case GotoStatementSyntax { RawKind: (int)SyntaxKind.GotoStatement, Expression: IdentifierNameSyntax label } jump
                            when loop.Parent is BlockSyntax block && block.Statements.OfType<LabeledStatementSyntax>().Any(l => l.Identifier.ValueText == label.Identifier.ValueText && l.SpanStart > loop.Span.End):
                            return jump;
                    }
                }
            }
        }

        return null;
    }

    private static SyntaxNode? BreakTarget(StatementSyntax jump) =>
        jump.Ancestors().FirstOrDefault(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or SwitchStatementSyntax);
}
