using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Floor;

/// <summary>The registration and each method's control-flow graph, built and dropped.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GraphFloorAnalyzer : FloorAnalyzer
{
    /// <inheritdoc/>
    protected override string Name => "graph";

    /// <inheritdoc/>
    protected override bool BuildsGraph => true;
}
