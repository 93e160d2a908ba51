using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// The base of every rule: one rule's descriptor and its check of a method's shared analysis. The
/// compiler runs the rules through <see cref="UserAccessRulesAnalyzer"/>, one analyzer for all of
/// them; a rule class is also an analyzer of its own, which runs that rule alone (its tests, the
/// per-rule timing of the benchmark).
/// </summary>
public abstract class RuleAnalyzer : DiagnosticAnalyzer
{
    internal const string HelpLinkBase = "https://github.com/useraccess-analyzers/UserAccess.Analyzers/blob/main/docs/rules/";

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Not run on generated code (no Analyze flag); ReportDiagnostics because everything the rules
        // report lies in the method they were run on, so the driver's generated-code check of every
        // reported location would find nothing that Register does not already skip.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        Register(context, ImmutableArray.Create(this));
    }

    /// <summary>
    /// Registers the shared engine once per compilation (nothing when the compilation does not
    /// reference the annotations) and, for each method, hands its analysis to every rule of
    /// <paramref name="rules"/> that the options leave on for the method's tree.
    /// </summary>
    internal static void Register(AnalysisContext context, ImmutableArray<RuleAnalyzer> rules)
    {
        context.RegisterCompilationStartAction(start =>
        {
            var engine = CompilationEngine.Get(start.Compilation);
            if (engine is null)
            {
                return;
            }

            var selection = new RuleSelection(start.Compilation, rules);
            if (!selection.AnyOn(start.CancellationToken))
            {
                return;
            }

            var generatedCode = start.Compilation.GetTypeByMetadataName("System.CodeDom.Compiler.GeneratedCodeAttribute");

            // Every registered analyzer reads each method's shared analysis once: the engine drops it after the last read.
            engine.AddReader();
            start.RegisterOperationBlockAction(block =>
            {
                var on = selection.On(block.OperationBlocks[0].Syntax.SyntaxTree, block.CancellationToken);
                if (on.IsEmpty || IsAccessorOfGeneratedMember(block.OwningSymbol, generatedCode))
                {
                    return;
                }

                var analyses = engine.Analyze(block);
                if (analyses.IsEmpty)
                {
                    return;
                }

                // One delegate for the method: each conversion of the method group boxes the context.
                System.Action<Diagnostic> report = block.ReportDiagnostic;
                foreach (var analysis in analyses)
                {
                    // A pass that ran out of budget has no fixed point: nothing it saw is a finding.
                    if (!analysis.Converged)
                    {
                        continue;
                    }

                    foreach (var rule in on)
                    {
                        rule.Analyze(engine, analysis, report);
                    }
                }
            });
        });
    }

    /// <summary>
    /// An accessor of a property, indexer or event marked <c>[GeneratedCode]</c>. The driver skips
    /// generated files and methods and types marked generated before it calls the rules; it would
    /// drop diagnostics inside such a member only by checking every reported location, a walk of the
    /// tree's declarations that the rules opt out of (they report in no generated code they are run
    /// on), so the member is skipped here, once per method, instead.
    /// </summary>
    private static bool IsAccessorOfGeneratedMember(ISymbol owner, INamedTypeSymbol? generatedCode)
    {
        if (generatedCode is null || owner is not IMethodSymbol { AssociatedSymbol: { } member })
        {
            return false;
        }

        foreach (var attribute in member.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, generatedCode))
            {
                return true;
            }
        }

        return false;
    }

    private protected abstract void Analyze(CompilationEngine engine, MethodAnalysis analysis, System.Action<Diagnostic> report);

    internal static string HelpLink(string id) => HelpLinkBase + id + ".md";

    /// <summary>The name the code uses for the call that is the site (a region entry, an acquire).</summary>
    private protected static string NameOfSite(MethodAnalysis analysis, IOperation? site)
    {
        if (site is null)
        {
            return "?";
        }

        foreach (var call in analysis.Calls)
        {
            if (ReferenceEquals(call.Operation, site))
            {
                return call.Effects.Name;
            }
        }

        return site.Syntax.ToString();
    }

    /// <summary>The first call after <paramref name="after"/> that leaves the region entered at <paramref name="site"/>.</summary>
    private protected static IOperation? FindRegionEnd(MethodAnalysis analysis, RegionKind kind, IOperation? site, IOperation after)
    {
        if (site is null)
        {
            return null;
        }

        IOperation? best = null;
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Exits.Contains(kind) && ReferenceEquals(call.Before.Site(kind), site)
                && call.Operation.Syntax.SpanStart >= after.Syntax.SpanStart
                && (best is null || call.Operation.Syntax.SpanStart < best.Syntax.SpanStart))
            {
                best = call.Operation;
            }
        }

        return best;
    }

    /// <summary>The first call after <paramref name="after"/> that releases the lock taken at <paramref name="held"/>.</summary>
    private protected static IOperation? FindRelease(MethodAnalysis analysis, HeldLock held, IOperation after)
    {
        IOperation? best = null;
        foreach (var call in analysis.Calls)
        {
            foreach (var release in call.Effects.Releases)
            {
                if (release.Id.Equals(held.Id) && call.Operation.Syntax.SpanStart >= after.Syntax.SpanStart
                    && (best is null || call.Operation.Syntax.SpanStart < best.Syntax.SpanStart))
                {
                    best = call.Operation;
                }
            }
        }

        return best;
    }

    /// <summary>Collects a diagnostic's additional locations by role and its properties.</summary>
    private protected sealed class DiagnosticData
    {
        private readonly List<Location> locations = new();
        private readonly ImmutableDictionary<string, string?>.Builder properties = ImmutableDictionary.CreateBuilder<string, string?>();

        public DiagnosticData Location(string key, IOperation? operation)
        {
            if (operation is not null)
            {
                properties[key] = locations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                locations.Add(operation.Syntax.GetLocation());
            }

            return this;
        }

        public DiagnosticData Location(string key, Location? location)
        {
            if (location is not null)
            {
                properties[key] = locations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                locations.Add(location);
            }

            return this;
        }

        public DiagnosticData Property(string key, string? value)
        {
            if (value is not null)
            {
                properties[key] = value;
            }

            return this;
        }

        public DiagnosticData FaultIn(CompilationEngine engine, IMethodSymbol? access)
        {
            if (access is null)
            {
                return this;
            }

            Property(DiagnosticProperties.AccessKind, engine.GetAnnotations(access).UserAccessKind?.ToString());
            return this;
        }

        public Diagnostic Create(DiagnosticDescriptor descriptor, Location at, params object?[] arguments) =>
            Diagnostic.Create(descriptor, at, locations, properties.ToImmutable(), arguments);

        public Diagnostic Create(DiagnosticDescriptor descriptor, IOperation at, params object?[] arguments) =>
            Diagnostic.Create(descriptor, at.Syntax.GetLocation(), locations, properties.ToImmutable(), arguments);
    }
}
