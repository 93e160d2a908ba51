using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Tests.Infrastructure;

/// <summary>
/// How simulator code is compiled in every test, the verifier's and the whole-compilation ones alike:
/// C# latest with nullable on and unsafe allowed, against the .NET 8 reference assemblies (the floor
/// the runtime targets) and UserAccess.Runtime.
/// </summary>
internal static class SimulatorCompilation
{
    /// <summary>The reference assemblies the verifier resolves; .NET 8 is the runtime's own target.</summary>
    public static ReferenceAssemblies ReferenceAssemblies { get; } = ReferenceAssemblies.Net.Net80;

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilationOptions Options { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        allowUnsafe: true,
        nullableContextOptions: NullableContextOptions.Enable);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(
        () => ReferenceAssemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None).GetAwaiter().GetResult()
            .Add(MetadataReference.CreateFromFile(typeof(UserAccess.Runtime.Kernel).Assembly.Location)));

    /// <summary>The framework's reference assemblies plus UserAccess.Runtime.dll, resolved once per test run.</summary>
    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpCompilation Create(string assemblyName, IEnumerable<SyntaxTree> trees, CSharpCompilationOptions? options = null)
        => CSharpCompilation.Create(assemblyName, trees, References, options ?? Options);

    public static SyntaxTree Parse(string text, string path = "")
        => CSharpSyntaxTree.ParseText(text, ParseOptions, path);
}
