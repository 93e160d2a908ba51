using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Floor;

/// <summary>The registration alone: an operation-block callback per method that returns at once.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyFloorAnalyzer : FloorAnalyzer
{
    /// <inheritdoc/>
    protected override string Name => "empty";

    /// <inheritdoc/>
    protected override bool BuildsGraph => false;
}
