using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The engine's pass over one method: the entry state from the method's own annotations
/// (<see cref="MethodContract"/>), the fixed
/// point of <see cref="FlowTransfer"/> over <see cref="FlowStateDomain"/> by the generic
/// <see cref="ForwardDataflow{T}"/>, then one recording pass (<see cref="FlowRecorder"/>) when, and
/// only when, the fixed point was reached within the budget. Also the operand readers every layer
/// shares (<see cref="Strip"/>, <see cref="SymbolOf"/>, <see cref="ArgumentFor"/>, <see cref="ToLong"/>).
/// </summary>
internal static class FlowAnalysis
{
    /// <summary>Analyses <paramref name="method"/> over <paramref name="graph"/>.</summary>
    public static MethodAnalysis Run(CompilationEngine engine, AnalysisRequest request, ControlFlowGraph graph, IMethodSymbol method)
    {
        var own = engine.GetAnnotations(method);
        var aliases = new LocalAliases();
        var transfer = new FlowTransfer(engine, request, aliases);

        // The state the method's own annotations promise on entry ([RequiresLock], [RequiresAccessOk], ...): its callers are checked.
        var contract = MethodContract.Of(method, own, engine, request.Options);
        var result = ForwardDataflow<FlowState>.Run(graph, FlowStateDomain.Instance, transfer, contract.Entry, request.CancellationToken);
        var recorder = new FlowRecorder(engine, request, method, transfer, aliases);
        if (result.Converged)
        {
            transfer.Recorder = recorder;
            var blocks = graph.Blocks;
            for (int i = 0; i < blocks.Length; i++)
            {
                if (result.BlockInputs[i] is { } input)
                {
                    transfer.Transfer(blocks[i], input);
                }
            }

            transfer.Recorder = null;
        }

        return new MethodAnalysis(method, graph, own, contract, result, recorder, transfer, request.Options);
    }

    /// <summary>Removes conversions and parentheses the way the rules compare operands.</summary>
    public static IOperation Strip(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { Operand: { } inner }:
                    operation = inner;
                    continue;
                case IParenthesizedOperation { Operand: { } inner }:
                    operation = inner;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The local, parameter or field (of <c>this</c> or static) an expression names.</summary>
    public static ISymbol? SymbolOf(IOperation? operation)
    {
        if (operation is null)
        {
            return null;
        }

        return Strip(operation) switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation { Field.IsStatic: true } field => field.Field,
            IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field => field.Field,
            _ => null,
        };
    }

    public static bool IsNegativeConstant(IOperation operation) =>
        operation.ConstantValue is { HasValue: true, Value: { } value } && value switch
        {
            int i => i < 0,
            long l => l < 0,
            short s => s < 0,
            sbyte b => b < 0,
            _ => false,
        };

    /// <summary>The argument passed for the parameter named <paramref name="name"/>.</summary>
    public static IOperation? ArgumentFor(IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, string? name)
    {
        if (name is null)
        {
            return null;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Name == name)
            {
                return argument.Value;
            }
        }

        return null;
    }

    public static long? ToLong(object? value) => value switch
    {
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => (long)ul,
        short s => s,
        ushort us => us,
        byte b => b,
        sbyte sb => sb,
        _ => null,
    };
}
