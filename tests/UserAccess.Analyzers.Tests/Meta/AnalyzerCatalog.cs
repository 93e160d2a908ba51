using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// The analyzers and code fixes an assembly ships, found the way the compiler and the IDE find them: concrete
/// types deriving from <see cref="DiagnosticAnalyzer"/> with <c>[DiagnosticAnalyzer]</c> for C#, and from
/// <see cref="CodeFixProvider"/> with <c>[ExportCodeFixProvider]</c>. No list to keep up to date by hand.
/// </summary>
internal static class AnalyzerCatalog
{
    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> s_analyzers = new(() => AnalyzersIn(Assembly.Load("UserAccess.Analyzers")));

    private static readonly Lazy<ImmutableArray<CodeFixProvider>> s_codeFixes = new(() => CodeFixesIn(Assembly.Load("UserAccess.CodeFixes")));

    /// <summary>Every analyzer of UserAccess.Analyzers.dll.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers => s_analyzers.Value;

    /// <summary>Every code fix provider of UserAccess.CodeFixes.dll.</summary>
    public static ImmutableArray<CodeFixProvider> CodeFixes => s_codeFixes.Value;

    /// <summary>Every descriptor, with the analyzer that declares it.</summary>
    public static ImmutableArray<(DiagnosticAnalyzer Analyzer, DiagnosticDescriptor Descriptor)> Descriptors
        => Analyzers.SelectMany(a => a.SupportedDiagnostics.Select(d => (a, d))).ToImmutableArray();

    public static ImmutableArray<DiagnosticAnalyzer> AnalyzersIn(Assembly assembly)
        => assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Where(t => t.GetCustomAttributes<DiagnosticAnalyzerAttribute>(inherit: false).Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> CodeFixesIn(Assembly assembly)
        => assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .Where(t => t.GetCustomAttributes<ExportCodeFixProviderAttribute>(inherit: false).Any())
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}
