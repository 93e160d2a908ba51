using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA3002: a <c>[UserBitOperation]</c> call (<c>SetBitUserInatomic</c>, <c>ClearBitUserInatomic</c>) whose
/// size is not proven 4 or 8, or whose bit is not proven in <c>0..size * 8 - 1</c>, by checks on every
/// path before it (the engine's <see cref="OperandRange"/>, refined on the edges of the checks, in any
/// order). Constants are folded: a constant size of 4 or 8 and a constant bit in range are valid; an
/// unsigned bit is never negative; with a validated size variable, a bound of 31 or less is enough.
/// An operand the engine does not track (a field of another object, a call, arithmetic) cannot be
/// decided and is not reported. Reported on the invocation.
/// </summary>
public sealed class UA3002UnvalidatedBitOperationAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.UnvalidatedBitOperation,
        "User bit operation with unvalidated size or bit",
        "'{0}' needs {1}, but no check on every path before it proves that",
        "UserAccess.Atomics",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "user_events enablers validate the word size (4 or 8) and the bit (0..size*8-1) before touching the word, so the right bit is set on both endiannesses and no word straddles a page.",
        helpLinkUri: HelpLink(DiagnosticIds.UnvalidatedBitOperation));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var call in analysis.Calls)
        {
            if (!call.Effects.Annotations.UserBitOperation)
            {
                continue;
            }

            var method = call.Effects.Method;
            var (sizeName, bitName) = Parameters(engine, method);
            var size = FlowAnalysis.ArgumentFor(method, call.Effects.Arguments, sizeName);
            var bit = FlowAnalysis.ArgumentFor(method, call.Effects.Arguments, bitName);
            if (size is null || bit is null)
            {
                continue;
            }

            // Size: a constant, or a tracked variable; anything else is undecidable (silent).
            long? sizeConstant = OperandRanges.Constant(size);
            var sizeSymbol = sizeConstant is null ? FlowAnalysis.SymbolOf(size) : null;
            long? bitConstant = OperandRanges.Constant(bit);
            var bitSymbol = bitConstant is null ? FlowAnalysis.SymbolOf(bit) : null;
            if ((sizeConstant is null && sizeSymbol is null) || (bitConstant is null && bitSymbol is null))
            {
                continue;
            }

            bool sizeValid = sizeConstant is long s ? s is 4 or 8 : call.Before.GetFact(sizeSymbol!).Range.SizeIs4Or8;

            // The largest bit every valid size allows: size * 8 - 1 for a constant size, 31 for a variable one.
            long limit = sizeConstant is long c ? (c * 8) - 1 : 31;
            bool bitValid;
            if (bitConstant is long b)
            {
                bitValid = b >= 0 && b <= limit;
            }
            else
            {
                var range = call.Before.GetFact(bitSymbol!).Range;
                bool lower = range.NonNegative || OperandRanges.IsUnsigned(bitSymbol switch
                {
                    ILocalSymbol local => local.Type,
                    IParameterSymbol parameter => parameter.Type,
                    IFieldSymbol field => field.Type,
                    _ => null,
                });
                bool upper = (range.Upper is long u && u <= limit)
                    || (range.UpperBySize is { } by && sizeSymbol is not null && SymbolEqualityComparer.Default.Equals(by, sizeSymbol));
                bitValid = lower && upper;
            }

            if (sizeValid && bitValid)
            {
                continue;
            }

            string sizeText = FlowAnalysis.Strip(size).Syntax.ToString();
            string bitText = FlowAnalysis.Strip(bit).Syntax.ToString();
            string sizeNeed = "'" + sizeText + "' to be 4 or 8";
            string bitNeed = "'" + bitText + "' in 0.." + (sizeConstant is long k ? ((k * 8) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : sizeText + " * 8 - 1");
            string need = !sizeValid && !bitValid ? sizeNeed + " and " + bitNeed : !sizeValid ? sizeNeed : bitNeed;
            report(new DiagnosticData()
                .Property(DiagnosticProperties.BitOperationSize, sizeText)
                .Property(DiagnosticProperties.BitOperationBit, bitText)
                .Property(DiagnosticProperties.BitValidationMissing, !sizeValid && !bitValid ? "SizeAndBit" : !sizeValid ? "Size" : "Bit")
                .Location(DiagnosticProperties.AccessLocation, call.Operation)
                .Create(Rule, call.Operation, call.Effects.Name, need));
        }
    }

    private static (string Size, string Bit) Parameters(CompilationEngine engine, IMethodSymbol method)
    {
        string size = "size", bit = "bit";
        foreach (var attribute in method.OriginalDefinition.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, engine.Known.UserBitOperation))
            {
                continue;
            }

            foreach (var pair in attribute.NamedArguments)
            {
                if (pair.Key == "SizeParameter" && pair.Value.Value is string s)
                {
                    size = s;
                }
                else if (pair.Key == "BitParameter" && pair.Value.Value is string b)
                {
                    bit = b;
                }
            }
        }

        return (size, bit);
    }
}
