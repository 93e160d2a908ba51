using System;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;

namespace UserAccess.Analyzers.Tests.Rules;

public class EngineDebugTests
{
    [Fact]
    public void Dump()
    {
        var path = Environment.GetEnvironmentVariable("UA_DEBUG_SOURCE");
        if (path is null)
        {
            return;
        }

        var tree = CSharpSyntaxTree.ParseText(System.IO.File.ReadAllText(path));
        var compilation = CSharpCompilation.Create("dbg", new[] { tree }, ReferenceAssemblies.Default, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var sb = new StringBuilder();
        foreach (var d in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)) sb.AppendLine(d.ToString());
        var engine = CompilationEngine.Get(compilation);
        sb.AppendLine("engine: " + (engine is null ? "null" : "ok"));
        var model = compilation.GetSemanticModel(tree);
        foreach (var m in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
        {
            var op = (IMethodBodyOperation)model.GetOperation(m)!;
            var graph = ControlFlowGraph.Create(op);
            var sym = model.GetDeclaredSymbol(m)!;
            sb.AppendLine("== " + sym.Name);
            foreach (var b in graph.Blocks)
            {
                sb.AppendLine($"  B{b.Ordinal} {b.Kind} cond={b.ConditionKind} ft->{b.FallThroughSuccessor?.Destination?.Ordinal}({b.FallThroughSuccessor?.Semantics}) c->{b.ConditionalSuccessor?.Destination?.Ordinal} region={b.EnclosingRegion.Kind}");
                foreach (var o in b.Operations) sb.AppendLine($"     {o.Kind}: {o.Syntax.ToString().Replace("\n", " ")}");
                if (b.BranchValue != null) sb.AppendLine($"     branch {b.BranchValue.Kind}: {b.BranchValue.Syntax}");
            }

            var a = FlowAnalysis.Run(engine!, new AnalysisRequest(EngineOptions.Empty, default), graph, sym);
            foreach (var c in a.Calls)
                sb.AppendLine($"  call {c.Effects.Name} sleep={c.Effects.Sleep}/{c.Effects.SleepReason} fault={c.Effects.MayFault} resolves={c.Effects.ResolvesFaults} nofault=[{c.Before.Nofault.Min},{c.Before.Nofault.Max}] atomic=[{c.Before.Atomic.Min},{c.Before.Atomic.Max}] locks={string.Join(",", c.Before.Locks.Select(l => l.Id.Display + (l.Definite ? "!" : "?") + (l.Id.TakenInFaultPath ? "F" : "")))} acq={string.Join(",", c.Effects.Acquires.Select(l => l.Id.Display))} enters={c.Effects.Enters.Length}");
            sb.AppendLine($"  exit: {(a.ExitState is null ? "null" : $"nofault=[{a.ExitState.Nofault.Min},{a.ExitState.Nofault.Max}] locks={a.ExitState.Locks.Length}")} errret={a.HasErrorReturn}");
        }

        System.IO.File.WriteAllText(path + ".out", sb.ToString());
    }
}
