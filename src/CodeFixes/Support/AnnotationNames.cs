using System.Linq;
using Microsoft.CodeAnalysis;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// The annotation attributes of UserAccess.Runtime, matched by full metadata name as the analyzers
/// do, so that the fixes follow the same contract and never list method names.
/// </summary>
internal static class AnnotationNames
{
    private const string Ns = "UserAccess.Runtime.Annotations.";

    internal const string MustCheck = Ns + "MustCheckAttribute";
    internal const string ReturnsErrno = Ns + "ReturnsErrnoAttribute";
    internal const string ReturnsBytesNotCopied = Ns + "ReturnsBytesNotCopiedAttribute";
    internal const string ReturnsBytesNotFaultedIn = Ns + "ReturnsBytesNotFaultedInAttribute";
    internal const string Acquires = Ns + "AcquiresAttribute";
    internal const string Releases = Ns + "ReleasesAttribute";
    internal const string RequiresLock = Ns + "RequiresLockAttribute";
    internal const string EntersRegion = Ns + "EntersRegionAttribute";
    internal const string ExitsRegion = Ns + "ExitsRegionAttribute";
    internal const string HasKillableVariant = Ns + "HasKillableVariantAttribute";
    internal const string FaultsIn = Ns + "FaultsInAttribute";
    internal const string ResolvesFaults = Ns + "ResolvesFaultsAttribute";

    internal const string ErrnoType = "UserAccess.Runtime.Errno";
    internal const string FaultFlagsType = "UserAccess.Runtime.FaultFlags";

    internal static bool Has(ISymbol? symbol, string fullName) => Get(symbol, fullName) is not null;

    internal static AttributeData? Get(ISymbol? symbol, string fullName)
    {
        if (symbol is null)
        {
            return null;
        }

        // Attributes live on the definition; a constructed generic method reports them too, but
        // going to the original definition makes that independent of the compiler version.
        var definition = symbol is IMethodSymbol m ? m.OriginalDefinition : symbol.OriginalDefinition;
        return definition.GetAttributes().FirstOrDefault(a => IsNamed(a.AttributeClass, fullName));
    }

    internal static bool IsNamed(INamedTypeSymbol? type, string fullName) =>
        type is not null && type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) == fullName;

    internal static string? NamedString(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                return pair.Value.Value as string;
            }
        }

        return null;
    }

    internal static object? NamedValue(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                return pair.Value.Value;
            }
        }

        return null;
    }
}
