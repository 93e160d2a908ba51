using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Tests.Verifiers;

/// <summary>An <see cref="AnalyzerTest"/> of one analyzer type.</summary>
public class CSharpAnalyzerTest<TAnalyzer> : AnalyzerTest
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => new[] { new TAnalyzer() };
}

/// <summary>
/// Entry point of analyzer tests, shaped like Microsoft.CodeAnalysis.Testing's:
/// <code>
/// using VerifyCS = CSharpAnalyzerVerifier&lt;SleepInAtomicAnalyzer&gt;;
/// await VerifyCS.VerifyAnalyzerAsync(source, VerifyCS.Diagnostic().WithSpan(5, 9, 5, 20).WithArguments("MmapReadLock"));
/// </code>
/// </summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>The analyzer's only descriptor (an error if it has several: use <see cref="Diagnostic(string)"/>).</summary>
    public static DiagnosticResult Diagnostic() => DiagnosticFactory.Single(new TAnalyzer());

    public static DiagnosticResult Diagnostic(string diagnosticId) => DiagnosticFactory.ById(new TAnalyzer(), diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public class Test : CSharpAnalyzerTest<TAnalyzer>
    {
    }
}

internal static class DiagnosticFactory
{
    public static DiagnosticResult Single(DiagnosticAnalyzer analyzer)
    {
        var descriptors = analyzer.SupportedDiagnostics;
        if (descriptors.Length != 1)
        {
            throw new InvalidOperationException(
                $"{analyzer.GetType().Name} supports {descriptors.Length} diagnostics ({string.Join(", ", descriptors.Select(d => d.Id))}): use Diagnostic(\"ID\").");
        }

        return new DiagnosticResult(descriptors[0]);
    }

    public static DiagnosticResult ById(DiagnosticAnalyzer analyzer, string diagnosticId)
    {
        var descriptor = analyzer.SupportedDiagnostics.FirstOrDefault(d => d.Id == diagnosticId)
            ?? throw new InvalidOperationException($"{analyzer.GetType().Name} does not support {diagnosticId}.");
        return new DiagnosticResult(descriptor);
    }
}
