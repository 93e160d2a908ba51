using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Floor;

/// <summary>
/// The floor under the rules' analyzer: what any analyzer registered as <c>UserAccessRulesAnalyzer</c>
/// is (concurrent, not run on generated code, <see cref="GeneratedCodeAnalysisFlags.ReportDiagnostics"/>,
/// one operation-block action per method once the compilation references the runtime's annotations)
/// costs the compiler before it does anything, and, with <see cref="BuildsGraph"/>, what building each
/// method's control-flow graph adds on top, the way the engine builds it. It reports nothing.
/// </summary>
public abstract class FloorAnalyzer : DiagnosticAnalyzer
{
    // The driver runs no analyzer whose every descriptor is off, so the floor has one, never reported.
    private static readonly DiagnosticDescriptor Never = new(
        "UAFLOOR", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <summary>The value of the build property <c>UserAccessFloor</c> that selects this floor in a build.</summary>
    protected abstract string Name { get; }

    /// <summary>Whether the method's control-flow graph is built in the callback.</summary>
    protected abstract bool BuildsGraph { get; }

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            // One assembly holds both floors: a build names the one it measures (CompilerVisibleProperty);
            // a host that passes the analyzer itself runs it.
            if (start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.UserAccessFloor", out var selected)
                && selected != Name)
            {
                return;
            }

            // As the engine: nothing is registered for a compilation without the annotations.
            if (start.Compilation.GetTypeByMetadataName("UserAccess.Runtime.Annotations.MightSleepAttribute") is null)
            {
                return;
            }

            bool graph = BuildsGraph;
            start.RegisterOperationBlockAction(block =>
            {
                if (graph)
                {
                    Graph(block);
                }
            });
        });
    }

    private static void Graph(OperationBlockAnalysisContext context)
    {
        foreach (var candidate in context.OperationBlocks)
        {
            if (candidate.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block)
            {
                var root = candidate;
                while (root.Parent is { } parent)
                {
                    root = parent;
                }

                _ = root switch
                {
                    IMethodBodyOperation body => ControlFlowGraph.Create(body, context.CancellationToken),
                    IConstructorBodyOperation body => ControlFlowGraph.Create(body, context.CancellationToken),
                    IBlockOperation { Parent: null } body => ControlFlowGraph.Create(body, context.CancellationToken),
                    _ => null,
                };
                return;
            }
        }
    }
}
