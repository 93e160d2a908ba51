using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// Builds THE canonical retry-on-EFAULT loop (docs/architecture.md) from its parts, with SyntaxFactory:
/// <code>
/// while (true)
/// {
///     &lt;the user's lock statements, in order&gt;
///     PagefaultDisable();
///     ret = &lt;the access&gt;;
///     PagefaultEnable();
///     &lt;the user's release statements, in order&gt;
///     if (ret != -EFAULT)
///         break;
///     if (FatalSignalPending())
///     {
///         ret = -EINTR;
///         break;
///     }
///     &lt;the user's lock statements the fault-in needs, in order&gt;
///     ret = &lt;fault-in&gt;;                       // errno fault-in (FaultInUserWriteable)
///     &lt;their releases, in order&gt;
///     if (ret != 0)
///         break;
/// }
/// </code>
/// A fault-in that returns the bytes NOT faulted in (<c>FaultInReadable(p, n)</c>) must fault in
/// the whole range for a retry of the same access to make sense: anything left is permanent, so
/// <c>if (FaultInReadable(p, n) != 0) { ret = -EFAULT; break; }</c>. (Retrying on partial progress
/// is right only for a copy that resumes where it stopped; a whole-word access that straddles a bad
/// page would spin.)
/// The statements given keep their own trivia (comments stay with their statements); new nodes
/// carry elastic trivia for the formatter.
/// </summary>
internal sealed class CanonicalLoop
{
    /// <summary>The user's statements that take the locks, in order (kept as they are).</summary>
    public IReadOnlyList<StatementSyntax> Acquires { get; set; } = new List<StatementSyntax>();

    /// <summary>The user's statements that release them, in order (kept as they are).</summary>
    public IReadOnlyList<StatementSyntax> Releases { get; set; } = new List<StatementSyntax>();

    /// <summary>The access, an errno-returning call that never handles a fault when faults are disabled.</summary>
    public ExpressionSyntax Access { get; set; } = null!;

    /// <summary>The leading trivia of the access statement (its comments).</summary>
    public SyntaxTriviaList AccessLeadingTrivia { get; set; }

    /// <summary>The trailing trivia of the access statement.</summary>
    public SyntaxTriviaList AccessTrailingTrivia { get; set; }

    /// <summary>The result variable, assigned the access's errno.</summary>
    public string Result { get; set; } = "ret";

    /// <summary>The fault-in call.</summary>
    public ExpressionSyntax FaultIn { get; set; } = null!;

    /// <summary>True when <see cref="FaultIn"/> returns an errno; false when it returns the bytes not faulted in.</summary>
    public bool FaultInReturnsErrno { get; set; }

    /// <summary><c>PagefaultDisable()</c>, <c>PagefaultEnable()</c>, <c>FatalSignalPending()</c> as the file spells them.</summary>
    public ExpressionSyntax Disable { get; set; } = null!;

    /// <summary><c>PagefaultEnable()</c>.</summary>
    public ExpressionSyntax Enable { get; set; } = null!;

    /// <summary><c>FatalSignalPending()</c>.</summary>
    public ExpressionSyntax FatalSignalPending { get; set; } = null!;

    /// <summary><c>-EFAULT</c> and <c>-EINTR</c> as the file spells them.</summary>
    public ExpressionSyntax MinusEfault { get; set; } = null!;

    /// <summary><c>-EINTR</c>.</summary>
    public ExpressionSyntax MinusEintr { get; set; } = null!;

    /// <summary>Comments of the user's own <c>PagefaultEnable()</c> statement, kept above the loop's.</summary>
    public SyntaxTriviaList EnableComments { get; set; }

    /// <summary>Comments of the user's fault handling, kept above the loop's fault-in.</summary>
    public SyntaxTriviaList FaultInComments { get; set; }

    /// <summary>Comments of the user's own <c>PagefaultDisable()</c> statement, kept above the loop's.</summary>
    public SyntaxTriviaList DisableComments { get; set; }

    /// <summary>Comments of the user's own <c>if (ret != -EFAULT) break;</c> (a retry loop being replaced), kept above the loop's.</summary>
    public SyntaxTriviaList RetryCheckComments { get; set; }

    /// <summary>
    /// The user's statements that take the locks an errno fault-in needs (<c>MmapReadLock(mm);</c>
    /// around <c>FixupUserFault</c>), in order, kept as they are; with a fault-in that returns the
    /// bytes not faulted in there are none (its failure leaves the loop at once).
    /// </summary>
    public IReadOnlyList<StatementSyntax> FaultInAcquires { get; set; } = new List<StatementSyntax>();

    /// <summary>The user's statements that release them, in order (kept as they are), before the result is tested.</summary>
    public IReadOnlyList<StatementSyntax> FaultInReleases { get; set; } = new List<StatementSyntax>();

    /// <summary>The file's end of line: after a block the formatter would otherwise add a blank line, which the canonical loop does not have.</summary>
    public SyntaxTrivia EndOfLine { get; set; } = SyntaxFactory.EndOfLine("\n");

    /// <summary>
    /// The loop for <paramref name="access"/>, its runtime calls (<c>PagefaultDisable()</c>,
    /// <c>PagefaultEnable()</c>, <c>FatalSignalPending()</c>) and errnos spelled as the file spells
    /// them at <paramref name="position"/>; null when one of the calls would not bind there. The
    /// fixes fill in the access, the result, the fault-in and the user's statements. For a helper of
    /// the user's, <paramref name="runtime"/> is the access it makes: the calls are its type's.
    /// </summary>
    internal static CanonicalLoop? For(EngineFacts facts, InvocationExpressionSyntax access, int position, IMethodSymbol? runtime = null)
    {
        var disable = RetryLoopRewrite.NofaultBoundaryCall(facts, access, enters: true, runtime);
        var enable = RetryLoopRewrite.NofaultBoundaryCall(facts, access, enters: false, runtime);
        var fatal = RetryLoopRewrite.FatalSignalCheck(facts, access, runtime);
        if (disable is null || enable is null || fatal is null)
        {
            return null;
        }

        return new CanonicalLoop
        {
            Access = access.WithoutTrivia(),
            Disable = disable,
            Enable = enable,
            FatalSignalPending = fatal,
            MinusEfault = SyntaxSupport.NegativeErrno(facts.Model, position, "EFAULT"),
            MinusEintr = SyntaxSupport.NegativeErrno(facts.Model, position, "EINTR"),
        };
    }

    /// <summary>The loop, its new nodes carrying elastic trivia for the formatter.</summary>
    public WhileStatementSyntax Build()
    {
        if (!FaultInReturnsErrno && (FaultInAcquires.Count > 0 || FaultInReleases.Count > 0))
        {
            // Its failure test breaks out at once: a lock taken around it would stay held.
            throw new System.InvalidOperationException("a fault-in under a lock must return an errno");
        }

        var result = IdentifierName(Result);
        var body = new List<StatementSyntax>();
        body.AddRange(Acquires);
        body.Add(ExpressionStatement(Disable).WithLeadingTrivia(DisableComments));
        body.Add(ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, result, Access))
            .WithLeadingTrivia(AccessLeadingTrivia)
            .WithTrailingTrivia(AccessTrailingTrivia));
        body.Add(ExpressionStatement(Enable).WithLeadingTrivia(EnableComments));
        body.AddRange(Releases);
        body.Add(IfStatement(BinaryExpression(SyntaxKind.NotEqualsExpression, result, MinusEfault), BreakStatement()).WithLeadingTrivia(RetryCheckComments));
        body.Add(IfStatement(
            FatalSignalPending,
            Block(Assign(result, MinusEintr), BreakStatement())).WithTrailingTrivia(EndOfLine));
        // No elastic trivia on the token after the block: the formatter keeps the single line break.
        if (FaultInReturnsErrno)
        {
            body.AddRange(FaultInAcquires);
            body.Add(Assign(result, FaultIn).WithLeadingTrivia(FaultInComments));
            body.AddRange(FaultInReleases);
            body.Add(IfStatement(BinaryExpression(SyntaxKind.NotEqualsExpression, result, Zero()), BreakStatement()));
        }
        else
        {
            body.Add(IfStatement(
                BinaryExpression(SyntaxKind.NotEqualsExpression, FaultIn, Zero()),
                Block(Assign(result, MinusEfault), BreakStatement())).WithLeadingTrivia(FaultInComments));
        }

        return WhileStatement(LiteralExpression(SyntaxKind.TrueLiteralExpression), Block(body));
    }

    /// <summary>
    /// Why the canonical loop cannot start at <paramref name="start"/>, or null: its fault-in runs with
    /// everything released, so nothing may be held or entered before it, and the errors it can return
    /// must not turn a non-killable wait of the method into a UA2001 (the wait is fixed first).
    /// </summary>
    internal static DeclineReason? WhyNotAfter(EngineFacts facts, SyntaxNode start) =>
        WhyNotReleasedAt(facts, start) ?? (facts.FirstErrorReturnWouldFlagAWait ? DeclineReason.FirstErrorReturn : null);

    /// <summary>
    /// Why a fault-in placed after the user's own unlock, in a loop that starts at <paramref name="start"/>,
    /// would still run with something held, or null: no lock may be held and no region entered before it.
    /// </summary>
    internal static DeclineReason? WhyNotReleasedAt(EngineFacts facts, SyntaxNode start)
    {
        if (facts.StateBefore(start) is not { } before)
        {
            return DeclineReason.NotAnalysed;
        }

        if (!before.Nofault.DefinitelyNot || !before.Atomic.DefinitelyNot)
        {
            return DeclineReason.InRegion;
        }

        return before.Locks.IsEmpty ? null : DeclineReason.LockHeldAcrossFaultIn;
    }

    /// <summary>
    /// The comments of a statement the rewrite replaces, each with its line end, to go above the
    /// statement that takes its role (the formatter indents them).
    /// </summary>
    internal static SyntaxTriviaList CommentsOf(SyntaxNode statement)
    {
        var result = new List<SyntaxTrivia>();
        foreach (var trivia in statement.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
            {
                result.Add(trivia);
                result.Add(SyntaxFactory.EndOfLine("\n"));
            }
        }

        return SyntaxFactory.TriviaList(result);
    }

    /// <summary>
    /// A statement that becomes the first of the loop body: the blank lines before its first
    /// comment stay where it was (they go before the loop), the statement keeps its comments.
    /// </summary>
    internal static (SyntaxTriviaList BlankLines, StatementSyntax Statement) SplitBlankLines(StatementSyntax statement)
    {
        var leading = statement.GetLeadingTrivia();
        int firstComment = leading.IndexOf(leading.FirstOrDefault(t => !t.IsKind(SyntaxKind.WhitespaceTrivia) && !t.IsKind(SyntaxKind.EndOfLineTrivia)));
        return firstComment < 0
            ? (leading, statement.WithLeadingTrivia(SyntaxFactory.TriviaList()))
            : (SyntaxFactory.TriviaList(leading.Take(firstComment)), statement.WithLeadingTrivia(SyntaxFactory.TriviaList(leading.Skip(firstComment))));
    }

    /// <summary>The line end the statement uses, or <c>\n</c>.</summary>
    internal static SyntaxTrivia EndOfLineOf(StatementSyntax statement)
    {
        var endOfLine = statement.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : SyntaxFactory.EndOfLine("\n");
    }

    private static ExpressionStatementSyntax Assign(IdentifierNameSyntax target, ExpressionSyntax value) =>
        ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, target, value));

    private static LiteralExpressionSyntax Zero() => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0));
}
