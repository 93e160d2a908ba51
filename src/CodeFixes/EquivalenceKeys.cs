namespace UserAccess.CodeFixes;

/// <summary>Equivalence keys of the code fixes: one per fix, stable, so Fix All groups them.</summary>
internal static class EquivalenceKeys
{
}
