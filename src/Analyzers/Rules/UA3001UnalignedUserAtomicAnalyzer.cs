using System;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA3001: an atomic user op (a <c>[RequiresAlignment]</c> parameter) on an address that no dominating
/// check proves naturally aligned. The alignment needed is <c>sizeof(T)</c> of a <c>UserPtr&lt;T&gt;</c>
/// parameter or the value of its <c>SizeParameter</c> argument. The engine's
/// <see cref="AlignmentFact"/> holds the proofs on every path (<c>(p.Address &amp; (n - 1)) != 0</c>,
/// <c>p.Address % n != 0</c>, <c>!p.IsAligned(n)</c>, through a local holding <c>p.Address</c> and
/// through <c>Cast</c>/<c>Untagged</c>/<c>p + k</c>); a <c>[RequiresAlignment]</c> parameter of the
/// analysed method is assumed aligned (its callers, which are checked the same way, prove it).
/// Undecidable cases stay silent: a proof by a variable when the op needs a known size, a constant
/// proof when the op's size is a variable (it may be smaller), an address the engine does not track
/// (another object's field, an array element, a call). Reported on the invocation.
/// </summary>
public sealed class UA3001UnalignedUserAtomicAnalyzer : RuleAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.UnalignedUserAtomic,
        "Atomic user operation on an address not proven aligned",
        "'{0}' needs '{1}' aligned to {2}, but no check on every path before it proves that",
        "UserAccess.Atomics",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A misaligned user atomic raises #AC (x86 split lock) or an alignment fault (arm64): -EFAULT with the page present, so fault-in succeeds and the retry loop spins forever. Check the alignment and return -EINVAL first.",
        helpLinkUri: HelpLink(DiagnosticIds.UnalignedUserAtomic));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        foreach (var call in analysis.Calls)
        {
            var method = call.Effects.Method;
            foreach (int ordinal in call.Effects.Annotations.RequiresAlignment)
            {
                if (ordinal >= method.Parameters.Length)
                {
                    continue;
                }

                var parameter = method.Parameters[ordinal];
                var pointer = FlowAnalysis.ArgumentFor(method, call.Effects.Arguments, parameter.Name);
                if (pointer is null || pointer.Type is null or IErrorTypeSymbol)
                {
                    continue;
                }

                var need = Requirement(engine, method, parameter, call);
                if (IsProven(pointer, need, call.Before))
                {
                    continue;
                }

                string text = FlowAnalysis.Strip(pointer).Syntax.ToString();
                string alignment = need.Constant > 0
                    ? need.Constant.ToString(CultureInfo.InvariantCulture)
                    : need.SizeText ?? "sizeof";
                report(new DiagnosticData()
                    .Property(DiagnosticProperties.PointerExpression, text)
                    .Property(DiagnosticProperties.AlignmentExpression, need.Constant > 0 || need.SizeText is not null ? alignment : null)
                    .Location(DiagnosticProperties.AccessLocation, call.Operation)
                    .Create(
                        Rule,
                        call.Operation,
                        call.Effects.Name,
                        text,
                        need.Constant > 0 ? alignment + " bytes" : need.SizeText is { } size ? "'" + size + "' bytes" : "its access size"));
            }
        }
    }

    /// <summary>What the op needs: a constant, the size argument's variable, or unknown.</summary>
    private readonly struct Need
    {
        public Need(long constant, ISymbol? variable, string? sizeText)
        {
            Constant = constant;
            Variable = variable;
            SizeText = sizeText;
        }

        public long Constant { get; }

        public ISymbol? Variable { get; }

        public string? SizeText { get; }
    }

    private static Need Requirement(CompilationEngine engine, IMethodSymbol method, IParameterSymbol parameter, CallSite call)
    {
        string? sizeParameter = null;
        foreach (var attribute in parameter.OriginalDefinition.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, engine.Known.RequiresAlignment))
            {
                foreach (var pair in attribute.NamedArguments)
                {
                    if (pair.Key == "SizeParameter")
                    {
                        sizeParameter = pair.Value.Value as string;
                    }
                }
            }
        }

        if (sizeParameter is not null)
        {
            if (FlowAnalysis.ArgumentFor(method, call.Effects.Arguments, sizeParameter) is not { } size)
            {
                return default;
            }

            var stripped = FlowAnalysis.Strip(size);
            if (FlowAnalysis.ToLong(size.ConstantValue.HasValue ? size.ConstantValue.Value : stripped.ConstantValue.HasValue ? stripped.ConstantValue.Value : null) is long n)
            {
                return new Need(n, null, null);
            }

            return new Need(0, FlowAnalysis.SymbolOf(stripped), stripped.Syntax.ToString());
        }

        return new Need(SizeOf(parameter.Type), null, null);
    }

    /// <summary><c>sizeof(T)</c> of a <c>UserPtr&lt;T&gt;</c> of a primitive; 0 when unknown.</summary>
    private static long SizeOf(ITypeSymbol pointerType)
    {
        if (pointerType is not INamedTypeSymbol { TypeArguments.Length: 1 } named)
        {
            return 0;
        }

        return named.TypeArguments[0].SpecialType switch
        {
            SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 2,
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
            SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
            SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => 1,
            _ => 0,
        };
    }

    private static bool IsProven(IOperation pointer, Need need, FlowState state)
    {
        if (need.Constant == 1)
        {
            return true;
        }

        // A constant address (new UserPtr<uint>(0x1000)): decide it.
        if (FlowAnalysis.Strip(pointer) is IObjectCreationOperation { Arguments.Length: 1 } creation
            && OperandRanges.Constant(creation.Arguments[0].Value) is long address)
        {
            return need.Constant > 0 ? address % need.Constant == 0 : true;
        }

        var root = AlignmentFacts.Root(pointer, out long offset);
        if (root is null)
        {
            // An address the engine does not track (another object's field, an array element, a call,
            // arithmetic on a variable): a check may exist that the rule cannot see, so it stays silent.
            return true;
        }

        var fact = state.GetFact(root).Alignment;
        if (fact.Assumed)
        {
            return offset == 0 || (need.Constant > 0 && offset % need.Constant == 0);
        }

        if (!fact.IsProof)
        {
            return false;
        }

        if (need.Constant > 0)
        {
            if (fact.Constant >= need.Constant)
            {
                return offset % need.Constant == 0;
            }

            // Proven against a variable: it may well be the right size; the rule cannot tell, so it stays silent.
            return fact.Constant == 0 && fact.SizeSymbol is not null;
        }

        if (need.Variable is not null && SymbolEqualityComparer.Default.Equals(fact.SizeSymbol, need.Variable))
        {
            return offset == 0;
        }

        // The op's size is a variable (or unknown) and a different check exists: it may be enough; silent.
        return offset == 0;
    }
}
