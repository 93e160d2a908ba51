using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Engine;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;

namespace UserAccess.Analyzers.Tests.Engine;

/// <summary>The engine's contract with compilations that do or do not use the runtime.</summary>
public class EngineTests
{
    private static CSharpCompilation Compile(string source, bool withRuntime)
    {
        var references = SimulatorCompilation.References.Where(r => withRuntime || !(r.Display ?? string.Empty).Contains("UserAccess.Runtime"));
        return CSharpCompilation.Create("E", new[] { CSharpSyntaxTree.ParseText(source) }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    [Fact]
    public void NoEngineWithoutTheAnnotations()
    {
        var compilation = Compile("class C { void M() { } }", withRuntime: false);
        Assert.Null(compilation.GetTypeByMetadataName("UserAccess.Runtime.Annotations.MightSleepAttribute"));
        Assert.Null(CompilationEngine.Get(compilation));
    }

    [Fact]
    public void OneEnginePerCompilationWithTheAnnotations()
    {
        var compilation = Compile("class C { void M() { } }", withRuntime: true);
        var engine = CompilationEngine.Get(compilation);
        Assert.NotNull(engine);
        Assert.Same(engine, CompilationEngine.Get(compilation));
        Assert.NotSame(engine, CompilationEngine.Get(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class D { }"))));
    }

    [Fact]
    public void AnnotationsAreReadByAttributeNotByName()
    {
        var compilation = Compile("using UserAccess.Runtime.Annotations; class C { [MightSleep(FlagsParameter = \"f\", SleepFlags = 4)] static void Wait(int f) { } static void Msleep(int ms) { } }", withRuntime: true);
        var engine = CompilationEngine.Get(compilation)!;
        var type = compilation.GetTypeByMetadataName("C")!;
        var wait = engine.GetAnnotations((IMethodSymbol)type.GetMembers("Wait").Single());
        Assert.True(wait.MightSleep);
        Assert.Equal("f", wait.SleepFlagsParameter);
        Assert.Equal(4, wait.SleepFlags);
        Assert.False(engine.GetAnnotations((IMethodSymbol)type.GetMembers("Msleep").Single()).HasAny);
    }
}
