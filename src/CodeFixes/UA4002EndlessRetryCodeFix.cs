using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using UserAccess.Analyzers;
using UserAccess.Analyzers.Engine;
using UserAccess.CodeFixes.Support;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA4002: a retry loop that goes round again after <c>-EFAULT</c> although its fault-in failed.
/// The fault-in statement whose result is ignored (<c>FaultInUserWriteable(uaddr2);</c>) gets its
/// result checked and the function leaves with it: for an errno fault-in
/// <c>int faultInRet = FaultInUserWriteable(uaddr2); if (faultInRet != 0) { return faultInRet; }</c>
/// (a fresh local), for a bytes-not-faulted-in fault-in
/// <c>if (FaultInReadable(p, n) != 0) { return -EFAULT; }</c>, braced as the function's early returns are.
/// A result stored in an <c>int</c> local that the loop never tests (<c>ret = FaultInUserWriteable(uaddr);</c>,
/// <c>int r = FaultInReadable(p, n);</c>) gets the check right after the store: an errno
/// <c>if (ret != 0) break;</c> when the statement after the loop returns that local (<c>return ret;</c>, or
/// <c>if (ret != 0) { ...; return ret; }</c>: the break takes the method's own error path, as the canonical
/// loop does), <c>if (ret != 0) return ret;</c> otherwise; a byte count <c>if (r != 0) return -EFAULT;</c>.
/// </summary>
/// <remarks>
/// A loop whose only "fault-in" is a read of the written word (<c>ReadProbeLocation</c>: futex's
/// <c>get_user()</c> before d0725992c8a6) gets the access's fault-in in the read's place (<see cref="ReadProbe"/>).
/// Declined: a diagnostic without a fault-in or such a read on the loop (<c>InsertAfterLocation</c>), a fault-in
/// that is not a whole statement in a block inside the loop around the access (used in an
/// expression, stored in a field or a non-<c>int</c> local, or declared with others), a stored
/// result that may be read in the loop before it is overwritten (a test that does not leave, a
/// sum: an exit would change what they see; this also covers a local already tested where the
/// loop ends), or that may leave the loop another way (its condition) and be read after it when
/// the check would return rather than break to that code, or captured by a lambda, or in a function with try/catch/finally (the flow graph
/// cannot tell), a fault-in annotated neither
/// <c>[ReturnsErrno]</c> nor <c>[ReturnsBytesNotFaultedIn]</c>, a bytes-not-faulted-in fault-in in a loop
/// that advances through the buffer (<c>!= 0</c> would give up on partial progress: UA4004), a
/// function that does not return an errno (<c>void</c>, a byte count), an <c>out</c> parameter not
/// yet assigned, a first error return that would make a non-killable wait a UA2001 diagnostic, and
/// anything the method took still held at the fault-in on some path (a lock or region, as the engine tracks it).
/// Each with the <see cref="DeclineReason"/> the rule page lists.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA4002EndlessRetryCodeFix)), Shared]
public sealed class UA4002EndlessRetryCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.EndlessRetry);

    /// <inheritdoc/>
    protected override string Title => "Check the fault-in result and leave with its error";

    internal override string EquivalenceKey => EquivalenceKeys.UA4002LeaveOnFaultInFailure;

    internal override FixPlan Plan(FixContext context)
    {
        // A loop whose only "fault-in" is a read of the written word: the read becomes the fault-in.
        if (RetryLoopRewrite.Additional(context.Root, context.Diagnostic, DiagnosticProperties.ReadProbeLocation) is { } probe)
        {
            return ReadProbe.Plan(context, probe);
        }

        if (context.Diagnostic.Properties.ContainsKey(DiagnosticProperties.InsertAfterLocation))
        {
            return DeclineReason.NoFaultInOnTheLoop;
        }

        return CheckFaultIn(context);
    }

    private static FixPlan CheckFaultIn(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        var faultInNode = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.FaultInLocation);
        var faultIn = faultInNode?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        if (faultIn is null)
        {
            return DeclineReason.CodeChanged;
        }

        // The fault-in as a statement of its own (result ignored), or stored by one into a local.
        var (statement, stored) = faultIn.Parent switch
        {
            ExpressionStatementSyntax ignored => (ignored, null),
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax, Parent: ExpressionStatementSyntax assigning } assignment
                when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == faultIn
                => (assigning, model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol as ILocalSymbol),
            EqualsValueClauseSyntax
            {
                Parent: VariableDeclaratorSyntax
                {
                    Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax { IsConst: false, UsingKeyword.RawKind: 0 } declaring },
                } declarator,
            } => ((StatementSyntax)declaring, model.GetDeclaredSymbol(declarator, cancellationToken) as ILocalSymbol),
            _ => ((StatementSyntax?)null, (ILocalSymbol?)null),
        };
        if (statement is null
            || faultIn.Parent is not ExpressionStatementSyntax && stored is not { RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 }
            || statement.Parent is not BlockSyntax
            || SyntaxSupport.ContainingFunction(statement) is not var (member, body)
            || SyntaxSupport.ContainingFunction(faultIn) is not var (accessMember, _) || accessMember != member)
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        // The fault-in is in a loop that also contains the access, in the same function.
        var loop = statement.Ancestors()
            .TakeWhile(a => a != body)
            .OfType<StatementSyntax>()
            .FirstOrDefault(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax
                && a.Span.Contains(diagnostic.Location.SourceSpan));
        if (loop is null)
        {
            return DeclineReason.CodeChanged;
        }

        if (SyntaxSupport.Method(model, faultIn, cancellationToken) is not { } method)
        {
            return DeclineReason.CodeChanged;
        }

        if (context.Facts(statement) is not { } facts)
        {
            return DeclineReason.NotAnalysed;
        }

        var annotations = facts.AnnotationsOf(method);
        bool errno = annotations.ReturnsErrno;
        bool bytes = annotations.ReturnsBytesNotFaultedIn;
        // A byte count tested != 0 in a loop that advances through the buffer gives up on partial
        // progress (a UA4004 for a UA4002). There the test is == size, and whether a partial
        // fault-in is progress depends on how the loop advances: not a check to insert blindly.
        if (errno == bytes || method.ReturnType.SpecialType != SpecialType.System_Int32)
        {
            return DeclineReason.ResultNotAnErrorCode;
        }

        if (bytes && diagnostic.Properties.ContainsKey(DiagnosticProperties.AdvancingLoop))
        {
            return DeclineReason.AdvancingLoop;
        }

        if (!SyntaxSupport.ReturnsErrno(model, member))
        {
            return DeclineReason.NoErrnoReturn;
        }

        if (facts.FirstErrorReturnWouldFlagAWait)
        {
            return DeclineReason.WaitWouldBecomeFailable;
        }

        if (!GuardInsertion.OutParametersAssigned(model, statement))
        {
            return DeclineReason.OutNotAssigned;
        }

        if (!facts.HoldsNothingTaken(statement))
        {
            return facts.StateBefore(statement) is { } state && state.Locks.All(l => l.Site is null)
                ? DeclineReason.InRegion
                : DeclineReason.LockHeldAcrossFaultIn;
        }

        bool braceless = GuardInsertion.BracelessEarlyReturns(body);
        if (stored is not null)
        {
            return CheckStored(root, facts, body, statement, faultIn, stored, loop, errno, braceless, cancellationToken);
        }

        return FixPlan.Rewrite(() => CheckIgnored(root, model, member, statement, faultIn, errno, braceless));
    }

    /// <summary>The ignored fault-in statement replaced by its checked form.</summary>
    private static SyntaxNode CheckIgnored(SyntaxNode root, SemanticModel model, SyntaxNode member, StatementSyntax statement, InvocationExpressionSyntax faultIn, bool errno, bool braceless)
    {
        var zero = LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0));
        var call = faultIn.WithoutTrivia();
        var newStatements = new List<StatementSyntax>();
        if (errno)
        {
            string name = SyntaxSupport.FreshLocalName(model, member, statement.SpanStart, "faultInRet", "faultInError");
            newStatements.Add(LocalDeclarationStatement(VariableDeclaration(
                PredefinedType(Token(SyntaxKind.IntKeyword)),
                SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(call))))));
            newStatements.Add(GuardInsertion.Guard(
                BinaryExpression(SyntaxKind.NotEqualsExpression, IdentifierName(name), zero),
                new StatementSyntax[0],
                IdentifierName(name),
                braceless));
        }
        else
        {
            newStatements.Add(GuardInsertion.Guard(
                BinaryExpression(SyntaxKind.NotEqualsExpression, call, zero),
                new StatementSyntax[0],
                SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EFAULT"),
                braceless));
        }

        newStatements[0] = newStatements[0].WithLeadingTrivia(statement.GetLeadingTrivia());
        newStatements[newStatements.Count - 1] = newStatements[newStatements.Count - 1].WithTrailingTrivia(statement.GetTrailingTrivia());
        return root.ReplaceNode(statement, newStatements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)));
    }

    /// <summary>
    /// <c>ret = FaultIn...(...);</c> or <c>int r = FaultIn...(...);</c> whose value the loop never
    /// tests: the check goes right after the store. An errno leaves the loop with <c>break</c> when
    /// the code after the loop returns that local (the method reports the loop's error through
    /// it, as the canonical loop does), otherwise the method returns it; a byte count returns
    /// <c>-EFAULT</c>, as for the ignored statement. Declined when the stored value may be read in
    /// the loop before it is overwritten: a test of it there already decides whether to go on, and
    /// any other use would see only the successes once the failures leave; and when it may leave
    /// the loop another way and be read after it, unless the exit is that break.
    /// </summary>
    private static FixPlan CheckStored(
        SyntaxNode root, EngineFacts facts, BlockSyntax body, StatementSyntax statement, InvocationExpressionSyntax faultIn, ILocalSymbol local,
        StatementSyntax loop, bool errno, bool braceless, CancellationToken cancellationToken)
    {
        // A lambda or local function that captures the local reads it in another graph.
        var model = facts.Model;
        if (model.AnalyzeDataFlow(body) is not { Succeeded: true } flow || flow.Captured.Contains(local, SymbolEqualityComparer.Default)
            || StoreReads.Of(facts.Analysis, faultIn, local, loop.Span) is not var (readInside, readOutside) || readInside)
        {
            return DeclineReason.ResultUsedLater;
        }

        var name = IdentifierName(local.Name);
        StatementSyntax exit = !errno
            ? ReturnStatement(SyntaxSupport.NegativeErrno(model, statement.SpanStart, "EFAULT"))
            : BreaksTo(statement) == loop && ReturnsAfter(model, loop, local, cancellationToken)
                ? BreakStatement()
                : ReturnStatement(name);

        // A value that can leave the loop some other way (its condition) and be read after it:
        // a return would skip that code, only a break to it keeps what it does with the error.
        if (readOutside && exit is not BreakStatementSyntax)
        {
            return DeclineReason.ResultUsedLater;
        }

        if (exit is BreakStatementSyntax)
        {
            // A break is braced as the loop's own breaks are (if (ret != -EFAULT) break;).
            braceless = GuardInsertion.BracelessExits<BreakStatementSyntax>(loop) ?? braceless;
        }

        var guard = IfStatement(
            BinaryExpression(SyntaxKind.NotEqualsExpression, name, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))),
            braceless ? exit : Block(exit));

        // The check goes on its own line after the store, indented as it is; the store keeps its trivia.
        var leading = statement.GetLeadingTrivia();
        var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? new[] { leading[leading.Count - 1] }
            : new SyntaxTrivia[0];
        var endOfLine = statement.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).Take(1).DefaultIfEmpty(EndOfLine("\n"));
        guard = guard.WithLeadingTrivia(indentation).WithTrailingTrivia(endOfLine).WithAdditionalAnnotations(Formatter.Annotation);
        return FixPlan.Rewrite(() => root.InsertNodesAfter(statement, new[] { guard }));
    }

    /// <summary>The loop or switch that a <c>break</c> at <paramref name="statement"/> would leave.</summary>
    private static SyntaxNode? BreaksTo(StatementSyntax statement) =>
        statement.Ancestors()
            .TakeWhile(a => a is not (MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .FirstOrDefault(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or SwitchStatementSyntax);

    /// <summary>
    /// The statement after the loop returns <paramref name="local"/> (<c>return ret;</c>) or
    /// returns it when it is an error (<c>if (ret != 0) { ...; return ret; }</c>): a <c>break</c>
    /// with the error in it takes the method's own error path.
    /// </summary>
    private static bool ReturnsAfter(SemanticModel model, StatementSyntax loop, ILocalSymbol local, CancellationToken cancellationToken)
    {
        if (loop.Parent is not BlockSyntax block || block.Statements.IndexOf(loop) is var index && index + 1 >= block.Statements.Count)
        {
            return false;
        }

        bool IsLocal(ExpressionSyntax? expression) =>
            expression is IdentifierNameSyntax identifier && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, local);

        bool ReturnsLocal(StatementSyntax statement) => statement switch
        {
            ReturnStatementSyntax returnStatement => IsLocal(returnStatement.Expression),
            BlockSyntax { Statements.Count: > 0 } inner => ReturnsLocal(inner.Statements.Last()),
            _ => false,
        };

        return block.Statements[index + 1] switch
        {
            ReturnStatementSyntax returnStatement => IsLocal(returnStatement.Expression),
            IfStatementSyntax { Else: null, Condition: BinaryExpressionSyntax condition } ifStatement
                => (condition.IsKind(SyntaxKind.NotEqualsExpression) || condition.IsKind(SyntaxKind.LessThanExpression))
                    && IsLocal(condition.Left)
                    && model.GetConstantValue(condition.Right, cancellationToken) is { HasValue: true, Value: 0 }
                    && ReturnsLocal(ifStatement.Statement),
            _ => false,
        };
    }
}
