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
/// UA5002: a bytes-not-copied result read as an errno or compared with the size. A copy fails when
/// ANY byte was not copied: the comparison becomes <c>!= 0</c> (failure tests: <c>&lt; 0</c>,
/// <c>&gt;= n</c>, <c>== -EFAULT</c>) or <c>== 0</c> (success tests: <c>&gt;= 0</c>, <c>&lt;= 0</c>,
/// <c>!= -EFAULT</c>), and <c>return Copy(...);</c> in an errno function becomes
/// <c>return Copy(...) != 0 ? -EFAULT : 0;</c>. The count may be stored in a local first (the
/// engine's comparison and return sites name its origin): <c>int ret = Copy(...); if (ret &lt; 0)
/// return ret;</c> becomes <c>if (ret != 0) return -EFAULT;</c>. A local that also holds errnos
/// (the function's <c>ret</c>) gets the kernel's fix instead: the copy is tested where it is made
/// and its failure branch stores <c>-EFAULT</c> (<see cref="CopyFailureTest"/>).
/// </summary>
/// <remarks>Declines with the <see cref="DeclineReason"/> the rule page lists.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA5002BytesNotCopiedMisreadCodeFix)), Shared]
public sealed class UA5002BytesNotCopiedMisreadCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BytesNotCopiedMisread);

    /// <inheritdoc/>
    protected override string Title => "A copy fails when any byte was not copied: compare with 0";

    internal override string EquivalenceKey => EquivalenceKeys.UA5002CompareWithZero;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic) = (context.Root, context.Model, context.Diagnostic);
        if (SyntaxSupport.NodeAt(root, diagnostic.Location) is not { } node)
        {
            return DeclineReason.CodeChanged;
        }

        if (context.Facts(node) is not { } facts)
        {
            return DeclineReason.NotAnalysed;
        }

        var span = diagnostic.Location.SourceSpan;
        foreach (var comparison in facts.Analysis.Comparisons)
        {
            if (comparison.Comparison.Syntax is BinaryExpressionSyntax binary && binary.Span == span
                && (comparison.Kinds & ValueKinds.BytesNotCopied) != 0
                && SyntaxSupport.Unparenthesize((ExpressionSyntax)comparison.Operand.Syntax) is var operand)
            {
                if (!HoldsOnlyCounts(facts, operand))
                {
                    // return (ret < 0) ? ret : count;  with  ret = CopyToUser(...);  before it: the store answers
                    // with the errno (ssif_bmc_read()'s fix: if (ret > 0) ret = -EFAULT;), which an errno test
                    // against zero or a negative constant then reads as it was meant to.
                    return CopyFailureTest.Plan(facts, root, operand, context.CancellationToken)
                        ?? (IsErrnoTest(comparison) ? ReturnedCountStores.Plan(facts, root, operand, context.CancellationToken) : null)
                        ?? DeclineReason.NotOnlyACount;
                }

                return Test(comparison) is { } failure ? FixComparison(root, model, binary, operand, failure, ReturnsInts(facts)) : DeclineReason.IntentUnclear;
            }
        }

        foreach (var returned in facts.Analysis.Returns)
        {
            if (facts.ReturnsErrno && returned.Value.Syntax is ExpressionSyntax value && value.Span == span
                && (returned.Kinds & ValueKinds.BytesNotCopied) != 0
                && SyntaxSupport.Unparenthesize(value) is var count)
            {
                if (CountArmOfACheck(facts, count) is { } arm)
                {
                    // return rc != 0 ? rc : len;  →  return rc != 0 ? -EFAULT : len;   (scom_read()'s fix)
                    var fault = SyntaxSupport.NegativeErrno(model, arm.SpanStart, "EFAULT");
                    return FixPlan.Rewrite(() => root.ReplaceNode(arm, fault.WithTriviaFrom(arm).WithAdditionalAnnotations(Formatter.Annotation)));
                }

                // if (ret != 0) return ret; right after the store: the branch answers -EFAULT (vhost_set_memory()).
                if (CopyFailureTest.Plan(facts, root, count, context.CancellationToken) is { } failureTest)
                {
                    return failureTest;
                }

                if (!HoldsOnlyCounts(facts, count))
                {
                    return ReturnedCountStores.Plan(facts, root, count, context.CancellationToken)
                        ?? DeclineReason.NotOnlyACount;
                }

                // return Copy(...);  →  return Copy(...) != 0 ? -EFAULT : 0;   (and the same for a local holding it)
                var conditional = ConditionalExpression(
                    BinaryExpression(SyntaxKind.NotEqualsExpression, count.WithoutTrivia(), Zero()),
                    SyntaxSupport.NegativeErrno(model, value.SpanStart, "EFAULT"),
                    Zero());
                return FixPlan.Rewrite(() => root.ReplaceNode(value, conditional.WithTriviaFrom(value).WithAdditionalAnnotations(Formatter.Annotation)));
            }
        }

        return DeclineReason.CodeChanged;
    }

    /// <summary>
    /// <c>Copy(...) != 0</c> for a failure test, <c>== 0</c> for a success test. A failure test is
    /// rewritten only when it is the whole condition of an <c>if</c> whose branch returns: a negative
    /// errno (kept), or the count itself (<c>ret = Copy(...); if (ret &lt; 0) return ret;</c>, which
    /// becomes <c>return -EFAULT</c>): then "any byte not copied" sends the partial copy to an error
    /// path that was written for errors. A branch that returns a count of its own or goes on working
    /// was written for "nothing copied", and widening it could be wrong.
    /// </summary>
    private static FixPlan FixComparison(SyntaxNode root, SemanticModel model, BinaryExpressionSyntax binary, ExpressionSyntax operand, bool failure, bool returnsErrno)
    {
        var newComparison = BinaryExpression(
            failure ? SyntaxKind.NotEqualsExpression : SyntaxKind.EqualsExpression,
            operand.WithoutTrivia(),
            Zero()).WithTriviaFrom(binary).WithAdditionalAnnotations(Formatter.Annotation);
        if (!failure)
        {
            return FixPlan.Rewrite(() => root.ReplaceNode(binary, newComparison));
        }

        // return ret < 0 ? ret : len;  →  return ret != 0 ? -EFAULT : len;   (strncpy_from_unsafe()'s fix in v4.4)
        ExpressionSyntax test = binary;
        while (test.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            test = parenthesized;
        }

        if (test.Parent is ConditionalExpressionSyntax conditional && conditional.Condition == test
            && conditional.Parent is ReturnStatementSyntax && returnsErrno)
        {
            if (SyntaxSupport.Unparenthesize(conditional.WhenTrue) is PrefixUnaryExpressionSyntax negative && negative.IsKind(SyntaxKind.UnaryMinusExpression))
            {
                return FixPlan.Rewrite(() => root.ReplaceNode(binary, newComparison));
            }

            if (SyntaxSupport.Unparenthesize(conditional.WhenTrue) is IdentifierNameSyntax arm
                && operand is IdentifierNameSyntax tested && arm.Identifier.ValueText == tested.Identifier.ValueText)
            {
                var fault = SyntaxSupport.NegativeErrno(model, conditional.SpanStart, "EFAULT").WithTriviaFrom(conditional.WhenTrue);
                return FixPlan.Rewrite(() => root.ReplaceNodes(
                    new SyntaxNode[] { binary, conditional.WhenTrue },
                    (original, _) => original == binary ? newComparison : fault));
            }

            return DeclineReason.BranchNotAnErrorPath;
        }

        if (binary.Parent is not IfStatementSyntax ifStatement || ifStatement.Condition != binary || !SyntaxSupport.AlwaysReturns(ifStatement.Statement))
        {
            return DeclineReason.BranchNotAnErrorPath;
        }

        var last = ifStatement.Statement is BlockSyntax block ? block.Statements.Last() : ifStatement.Statement;
        if (last is ReturnStatementSyntax { Expression: PrefixUnaryExpressionSyntax unary } && unary.IsKind(SyntaxKind.UnaryMinusExpression))
        {
            return FixPlan.Rewrite(() => root.ReplaceNode(binary, newComparison));
        }

        if (last is ReturnStatementSyntax { Expression: IdentifierNameSyntax returned } returnStatement
            && operand is IdentifierNameSyntax local && returned.Identifier.ValueText == local.Identifier.ValueText
            && returnsErrno)
        {
            var errno = SyntaxSupport.NegativeErrno(model, returnStatement.SpanStart, "EFAULT").WithTriviaFrom(returned);
            return FixPlan.Rewrite(() => root.ReplaceNodes(
                new SyntaxNode[] { binary, returned },
                (original, _) => original == binary ? newComparison : errno));
        }

        return DeclineReason.BranchNotAnErrorPath;
    }

    /// <summary>
    /// True for a failure test (<c>&lt; 0</c>, <c>&lt;= -1</c>, <c>== -EFAULT</c>, <c>&gt;= n</c> or
    /// <c>== n</c> for "all of it failed"), false for a success test (<c>&gt;= 0</c>, <c>&lt;= 0</c>,
    /// <c>!= -EFAULT</c>); null when the intent is not clear: <c>&lt; n</c> and <c>&gt; 0</c>-like reads of
    /// a count against the size are how partial-copy code (a <c>read()</c> that returns what it copied)
    /// asks "was anything copied", which is not a failure.
    /// </summary>
    private static bool? Test(ValueComparison comparison)
    {
        var kind = comparison.NormalizedOperator;
        if (comparison.Other.ConstantValue is { HasValue: true } constant && FlowAnalysis.ToLong(constant.Value) is long c && c <= 0)
        {
            return (kind, c) switch
            {
                (BinaryOperatorKind.LessThan, _) => true,                   // < 0: "negative errno"
                (BinaryOperatorKind.LessThanOrEqual, < 0) => true,
                (BinaryOperatorKind.Equals, < 0) => true,                   // == -EFAULT
                (BinaryOperatorKind.GreaterThanOrEqual, _) => false,        // >= 0: "no errno"
                (BinaryOperatorKind.LessThanOrEqual, 0) => false,           // <= 0: a count is never negative, so "nothing left"
                (BinaryOperatorKind.GreaterThan, < 0) => false,
                (BinaryOperatorKind.NotEquals, < 0) => false,               // != -EFAULT
                _ => null,                                                  // == 0, != 0, > 0: already right
            };
        }

        // Compared with the size (or a positive number): only "all of it failed" reads are clear.
        return kind is BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals ? true : null;
    }

    /// <summary>A test of the value against zero or a negative errno that reads an errno stored in place of the count as it was written to (<see cref="StoreReads.FindsErrnoAsWritten"/>).</summary>
    private static bool IsErrnoTest(ValueComparison comparison) =>
        comparison.Other.ConstantValue is { HasValue: true } constant && FlowAnalysis.ToLong(constant.Value) is long c
        && StoreReads.FindsErrnoAsWritten(comparison.NormalizedOperator, c);

    /// <summary>
    /// In <c>return rc != 0 ? rc : len;</c> right after <c>rc = Copy(...);</c>, the arm that returns the
    /// count when some bytes were not copied: there <c>rc</c> holds nothing but the copy's count,
    /// whatever it held before (an errno on another path), so that arm is the failure to report as
    /// <c>-EFAULT</c>. Null for any other shape.
    /// </summary>
    private static ExpressionSyntax? CountArmOfACheck(EngineFacts facts, ExpressionSyntax returned)
    {
        var model = facts.Model;
        if (returned is not ConditionalExpressionSyntax conditional
            || SyntaxSupport.Unparenthesize(conditional.Condition) is not BinaryExpressionSyntax test
            || conditional.Parent is not ReturnStatementSyntax { Parent: BlockSyntax block } returnStatement
            || block.Statements.IndexOf(returnStatement) < 1
            || SyntaxSupport.StoreToLocal(model, block.Statements[block.Statements.IndexOf(returnStatement) - 1], default) is not var (stored, local)
            || model.GetOperation(SyntaxSupport.Unparenthesize(stored)) is not IInvocationOperation call
            || !facts.AnnotationsOf(call.TargetMethod).ReturnsBytesNotCopied)
        {
            return null;
        }

        bool IsLocal(ExpressionSyntax e) => SyntaxSupport.Unparenthesize(e) is IdentifierNameSyntax name
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, local);
        bool IsZero(ExpressionSyntax e) => model.GetConstantValue(e) is { HasValue: true, Value: int v } && v == 0;
        bool testsLocal = (IsLocal(test.Left) && IsZero(test.Right)) || (IsZero(test.Left) && IsLocal(test.Right));
        return testsLocal switch
        {
            true when test.IsKind(SyntaxKind.NotEqualsExpression) && IsLocal(conditional.WhenTrue) => conditional.WhenTrue,
            true when test.IsKind(SyntaxKind.EqualsExpression) && IsLocal(conditional.WhenFalse) => conditional.WhenFalse,
            _ => null,
        };
    }

    /// <summary>
    /// The count is the call itself, or a local every write of which in the function stores a
    /// bytes-not-copied result (<c>int ret = CopyFromUser(...);</c>): the engine's origin says the
    /// value may be a count on some path, this says it is one on every path, so that a rewrite for
    /// a count cannot turn an errno stored on another path into -EFAULT.
    /// </summary>
    private static bool HoldsOnlyCounts(EngineFacts facts, ExpressionSyntax operand)
    {
        var model = facts.Model;
        switch (model.GetOperation(operand))
        {
            case IInvocationOperation call:
                return facts.AnnotationsOf(call.TargetMethod).ReturnsBytesNotCopied;
            case ILocalReferenceOperation { Local: var local }:
                int writes = 0;
                foreach (var reference in facts.Declaration.DescendantNodes())
                {
                    ExpressionSyntax? stored = reference switch
                    {
                        VariableDeclaratorSyntax declarator when declarator.Identifier.ValueText == local.Name
                            && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator), local) => declarator.Initializer?.Value,
                        AssignmentExpressionSyntax assignment when assignment.Left is IdentifierNameSyntax target && target.Identifier.ValueText == local.Name
                            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target).Symbol, local) => assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) ? assignment.Right : operand,
                        ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax target } when target.Identifier.ValueText == local.Name
                            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target).Symbol, local) => operand,
                        PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax when reference.ChildNodes().FirstOrDefault() is IdentifierNameSyntax target
                            && target.Identifier.ValueText == local.Name && (reference.IsKind(SyntaxKind.PreIncrementExpression) || reference.IsKind(SyntaxKind.PreDecrementExpression)
                            || reference.IsKind(SyntaxKind.PostIncrementExpression) || reference.IsKind(SyntaxKind.PostDecrementExpression)) => operand,
                        _ => null,
                    };
                    if (reference is VariableDeclaratorSyntax { Initializer: null } || stored is null)
                    {
                        continue;
                    }

                    writes++;
                    if (stored == operand || model.GetOperation(SyntaxSupport.Unparenthesize(stored)) is not IInvocationOperation call
                        || !facts.AnnotationsOf(call.TargetMethod).ReturnsBytesNotCopied)
                    {
                        return false;
                    }
                }

                return writes > 0;
            default:
                return false;
        }
    }

    /// <summary>
    /// The method may return -EFAULT in place of the count: it returns errnos (the engine's answer), or
    /// it is an <c>int</c> or <c>long</c> method not annotated as returning a count, whose failure test
    /// returning the count (<c>if (ret &lt; 0) return ret;</c>, <c>return ret &lt; 0 ? ret : len;</c>) shows it
    /// was written to return errnos.
    /// </summary>
    private static bool ReturnsInts(EngineFacts facts) =>
        facts.ReturnsErrno || (facts.Method.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 && !facts.Analysis.Annotations.ReturnsBytesNotCopied);

    private static LiteralExpressionSyntax Zero() => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0));
}
