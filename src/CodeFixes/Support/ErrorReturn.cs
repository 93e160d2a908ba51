using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace UserAccess.CodeFixes.Support;

/// <summary>Whether a fix may add an early <c>return -E...;</c> to a function, for the fixes that insert a check before an operation.</summary>
internal static class ErrorReturn
{
    /// <summary>
    /// Why a new error return cannot go into the function: it does not return errnos (an <c>int</c>
    /// that is not a count, or a <c>long</c> the engine sees return one, as a syscall's), or its
    /// first error return would make a non-killable wait in it a UA2001 (fix the wait first). Null
    /// when it can.
    /// </summary>
    internal static DeclineReason? Declined(FixContext context, SyntaxNode member, BlockSyntax body) =>
        Convention(context, member, body)
        ?? (CallSupport.FirstErrorReturnWouldFlagAWait(context, body) ? DeclineReason.WaitWouldBecomeFailable : null);

    /// <summary>
    /// Why the function has no errno to return: it returns neither an <c>int</c> errno nor a
    /// <c>long</c> that the engine sees return one (a syscall's <c>-EINVAL</c>; a byte count is not).
    /// Null when a <c>return -E...;</c> fits it.
    /// </summary>
    internal static DeclineReason? Convention(FixContext context, SyntaxNode member, BlockSyntax body)
    {
        var model = context.Model;
        if (SyntaxSupport.ReturnsErrno(model, member))
        {
            return null;
        }

        if (model.GetDeclaredSymbol(member, context.CancellationToken) is not IMethodSymbol { ReturnType.SpecialType: SpecialType.System_Int64, IsAsync: false })
        {
            return DeclineReason.NoErrnoReturn;
        }

        return context.Facts(body) is not { ReturnsErrno: true } facts || facts.Analysis.Annotations.ReturnsBytesNotCopied
            ? DeclineReason.ReturnsLong
            : null;
    }
}
