using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;
using Xunit;

namespace UserAccess.Analyzers.Tests.Infrastructure;

/// <summary>The engine's pass run on one method of a simulator source, as a rule or a fix runs it, for tests that ask the result directly.</summary>
internal static class EngineRun
{
    /// <summary>The analysis of <paramref name="methodName"/> and its operation tree (a fix's view of the method).</summary>
    public static (MethodAnalysis Analysis, IOperation Root) Analyze(string source, string methodName)
    {
        var compilation = SimulatorCompilation.Create("Flow", new[] { SimulatorCompilation.Parse(source.Replace("{|#0:", string.Empty).Replace("|}", string.Empty)) });
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var declaration = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == methodName);
        var body = (IMethodBodyOperation)model.GetOperation(declaration)!;
        var engine = CompilationEngine.Get(compilation)!;
        var method = model.GetDeclaredSymbol(declaration)!;
        var graph = ControlFlowGraph.Create(body);
        return (FlowAnalysis.Run(engine, new AnalysisRequest(EngineOptions.Empty, CancellationToken.None), graph, method), body);
    }
}
