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
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers;
using UserAccess.Analyzers.Engine;
using UserAccess.CodeFixes.Support;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA3003: a double fetch. The second read of the user location is removed and the value that was
/// read first, and checked, is used instead: every use of the second read's local after it reads
/// the first read's local. The statements removed are the second read and its failure check, in
/// one of three shapes: <c>if (GetUser(out second, p) != 0) return -EFAULT;</c> (any branch that
/// always leaves, braced or not; <c>!= 0</c> or <c>&lt; 0</c>), <c>int ret = GetUser(out second, p);
/// if (ret != 0) return ret;</c> (<c>ret</c> used nowhere else), or a bare
/// <c>GetUser(out second, p);</c>. A second local declared by the read (<c>out uint second</c>,
/// <c>out var second</c>) goes with it; one declared on its own (<c>uint second;</c>, or with a
/// constant initializer) is removed too, since nothing uses it any more.
/// </summary>
/// <remarks>
/// <para>
/// Comments: the comment lines right above a removed statement (no blank line between) and those
/// on its own lines (trailing, or inside it) are about the read and are removed with it; lines above
/// a blank line move to the statement after it (a comment that introduced the section keeps
/// introducing it).
/// </para>
/// <para>
/// Declined (no code action), because reusing the first copy would not be the same program or the
/// result could not be shown correct from the code alone:
/// </para>
/// <list type="bullet">
/// <item>reads into spans or arrays (<c>CopyFromUser</c>, <c>memdup_user()</c>): the kernel's classic
/// double fetch copies a header and then the whole struct; there the fix is the kernel's instead
/// (<see cref="DoubleFetchRecheck"/>: the re-check, or the field read first written over the copy),
/// with its own reasons to decline;</item>
/// <item>locals of different types, a copy held in a parameter or a <c>ref</c> local;</item>
/// <item>a first local written anywhere but by the first read (between the reads, after them, in a
/// lambda; by <c>ref</c>, in a deconstruction): the value checked may no longer be in it;</item>
/// <item>a second local written again, passed by <c>ref</c>, named by <c>nameof</c> or naming a
/// member (<c>new { second }</c>, a tuple element), read inside or before the removed statements or
/// outside their block, or where the first local is not in scope (or is shadowed);</item>
/// <item>a second read whose result is used for more than the failure check (stored and returned
/// later, <c>ret = GetUser(...)</c> into an existing local, part of a larger condition, an
/// <c>else</c> branch, a branch that does not leave);</item>
/// <item>a read with arguments that are not plain (a call could have side effects), or whose
/// pointer lives in a mutable field or a variable written anywhere in the function;</item>
/// <item>a second read in a loop that does not contain the first (a loop polling the location
/// waits for user space to change it);</item>
/// <item>two loops walking one buffer (<see cref="DeclineReason.BufferWalkedTwice"/>): the first copy of
/// each chunk is gone by the time the second walk reads it again;</item>
/// <item>a second read in the method the pointer is handed to (<see cref="DeclineReason.RefetchedByCallee"/>):
/// the kernel's fix hands the method what the caller found from its copy, a change of signature;</item>
/// <item>a label between the first read and the last use (a <c>goto</c> could skip a read), the
/// reads in different functions (a lambda), statements outside a block (a <c>switch</c> section,
/// an embedded statement) or with preprocessor directives inside them.</item>
/// </list>
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA3003DoubleFetchCodeFix)), Shared]
public sealed class UA3003DoubleFetchCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.DoubleFetch);

    /// <inheritdoc/>
    protected override string Title => "Reuse the first fetched value";

    internal override string EquivalenceKey => EquivalenceKeys.UA3003ReuseFirstFetch;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        var secondCall = SyntaxSupport.NodeAt(root, diagnostic.Location)?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        var firstCall = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.FirstFetchLocation)?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        if (secondCall is null || firstCall is null || firstCall.Span.End > secondCall.SpanStart
            || SyntaxSupport.ContainingFunction(secondCall) is not var (member, _)
            || SyntaxSupport.ContainingFunction(firstCall) is not var (firstMember, _) || firstMember != member)
        {
            return DeclineReason.FirstFetchNotReusable;
        }

        if (diagnostic.Properties.TryGetValue(DiagnosticProperties.WalkedTwice, out var walked) && walked == "true")
        {
            return DeclineReason.BufferWalkedTwice;
        }

        if (diagnostic.Properties.TryGetValue(DiagnosticProperties.RefetchedByCallee, out var byCallee) && byCallee == "true")
        {
            return DeclineReason.RefetchedByCallee;
        }

        if (Destination(model, firstCall, cancellationToken) is not { } first
            || Destination(model, secondCall, cancellationToken) is not { } second)
        {
            return DoubleFetchRecheck.Plan(context, member, firstCall, secondCall);
        }

        if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.FirstFetchLocal, out var firstName) || firstName != first.Name
            || !diagnostic.Properties.TryGetValue(DiagnosticProperties.SecondFetchLocal, out var secondName) || secondName != second.Name
            || !SymbolEqualityComparer.Default.Equals(first.Type, second.Type)
            || !ReadsOneStableLocation(model, member, secondCall, cancellationToken)
            || RereadsInALoop(member, firstCall, secondCall)
            || SecondFetchStatements(model, member, secondCall, cancellationToken) is not var (start, count)
            || FirstDeclaration(first, member, firstCall, cancellationToken) is not { } firstIdentifier)
        {
            return DeclineReason.FirstFetchNotReusable;
        }

        var block = (BlockSyntax)start.Parent!;
        var removedEnd = block.Statements[block.Statements.IndexOf(start) + count - 1].Span.End;

        // The first copy holds the checked value wherever the second is used: only the first read writes it.
        bool same = SymbolEqualityComparer.Default.Equals(first, second);
        foreach (var (name, use) in VariableReferences.In(model, member, first, cancellationToken))
        {
            if (use != ReferenceUse.Read && !(use == ReferenceUse.Write && (IsOutArgumentOf(name, firstCall) || (same && IsOutArgumentOf(name, secondCall)))))
            {
                return DeclineReason.FirstFetchNotReusable;
            }
        }

        var reads = new List<IdentifierNameSyntax>();
        VariableDeclaratorSyntax? secondDeclarator = null;
        if (!same)
        {
            foreach (var (name, use) in VariableReferences.In(model, member, second, cancellationToken))
            {
                if (use == ReferenceUse.Write && IsOutArgumentOf(name, secondCall))
                {
                    continue;
                }

                // Every use comes after the removed statements in their block, so the second read ran
                // just before it; and the first local is the one that name finds there.
                if (use != ReferenceUse.Read || name.SpanStart < removedEnd || !block.Span.Contains(name.Span) || NamesAMember(name)
                    || model.LookupSymbols(name.SpanStart, name: first.Name) is not { Length: 1 } found
                    || !SymbolEqualityComparer.Default.Equals(found[0], first))
                {
                    return DeclineReason.FirstFetchNotReusable;
                }

                reads.Add(name);
            }

            if (!SecondDeclaration(model, second, member, secondCall, cancellationToken, out secondDeclarator))
            {
                return DeclineReason.FirstFetchNotReusable;
            }
        }

        // A goto to a label between the first read and the last use could reach a use without a read.
        int rangeEnd = reads.Count > 0 ? System.Math.Max(removedEnd, reads.Max(r => r.Span.End)) : removedEnd;
        if (member.DescendantNodes().OfType<LabeledStatementSyntax>().Any(l => l.SpanStart > firstCall.SpanStart && l.SpanStart < rangeEnd))
        {
            return DeclineReason.FirstFetchNotReusable;
        }

        var tracked = new List<SyntaxNode>(reads) { start };
        if (secondDeclarator is not null)
        {
            tracked.Add(secondDeclarator);
            tracked.Add(secondDeclarator.Parent!.Parent!);
        }

        var newRoot = root.TrackNodes(tracked);
        newRoot = newRoot.ReplaceNodes(
            reads.Select(r => newRoot.GetCurrentNode(r)!),
            (_, rewritten) => IdentifierName(firstIdentifier).WithTriviaFrom(rewritten).WithAdditionalAnnotations(Formatter.Annotation));
        newRoot = StatementRemoval.Remove(newRoot, newRoot.GetCurrentNode(start)!, count);
        if (secondDeclarator is not null)
        {
            var declarationStatement = (LocalDeclarationStatementSyntax)newRoot.GetCurrentNode(secondDeclarator.Parent!.Parent!)!;
            if (declarationStatement.Declaration.Variables.Count == 1)
            {
                newRoot = StatementRemoval.Remove(newRoot, declarationStatement, 1);
            }
            else
            {
                var declaration = declarationStatement.Declaration;
                var shorter = declaration.RemoveNode(newRoot.GetCurrentNode(secondDeclarator)!, SyntaxRemoveOptions.KeepNoTrivia)!;
                newRoot = newRoot.ReplaceNode(declaration, shorter.WithAdditionalAnnotations(Formatter.Annotation));
            }
        }

        return FixPlan.Rewrite(() => newRoot);
    }

    /// <summary>The local a read stores into through its only <c>out</c> argument; null for reads into spans or arrays.</summary>
    private static ILocalSymbol? Destination(SemanticModel model, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation)
        {
            return null;
        }

        var outs = invocation.Arguments.Where(a => a.Parameter?.RefKind == RefKind.Out).ToList();
        if (outs.Count != 1)
        {
            return null;
        }

        var value = outs[0].Value is IDeclarationExpressionOperation declaration ? declaration.Expression : outs[0].Value;
        return value is ILocalReferenceOperation { Local: { RefKind: RefKind.None, IsConst: false } local } ? local : null;
    }

    /// <summary>
    /// The second read can go without losing anything but the read: its other arguments are
    /// constants, variables, or a pointer the engine reads as one location (<c>p</c>,
    /// <c>(p + 8).Cast&lt;T&gt;()</c>, <c>p.Untagged</c>), and that pointer's variable is not written
    /// anywhere in the function (the engine's own check does not look into lambdas) nor a mutable
    /// field (a call between the reads could move it, and then the reads were of two locations).
    /// </summary>
    private static bool ReadsOneStableLocation(SemanticModel model, SyntaxNode member, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        var invocation = (IInvocationOperation)model.GetOperation(call, cancellationToken)!;
        if (invocation.Instance is not null and not IInstanceReferenceOperation)
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind == RefKind.Out || argument.Value.ConstantValue.HasValue)
            {
                continue;
            }

            if (argument.Parameter?.RefKind != RefKind.None || argument.ArgumentKind != ArgumentKind.Explicit)
            {
                return false;
            }

            var variable = AlignmentFacts.IsUserPtr(argument.Value.Type) ? AlignmentFacts.Root(argument.Value, out _) : FlowAnalysis.SymbolOf(argument.Value);
            switch (variable)
            {
                case IFieldSymbol field when field.IsReadOnly || field.IsConst:
                    continue;
                case ILocalSymbol { RefKind: RefKind.None }:
                case IParameterSymbol { RefKind: RefKind.None }:
                    if (VariableReferences.In(model, member, variable, cancellationToken).Any(r => r.Use != ReferenceUse.Read))
                    {
                        return false;
                    }

                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when the second read is in a loop that does not contain the first: it runs again on
    /// every round (a loop polling the location for a change), and the first copy, read once
    /// before the loop, would never see the change.
    /// </summary>
    private static bool RereadsInALoop(SyntaxNode member, InvocationExpressionSyntax firstCall, InvocationExpressionSyntax secondCall) =>
        secondCall.Ancestors().TakeWhile(a => a != member)
            .Any(a => a is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax && !a.Span.Contains(firstCall.Span));

    /// <summary>
    /// The statements that make up the second read and its failure check, as a run of a block:
    /// <c>if (Read(...) != 0) leave;</c>, <c>int ret = Read(...); if (ret != 0) leave;</c>
    /// (<c>ret</c> used nowhere else), or <c>Read(...);</c>. Null for any other use of the result.
    /// </summary>
    private static (StatementSyntax Start, int Count)? SecondFetchStatements(SemanticModel model, SyntaxNode member, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        var statement = call.FirstAncestorOrSelf<StatementSyntax>();
        if (statement is null || !StatementRemoval.CanRemove(statement))
        {
            return null;
        }

        if (statement is ExpressionStatementSyntax expressionStatement && SyntaxSupport.Unparenthesize(expressionStatement.Expression) == call)
        {
            return (statement, 1);
        }

        // The checks below remove a failure branch with the read: right only when 0 is success.
        if (CompilationEngine.Get(model.Compilation)?.GetAnnotations(SyntaxSupport.Method(model, call, cancellationToken)) is not { } annotations
            || (!annotations.ReturnsErrno && !annotations.ReturnsBytesNotCopied))
        {
            return null;
        }

        if (statement is IfStatementSyntax ifStatement && IsFailureExit(model, ifStatement, e => e == call, cancellationToken))
        {
            return (statement, 1);
        }

        if (statement is LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } declaration
            && declaration.UsingKeyword.RawKind == 0 && !declaration.IsConst
            && variables[0].Initializer?.Value is { } initializer && SyntaxSupport.Unparenthesize(initializer) == call
            && model.GetDeclaredSymbol(variables[0], cancellationToken) is ILocalSymbol { RefKind: RefKind.None } result
            && declaration.Parent is BlockSyntax block
            && block.Statements.IndexOf(declaration) + 1 is var next && next < block.Statements.Count
            && block.Statements[next] is IfStatementSyntax check && StatementRemoval.CanRemove(check)
            && IsFailureExit(model, check, e => e is IdentifierNameSyntax && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(e, cancellationToken).Symbol, result), cancellationToken)
            && VariableReferences.In(model, member, result, cancellationToken).All(r => check.Span.Contains(r.Name.Span)))
        {
            return (statement, 2);
        }

        return null;
    }

    /// <summary><c>if (result != 0) leave;</c> or <c>if (result &lt; 0) leave;</c>, no <c>else</c>, a branch that always leaves.</summary>
    private static bool IsFailureExit(SemanticModel model, IfStatementSyntax ifStatement, System.Func<ExpressionSyntax, bool> isResult, CancellationToken cancellationToken)
    {
        if (ifStatement.Else is not null || !SyntaxSupport.AlwaysReturns(ifStatement.Statement)
            || SyntaxSupport.Unparenthesize(ifStatement.Condition) is not BinaryExpressionSyntax test)
        {
            return false;
        }

        var left = SyntaxSupport.Unparenthesize(test.Left);
        var right = SyntaxSupport.Unparenthesize(test.Right);
        return test.Kind() switch
        {
            SyntaxKind.NotEqualsExpression => (isResult(left) && IsZero(model, right, cancellationToken)) || (IsZero(model, left, cancellationToken) && isResult(right)),
            SyntaxKind.LessThanExpression => isResult(left) && IsZero(model, right, cancellationToken),
            _ => false,
        };
    }

    /// <summary>
    /// The identifier that names the first local (to spell its uses), when it is declared inside the
    /// function by the first read (<c>out uint first</c>) or by a local declaration; null for any
    /// other declaration (a pattern, a <c>foreach</c>, a <c>for</c> initializer).
    /// </summary>
    private static SyntaxToken? FirstDeclaration(ILocalSymbol first, SyntaxNode member, InvocationExpressionSyntax firstCall, CancellationToken cancellationToken)
    {
        if (first.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var declaration = first.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (!member.Span.Contains(declaration.Span))
        {
            return null;
        }

        return declaration switch
        {
            SingleVariableDesignationSyntax designation when designation.Ancestors().Contains(firstCall) => designation.Identifier.WithoutTrivia(),
            VariableDeclaratorSyntax { Parent.Parent: LocalDeclarationStatementSyntax } declarator => declarator.Identifier.WithoutTrivia(),
            _ => null,
        };
    }

    /// <summary>
    /// True when the second local's declaration can go: it is the read's own <c>out</c> declaration
    /// (<paramref name="declarator"/> null), or a declarator of a removable local declaration
    /// statement with no initializer or a constant one (a value no use can see, since every use
    /// follows the read).
    /// </summary>
    private static bool SecondDeclaration(SemanticModel model, ILocalSymbol second, SyntaxNode member, InvocationExpressionSyntax secondCall, CancellationToken cancellationToken, out VariableDeclaratorSyntax? declarator)
    {
        declarator = null;
        if (second.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var declaration = second.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (!member.Span.Contains(declaration.Span))
        {
            return false;
        }

        switch (declaration)
        {
            case SingleVariableDesignationSyntax designation when designation.Ancestors().Contains(secondCall):
                return true;
            case VariableDeclaratorSyntax { Parent.Parent: LocalDeclarationStatementSyntax statement } variable
                when statement.UsingKeyword.RawKind == 0 && !statement.IsConst && StatementRemoval.CanRemove(statement)
                    && (variable.Initializer is null || model.GetConstantValue(variable.Initializer.Value, cancellationToken).HasValue):
                declarator = variable;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A use whose name is also the name of something it makes: the member of <c>new { second }</c>,
    /// the element of <c>(second, x)</c>. Spelling it <c>first</c> would rename that member.
    /// </summary>
    private static bool NamesAMember(IdentifierNameSyntax name) => name.Parent switch
    {
        AnonymousObjectMemberDeclaratorSyntax { NameEquals: null } => true,
        ArgumentSyntax { NameColon: null, Parent: TupleExpressionSyntax } => true,
        _ => false,
    };

    private static bool IsOutArgumentOf(IdentifierNameSyntax name, InvocationExpressionSyntax call) =>
        name.Parent is ArgumentSyntax argument && argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword) && argument.Parent?.Parent == call;

    private static bool IsZero(SemanticModel model, ExpressionSyntax expression, CancellationToken cancellationToken)
    {
        var constant = model.GetConstantValue(expression, cancellationToken);
        return constant.HasValue && constant.Value is int i && i == 0;
    }
}
