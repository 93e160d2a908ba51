using System.Collections.Immutable;
using System;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Tests.VerifierTests;

// These analyzers exist only to exercise the verifier inside this test assembly: the rules for shipped
// analyzers (netstandard2.0, no Workspaces reference, release tracking) do not apply to them.
#pragma warning disable RS1036, RS1038, RS1041, RS2008

/// <summary>
/// Test-only analyzer: reports every call to a method named <c>Forbidden</c> (or a name listed in the
/// editorconfig key <c>test.forbidden_methods</c>), on the invoked name. Small enough to reason about, so
/// the verifier's behaviour is what is tested.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ForbiddenCallAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "TEST0001";

    public static readonly DiagnosticDescriptor Rule = new(
        Id, "Forbidden call", "Call to '{0}' is forbidden", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(AnalyzeInvocation, SyntaxKind.InvocationExpression);
    }

    private static void AnalyzeInvocation(SyntaxNodeAnalysisContext context)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        var name = invocation.Expression switch
        {
            IdentifierNameSyntax identifier => identifier,
            MemberAccessExpressionSyntax member => member.Name,
            _ => null,
        };
        if (name is null)
        {
            return;
        }

        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Node.SyntaxTree);
        var extra = options.TryGetValue("test.forbidden_methods", out var list) ? list.Split(',') : Array.Empty<string>();
        var text = name.Identifier.ValueText;
        if (text == "Forbidden" || Array.IndexOf(extra, text) >= 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, name.GetLocation(), text));
        }
    }
}

/// <summary>Two descriptors, to show that <c>[|...|]</c> is then ambiguous and ids must be named.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TwoRuleAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor ClassRule = new(
        "TEST0002", "Class", "Class '{0}'", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MethodRule = new(
        "TEST0003", "Method", "Method '{0}'", "Test", DiagnosticSeverity.Info, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ClassRule, MethodRule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(
            c => c.ReportDiagnostic(Diagnostic.Create(ClassRule, c.Symbol.Locations[0], c.Symbol.Name)),
            SymbolKind.NamedType);
        context.RegisterSyntaxNodeAction(
            c => c.ReportDiagnostic(Diagnostic.Create(MethodRule, ((MethodDeclarationSyntax)c.Node).Identifier.GetLocation(), ((MethodDeclarationSyntax)c.Node).Identifier.ValueText)),
            SyntaxKind.MethodDeclaration);
    }
}

/// <summary>Forgets to skip generated code: the auto-generated pass must catch it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AnalyzesGeneratedCodeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ForbiddenCallAnalyzer.Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(
            c => c.ReportDiagnostic(Diagnostic.Create(ForbiddenCallAnalyzer.Rule, c.Node.GetLocation(), "x")),
            SyntaxKind.InvocationExpression);
    }
}

/// <summary>Throws on every class: the verifier must fail the test, not turn it into a quiet AD0001.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ThrowingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(ForbiddenCallAnalyzer.Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("boom"), SyntaxKind.ClassDeclaration);
    }
}

/// <summary>Reports a diagnostic marked NotConfigurable, which <c>#pragma</c> cannot suppress: the pragma pass must catch it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsuppressibleAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        "TEST0004", "Unsuppressible", "Class '{0}'", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true,
        customTags: WellKnownDiagnosticTags.NotConfigurable);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(c => c.ReportDiagnostic(Diagnostic.Create(Rule, c.Symbol.Locations[0], c.Symbol.Name)), SymbolKind.NamedType);
    }
}

/// <summary>Reports once per compilation with no location, as a project-level rule would.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NoLocationAnalyzer : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Rule = new(
        "TEST0005", "Project", "Project '{0}'", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true,
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(c => c.ReportDiagnostic(Diagnostic.Create(Rule, Location.None, c.Compilation.AssemblyName)));
    }
}
