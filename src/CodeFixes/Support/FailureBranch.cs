using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UserAccess.Analyzers.Engine;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// <c>if (Access(...) != 0) { &lt;releases&gt; &lt;jump&gt; }</c>: an errno access whose failure leaves at
/// once, the commonest kernel shape of all (<c>if (get_user(x, p)) return -EFAULT;</c>,
/// <c>if (put_user(...)) goto out;</c>), or the same test of the local the result was stored in
/// (<c>ret = get_user(x, p); if (ret) { unlock; goto out; }</c>). In the canonical loop the access's
/// result is the loop's, and the branch follows the loop, tested on that result; the loop has released
/// the locks by then, so the branch keeps only what it does after its own releases.
/// </summary>
internal sealed class FailureBranch
{
    private FailureBranch(IfStatementSyntax statement, ExpressionSyntax tested, IReadOnlyList<LockStep> releases, IReadOnlyList<StatementSyntax> rest)
    {
        Statement = statement;
        Tested = tested;
        Releases = releases;
        Rest = rest;
    }

    /// <summary>The <c>if</c> statement.</summary>
    internal IfStatementSyntax Statement { get; }

    /// <summary>What its condition tests: the access, or the local its result was stored in.</summary>
    internal ExpressionSyntax Tested { get; }

    /// <summary>The releases the branch starts with, in order.</summary>
    internal IReadOnlyList<LockStep> Releases { get; }

    /// <summary>What the branch does after its releases, ending in a jump.</summary>
    internal IReadOnlyList<StatementSyntax> Rest { get; }

    /// <summary>
    /// The branch of <paramref name="statement"/>, or null when it is not <c>if (Access(...) != 0)</c>
    /// (or <c>&lt; 0</c>) of an <c>int</c> errno access whose arguments declare nothing, with no
    /// <c>else</c> and a body that starts with releases and ends in a jump (<c>return</c>, <c>goto</c>,
    /// <c>break</c>, <c>continue</c>, <c>throw</c>).
    /// </summary>
    internal static FailureBranch? Read(EngineFacts facts, StatementSyntax statement, InvocationExpressionSyntax access, bool returnsErrno, CancellationToken cancellationToken)
    {
        if (access.DescendantNodes().Any(n => n is AnonymousFunctionExpressionSyntax or DeclarationExpressionSyntax)
            || SyntaxSupport.Method(facts.Model, access, cancellationToken) is not { ReturnType.SpecialType: SpecialType.System_Int32 } method
            || !(returnsErrno || facts.AnnotationsOf(method).ReturnsErrno))
        {
            return null;
        }

        return Of(facts, statement, tested => tested == access);
    }

    /// <summary>
    /// The branch of <paramref name="statement"/> testing the local <paramref name="result"/> that the
    /// statement before it stored the access's errno in: <c>if (ret != 0)</c> (or <c>&lt; 0</c>), as
    /// <see cref="Read"/>; null otherwise.
    /// </summary>
    internal static FailureBranch? ReadStored(EngineFacts facts, StatementSyntax statement, string result, CancellationToken cancellationToken) =>
        Of(facts, statement, tested => tested is IdentifierNameSyntax name && name.Identifier.ValueText == result
            && facts.Model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol);

    private static FailureBranch? Of(EngineFacts facts, StatementSyntax statement, System.Func<ExpressionSyntax, bool> testsTheResult)
    {
        if (statement is not IfStatementSyntax { Else: null } ifStatement
            || ifStatement.Condition is not BinaryExpressionSyntax { Right: LiteralExpressionSyntax { Token.ValueText: "0" } } condition
            || !(condition.IsKind(SyntaxKind.NotEqualsExpression) || condition.IsKind(SyntaxKind.LessThanExpression))
            || !testsTheResult(condition.Left))
        {
            return null;
        }

        var body = ifStatement.Statement is BlockSyntax block ? block.Statements.ToList() : new List<StatementSyntax> { ifStatement.Statement };
        var releases = new List<LockStep>();
        int start = 0;
        while (start < body.Count
            && body[start] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call }
            && LockStep.Of(facts, call) is { IsAcquire: false } release)
        {
            releases.Add(release);
            start++;
        }

        var rest = body.Skip(start).ToList();
        if (rest.Count == 0 || !IsJump(rest[rest.Count - 1]))
        {
            return null;
        }

        return new FailureBranch(ifStatement, condition.Left, releases, rest);
    }

    /// <summary>The branch after the loop: its condition tested on <paramref name="result"/>, its body without the releases.</summary>
    internal IfStatementSyntax After(string result, SyntaxTrivia endOfLine)
    {
        var condition = Statement.Condition.ReplaceNode(Tested, IdentifierName(result).WithTriviaFrom(Tested));
        StatementSyntax body = Rest.Count == 1 && !Rest[0].GetLeadingTrivia().Any(IsComment)
            ? Rest[0].WithoutLeadingTrivia()
            : Block(Rest);
        // No elastic trivia before it: after the loop's block the formatter would add a blank line.
        return IfStatement(condition, body).WithLeadingTrivia(SyntaxTriviaList.Empty).WithTrailingTrivia(endOfLine);
    }

    private static bool IsJump(StatementSyntax statement) =>
        statement is ReturnStatementSyntax or ThrowStatementSyntax or GotoStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax;

    private static bool IsComment(SyntaxTrivia trivia) =>
        trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia);
}
