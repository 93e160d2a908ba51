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
/// UA5001: a [MustCheck] result ignored. <c>Call();</c> (or a store of it nothing reads, <c>err = Call();</c>)
/// becomes <c>if (Call() != 0) return -EFAULT;</c>; <c>err |= Call();</c> that nothing reads is kept and
/// followed by <c>if (err != 0) return -EFAULT;</c>, which tests every result or-ed into it
/// for byte counts, <c>int ret = Call(); if (ret != 0) return ret;</c> for errno results, and
/// <c>if (XKillable() != 0) return -EINTR;</c> for killable waits, releasing what is held on that path.
/// When something is held and the function has its own exit for it, a label that releases it and
/// returns a local (ARC's <c>done: PreemptEnable(); return uval;</c>), the error is set into that
/// local and the check jumps there instead (<c>{ uval = ret; goto done; }</c>), as kernel code does.
/// </summary>
/// <remarks>Declines with the <see cref="DeclineReason"/> the rule page lists.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA5001IgnoredResultCodeFix)), Shared]
public sealed class UA5001IgnoredResultCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.IgnoredResult);

    /// <inheritdoc/>
    protected override string Title => "Check the result and return the error";

    internal override string EquivalenceKey => EquivalenceKeys.UA5001CheckResult;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node)
        {
            return DeclineReason.CodeChanged;
        }

        if (context.Facts(node) is not { } facts)
        {
            return DeclineReason.NotAnalysed;
        }

        var invocation = SyntaxSupport.InvocationsAround(node).FirstOrDefault(i =>
            i.Span.IntersectsWith(diagnostic.Location.SourceSpan)
            && facts.AnnotationsOf(SyntaxSupport.Method(model, i, cancellationToken)).MustCheck);
        if (invocation?.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax })
        {
            return DeclineReason.ResultDeclaredUnread;
        }

        // `Call();`, or a store nothing reads (`err |= Call();`, the rule's other report): the statement is
        // only the call, and the check replaces it or follows it.
        var statement = invocation?.Parent switch
        {
            ExpressionStatementSyntax bare => bare,
            AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax stored } assignment when assignment.Right == invocation => stored,
            _ => null,
        };
        if (invocation is null || statement is null || !(SyntaxSupport.IsInStatementList(statement) || IsEmbedded(statement)))
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        var method = SyntaxSupport.Method(model, invocation, cancellationToken)!;
        if (SyntaxSupport.ContainingFunction(statement) is not var (member, body))
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        // install_sigtramp(...); err |= setup_sigcontext(...); ... if (err) goto give_sigsegv;: the result joins
        // the accumulator the next statement or-s checked results into, as the kernel's fix did ("[MIPS]
        // signal: test return value of install_sigtramp()", v2.6.21).
        if (invocation.Parent is ExpressionStatementSyntax && AccumulatorAfter(facts, statement) is { } accumulator)
        {
            var orInto = ExpressionStatement(AssignmentExpression(SyntaxKind.OrAssignmentExpression, IdentifierName(accumulator.Name), invocation.WithoutTrivia()))
                .WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation);
            return FixPlan.Rewrite(() => root.ReplaceNode(statement, orInto));
        }

        if (ErrorReturn.Declined(context, member, body) is { } noErrno)
        {
            return noErrno;
        }

        if (method.ReturnType.SpecialType != SpecialType.System_Int32)
        {
            return DeclineReason.ResultNotAnErrorCode;
        }

        var annotations = facts.AnnotationsOf(method);
        bool errno = annotations.ReturnsErrno;
        bool byteCount = annotations.ReturnsBytesNotCopied || annotations.ReturnsBytesNotFaultedIn;
        if (!errno && !byteCount)
        {
            return DeclineReason.ResultNotAnErrorCode;
        }

        // The first error return makes the method "one that can fail": a non-killable wait in it
        // would then be UA2001. Add it only where there is none (fix the wait first).
        if (CallSupport.FirstErrorReturnWouldFlagAWait(context, body))
        {
            return DeclineReason.WaitWouldBecomeFailable;
        }

        if (facts.ReleasesForEarlyReturn(statement, closesRegions: true, out var releases) is { } held)
        {
            return held;
        }

        // With something held and a label that releases it and returns a local (ARC's done:), the
        // error takes that exit, as kernel code does: set the result, goto the label.
        var exitLabel = facts.ExitLabel(statement, body);
        StatementSyntax Exit(ExpressionSyntax value) => exitLabel is var (label, result)
            ? Block(
                ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(result.Name), value)),
                GotoStatement(SyntaxKind.GotoStatement, IdentifierName(label.Identifier.ValueText)))
            : UA5001IgnoredResultCodeFix.Exit(releases, value);

        int position = statement.SpanStart;
        var call = invocation.WithoutTrivia();
        var zero = LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0));
        var newStatements = new List<StatementSyntax>();
        var killable = facts.CallAt(invocation) is { } site && site.Effects.Acquires.Any(a => a.When == AcquireWhen.ReturnsZero);
        bool keepsStore = false;
        if (invocation.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax accumulated } orStore && orStore.IsKind(SyntaxKind.OrAssignmentExpression))
        {
            // err |= __get_user(...) that nothing tests: test what the store accumulated right after it, as the
            // kernel's fixes did (12176503's do_video_set_spu_palette(), s390's setup_rt_frame()); replacing the
            // store would leave the earlier results or-ed into err unread.
            keepsStore = true;
            newStatements.Add(statement.WithoutTrivia());
            newStatements.Add(IfStatement(
                BinaryExpression(SyntaxKind.NotEqualsExpression, IdentifierName(accumulated.Identifier.ValueText), zero),
                Exit(SyntaxSupport.NegativeErrno(model, position, "EFAULT"))));
        }
        else if (byteCount || killable)
        {
            // A killable wait fails only with -EINTR, and the scanners of the other fixes know the
            // if-form as "held after this statement".
            var error = SyntaxSupport.NegativeErrno(model, position, killable ? "EINTR" : "EFAULT");
            newStatements.Add(IfStatement(
                BinaryExpression(SyntaxKind.NotEqualsExpression, call, zero),
                Exit(error)));
        }
        else
        {
            var name = SyntaxSupport.FreshLocalName(model, member, position, "ret", "err");
            newStatements.Add(LocalDeclarationStatement(VariableDeclaration(
                PredefinedType(Token(SyntaxKind.IntKeyword)),
                SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(call))))));
            newStatements.Add(IfStatement(
                BinaryExpression(SyntaxKind.NotEqualsExpression, IdentifierName(name), zero),
                Exit(IdentifierName(name))));
        }

        if (IsEmbedded(statement))
        {
            // if (c) Call();  →  if (c) { ...; if (... != 0) return ...; }  (ARC's cmpxchg shape)
            // The statement's trailing comment stays on the line of the call.
            newStatements[0] = newStatements[0].WithTrailingTrivia(statement.GetTrailingTrivia());
            var endOfLine = statement.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).Take(1);
            var block = Block(newStatements)
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithTrailingTrivia(endOfLine)
                .WithAdditionalAnnotations(Formatter.Annotation);
            return FixPlan.Rewrite(() => root.ReplaceNode(statement, block));
        }

        // The kept store keeps its own line's comment; a replaced statement hands it to the last new one.
        newStatements[0] = keepsStore ? statement : newStatements[0].WithLeadingTrivia(statement.GetLeadingTrivia());
        newStatements[newStatements.Count - 1] = newStatements[newStatements.Count - 1].WithTrailingTrivia(
            keepsStore ? statement.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).Take(1) : statement.GetTrailingTrivia());
        return FixPlan.Rewrite(() => root.ReplaceNode(statement, newStatements.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation))));
    }

    /// <summary>The body of an if/else or loop written without braces: it becomes a block.</summary>
    private static bool IsEmbedded(StatementSyntax statement) =>
        statement.Parent is IfStatementSyntax or ElseClauseSyntax or WhileStatementSyntax or ForStatementSyntax or ForEachStatementSyntax or DoStatementSyntax;

    /// <summary><c>return value;</c>, or a block releasing what is held first (innermost first).</summary>
    internal static StatementSyntax Exit(IReadOnlyList<StatementSyntax> releases, ExpressionSyntax value)
    {
        var returnStatement = ReturnStatement(value);
        if (releases.Count == 0)
        {
            return returnStatement;
        }

        return Block(releases.Concat(new StatementSyntax[] { returnStatement }));
    }

    /// <summary>
    /// The <c>int</c> local the statement after <paramref name="statement"/> or-s a checked result into
    /// (<c>err |= SetupSigcontext(regs, sc);</c>, a <c>[MustCheck]</c> call or a user access), when the ignored
    /// call is a method of the user's returning an <c>int</c> too (<c>install_sigtramp()</c>, whose result is
    /// its or-ed <c>__put_user()</c>s): or-ing its result there sends its failure where theirs goes. A runtime
    /// API whose result is a count (a pin count, a string's length) is not or-ed into an error.
    /// </summary>
    private static ILocalSymbol? AccumulatorAfter(EngineFacts facts, StatementSyntax statement)
    {
        if (statement is not ExpressionStatementSyntax { Expression: InvocationExpressionSyntax ignored } || !SyntaxSupport.IsInStatementList(statement)
            || facts.Model.GetSymbolInfo(ignored).Symbol is not IMethodSymbol { ReturnType.SpecialType: SpecialType.System_Int32 } callee
            || !callee.Locations.Any(location => location.IsInSource))
        {
            return null;
        }

        var statements = SyntaxSupport.StatementList(statement);
        int next = statements.IndexOf(statement) + 1;
        if (next >= statements.Count
            || statements[next] is not ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.OrAssignmentExpression, Left: IdentifierNameSyntax target, Right: var right } }
            || SyntaxSupport.Unparenthesize(right) is not InvocationExpressionSyntax checkedCall
            || facts.Model.GetSymbolInfo(target).Symbol is not ILocalSymbol { Type.SpecialType: SpecialType.System_Int32 } local
            || facts.CallAt(checkedCall) is not { } site
            || !(site.Effects.Annotations.MustCheck || site.Effects.Annotations.UserAccessKind is not null))
        {
            return null;
        }

        return local;
    }
}
