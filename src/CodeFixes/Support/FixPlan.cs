using System;
using Microsoft.CodeAnalysis;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// What a fix decides when its code action is registered: it declines with a reason, or it will
/// rewrite the code. The decision reads the engine's facts and the syntax shape; the rewrite itself
/// (syntax generation, then simplification and formatting) runs only when the action is invoked.
/// </summary>
internal sealed class FixPlan
{
    private readonly Func<SyntaxNode>? rewrite;

    private FixPlan(DeclineReason? reason, Func<SyntaxNode>? rewrite)
    {
        Reason = reason;
        this.rewrite = rewrite;
    }

    /// <summary>Why the fix declines; <c>null</c> when it applies.</summary>
    internal DeclineReason? Reason { get; }

    /// <summary>The fix applies: <paramref name="rewrite"/> computes the new root, new nodes carrying <c>Formatter.Annotation</c>.</summary>
    internal static FixPlan Rewrite(Func<SyntaxNode> rewrite) => new(null, rewrite);

    internal static FixPlan Decline(DeclineReason reason) => new(reason, null);

    public static implicit operator FixPlan(DeclineReason reason) => Decline(reason);

    /// <summary>The new root; only for a plan that applies.</summary>
    internal SyntaxNode Apply() => rewrite!();
}
