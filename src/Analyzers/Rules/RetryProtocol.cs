using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// What the retry-protocol rules (UA4001-UA4004) call an access, a fault-in and an advancing loop,
/// read from the engine's recorded calls (their annotations and summaries) and its loop facts.
/// </summary>
internal static class RetryProtocol
{
    /// <summary>The access of a retry loop: <c>[NofaultAccess]</c>, a <c>[UserAccess]</c> call with page faults
    /// disabled on every path, or a helper of the user's that wraps a nofault access and returns its result
    /// (futex's <c>futex_atomic_op_inuser()</c>).</summary>
    public static bool IsNofaultAccess(CallSite call) =>
        call.Effects.Annotations.NofaultAccess
        || (call.Effects.Annotations.UserAccessKind is not null && call.Before.Nofault.Definitely)
        || call.Effects.NofaultAccessReason is not null;

    /// <summary>The access returns an errno (0 or -EFAULT): annotated so, or a wrapper that returns an integer.</summary>
    public static bool ReturnsErrno(CallSite call) =>
        call.Effects.Annotations.ReturnsErrno || call.Effects.NofaultAccessReason is not null;

    /// <summary>
    /// The variable the loop advances through user memory: one its accesses or fault-ins address with (and that
    /// <paramref name="accept"/> takes for that access, when given); <c>null</c> for a retry-only loop.
    /// </summary>
    public static ISymbol? AdvancedPointer(MethodAnalysis analysis, LoopInfo loop, out CallSite? walker, System.Func<CallSite, ISymbol, bool>? accept = null)
    {
        walker = null;
        var facts = analysis.Loops;
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Annotations.UserAccessKind is null && !call.Effects.IsFaultIn)
            {
                continue;
            }

            if (facts.PositionOf(call.Operation) is not { } position || !loop.Contains(position.Block))
            {
                continue;
            }

            foreach (var symbol in call.PointerSymbols)
            {
                if (loop.Advanced.Contains(symbol) && (accept is null || accept(call, symbol)))
                {
                    walker = call;
                    return symbol;
                }
            }
        }

        return null;
    }

    /// <summary>The innermost <c>while</c>/<c>do</c>/<c>for</c>/<c>foreach</c> around <paramref name="inner"/> that also
    /// contains <paramref name="header"/>; <c>null</c> for a cycle made with <c>goto</c>.</summary>
    public static StatementSyntax? LoopStatement(SyntaxNode inner, SyntaxNode? header)
    {
        for (var node = inner.Parent; node is not null; node = node.Parent)
        {
            if (node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax
                && (header is null || node.Span.Contains(header.Span)))
            {
                return (StatementSyntax)node;
            }

            if (node is MemberDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The keyword of a loop statement: where a loop diagnostic goes.</summary>
    public static Location KeywordLocation(StatementSyntax loop) => loop switch
    {
        WhileStatementSyntax w => w.WhileKeyword.GetLocation(),
        DoStatementSyntax d => d.DoKeyword.GetLocation(),
        ForStatementSyntax f => f.ForKeyword.GetLocation(),
        CommonForEachStatementSyntax e => e.ForEachKeyword.GetLocation(),
        _ => loop.GetLocation(),
    };

    public static StatementSyntax? Body(StatementSyntax loop) => loop switch
    {
        WhileStatementSyntax w => w.Statement,
        DoStatementSyntax d => d.Statement,
        ForStatementSyntax f => f.Statement,
        CommonForEachStatementSyntax e => e.Statement,
        _ => null,
    };

    /// <summary>A syntax node of the block (its first operation or its branch value), to place it in the source.</summary>
    public static SyntaxNode? SyntaxOf(Microsoft.CodeAnalysis.FlowAnalysis.BasicBlock block)
    {
        foreach (var operation in block.Operations)
        {
            if (!operation.IsImplicit || operation.Syntax is not null)
            {
                return operation.Syntax;
            }
        }

        return block.BranchValue?.Syntax;
    }

    /// <summary>The call site of an invocation in the method's recorded calls.</summary>
    public static CallSite? CallOf(MethodAnalysis analysis, IOperation operation) => analysis.CallAt(operation);
}
