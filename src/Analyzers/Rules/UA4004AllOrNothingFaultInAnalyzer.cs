using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA4004: a <c>[ReturnsBytesNotFaultedIn]</c> result compared with zero (<c>!= 0</c>, <c>&gt; 0</c>,
/// <c>== 0</c>) inside a loop that advances through a buffer (see <see cref="RetryProtocol.AdvancedPointer"/>):
/// a partial fault-in is progress, and the loop should go on with what was faulted in, failing only
/// when nothing was (<c>== bytes</c>). A comparison with anything but the constant 0 (the size, a
/// variable) is taken as a progress check and is silent; so is the test outside an advancing loop.
/// Reported on the comparison.
/// </summary>
public sealed class UA4004AllOrNothingFaultInAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.AllOrNothingFaultIn,
        "All-or-nothing check of a fault-in result in a loop that makes partial progress",
        "'{0}' returns the bytes it could not fault in: '{1}' gives up on partial progress; fail only when nothing was faulted in ('== {2}')",
        "UserAccess.Retry",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "In a loop that advances through a buffer, a fault-in that made some progress lets the loop go on: retry while fault-in makes progress and fail only when it faulted in nothing.",
        helpLinkUri: HelpLink(DiagnosticIds.AllOrNothingFaultIn));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var comparison in analysis.Comparisons)
        {
            if ((comparison.Kinds & ValueKinds.FaultInResult) == 0 || comparison.Origin is not IInvocationOperation origin
                || comparison.NormalizedOperator is not (BinaryOperatorKind.NotEquals or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.Equals)
                || FlowAnalysis.ToLong(comparison.Other.ConstantValue.HasValue ? comparison.Other.ConstantValue.Value : null) != 0)
            {
                continue;
            }

            var facts = analysis.Loops;
            if (facts.PositionOf(comparison.Comparison) is not { } position || !InAdvancingLoop(analysis, facts, position.Block))
            {
                continue;
            }

            var call = RetryProtocol.CallOf(analysis, origin);
            string? size = SizeArgument(engine, origin)?.Syntax.ToString();
            report(new DiagnosticData()
                .Property(DiagnosticProperties.FullSizeExpression, size)
                .Location(DiagnosticProperties.FaultInLocation, origin)
                .Create(Rule, comparison.Comparison, call?.Effects.Name ?? origin.TargetMethod.Name, comparison.Comparison.Syntax.ToString(), size ?? "the size"));
        }
    }

    private static bool InAdvancingLoop(MethodAnalysis analysis, LoopFacts facts, int block)
    {
        foreach (var loop in facts.LoopsContaining(block))
        {
            if (RetryProtocol.AdvancedPointer(analysis, loop, out _) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The argument for the <c>[FaultsIn(Size = ...)]</c> parameter.</summary>
    private static IOperation? SizeArgument(CompilationEngine engine, IInvocationOperation invocation)
    {
        foreach (var attribute in invocation.TargetMethod.OriginalDefinition.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, engine.Known.FaultsIn))
            {
                continue;
            }

            foreach (var pair in attribute.NamedArguments)
            {
                if (pair.Key == "Size" && pair.Value.Value is string name)
                {
                    return FlowAnalysis.ArgumentFor(invocation.TargetMethod, invocation.Arguments, name) is { } size ? FlowAnalysis.Strip(size) : null;
                }
            }
        }

        return null;
    }
}
