using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.CodeFixes.Support;
using Xunit;
using static UserAccess.Analyzers.Tests.Verifiers.FixHarness;

namespace UserAccess.Analyzers.Tests.Fixes;

/// <summary>What the fixes ask of the engine: the same answers the rules get, on the code as it is now.</summary>
public class EngineFactsTests
{
    private static (SemanticModel Model, SyntaxNode Root) Compile(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(Usings + source, SimulatorCompilation.ParseOptions, "/0/Test0.cs");
        var compilation = CSharpCompilation.Create("Facts", new[] { tree }, SimulatorCompilation.References, SimulatorCompilation.Options);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (compilation.GetSemanticModel(tree), tree.GetRoot());
    }

    private static InvocationExpressionSyntax Call(SyntaxNode root, string name) =>
        root.DescendantNodes().OfType<InvocationExpressionSyntax>().Single(i => i.Expression.ToString() == name);

    /// <summary>A lock taken through an alias of <c>task.Mm</c> is one lock, with the acquire that took it.</summary>
    [Fact]
    public void LockThroughAnAliasIsOneLockWithItsAcquire()
    {
        var (model, root) = Compile(
            """
            namespace Sim;

            public static class Aliased
            {
                public static int Read(TaskStruct task, UserPtr<uint> uaddr, out uint val)
                {
                    var m = task.Mm;
                    MmapReadLock(m);
                    int ret = GetUser(out val, uaddr);
                    MmapReadUnlock(task.Mm);
                    return ret;
                }
            }
            """);
        var access = Call(root, "GetUser");
        var facts = EngineFacts.For(model, access, null, CancellationToken.None);
        Assert.NotNull(facts);
        var held = Assert.Single(facts!.LocksBefore(access));
        Assert.True(held.Id.TakenInFaultPath);
        Assert.True(held.Shared);
        Assert.False(held.Conditional);
        Assert.Equal("MmapReadLock(m)", held.AcquireSyntax!.ToString());
        Assert.Equal("MmapReadUnlock", facts.ReleaseFor(held.Acquire!.Effects.Method, held.Shared)!.Name);
        Assert.Empty(facts.LocksBefore(Call(root, "MmapReadLock")));
        Assert.True(facts.ReturnsErrno);
    }

    /// <summary>The fault-in of an access is the engine's choice, the one the diagnostics name; the killable acquire holds the lock only on 0.</summary>
    [Fact]
    public void FaultInAndConditionalAcquire()
    {
        var (model, root) = Compile(
            """
            namespace Sim;

            public static class Killable
            {
                public static int Write(Mm mm, UserPtr<uint> uaddr)
                {
                    if (MmapReadLockKillable(mm) != 0)
                        return -EINTR;
                    PagefaultDisable();
                    int ret = PutUser(1u, uaddr);
                    PagefaultEnable();
                    MmapReadUnlock(mm);
                    return ret;
                }
            }
            """);
        var access = Call(root, "PutUser");
        var facts = EngineFacts.For(model, access, null, CancellationToken.None)!;
        var state = facts.StateBefore(access)!;
        Assert.True(state.Nofault.Definitely);
        var held = Assert.Single(facts.LocksBefore(access));
        Assert.True(held.Conditional);
        var method = (IMethodSymbol)model.GetSymbolInfo(access).Symbol!;
        Assert.Equal("FaultInWriteable", facts.FaultInFor(method)!.Name);
    }
}
