using Microsoft.CodeAnalysis;

namespace UserAccess.CodeFixes.Support;

/// <summary>The outcome of fixing one diagnostic: the fixed and formatted document, or why the fix declines.</summary>
internal readonly struct FixResult
{
    private FixResult(Document? document, DeclineReason? reason)
    {
        Document = document;
        Reason = reason;
    }

    /// <summary>The fixed document; <c>null</c> when the fix declines.</summary>
    internal Document? Document { get; }

    /// <summary>Why the fix declines; <c>null</c> when it produced <see cref="Document"/>.</summary>
    internal DeclineReason? Reason { get; }

    internal static FixResult Fixed(Document document) => new(document, null);

    internal static FixResult Declined(DeclineReason reason) => new(null, reason);
}
