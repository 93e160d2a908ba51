using System;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The engine's pass over one method: the entry state from the method's own annotations
/// (<see cref="MethodContract"/>), the fixed
/// point of <see cref="FlowTransfer"/> over <see cref="FlowStateDomain"/> by the generic
/// <see cref="ForwardDataflow{T}"/>, recording (<see cref="FlowRecorder"/>) each block as it is visited;
/// the records are kept when, and only when, the fixed point was reached within the budget. Also the operand readers every layer
/// shares (<see cref="Strip"/>, <see cref="SymbolOf"/>, <see cref="ArgumentFor"/>, <see cref="ToLong"/>).
/// </summary>
internal static class FlowAnalysis
{
    /// <summary>Analyses <paramref name="method"/> over <paramref name="graph"/>.</summary>
    public static MethodAnalysis Run(CompilationEngine engine, AnalysisRequest request, ControlFlowGraph graph, IMethodSymbol method)
    {
        var own = engine.GetAnnotations(method);
        var reads = new NoteReads();
        var aliases = new LocalAliases(reads);
        var transfer = new FlowTransfer(engine, request, aliases, reads);
        var recorder = new FlowRecorder(engine, request, method, transfer, aliases, graph.Blocks.Length);

        // The state the method's own annotations promise on entry ([RequiresLock], [RequiresAccessOk], ...): its callers are checked.
        var contract = MethodContract.Of(method, own, engine, request.Options);
        transfer.Recorder = recorder;
        var result = ForwardDataflow<FlowState>.Run(graph, FlowStateDomain.Instance, transfer, contract.Entry, request.CancellationToken);
        reads.Watching = false;
        if (result.Converged && reads.Stale)
        {
            // A capture or alias changed after a block read it: the states that flowed from that block, the
            // locks its calls named and its record were made with the old note. The notes are final now
            // (every assignment has been seen), so the fixed point runs again on them, from the entry.
            transfer.ForgetEffects();
            recorder = new FlowRecorder(engine, request, method, transfer, aliases, graph.Blocks.Length);
            transfer.Recorder = recorder;
            result = ForwardDataflow<FlowState>.Run(graph, FlowStateDomain.Instance, transfer, contract.Entry, request.CancellationToken);
        }

        transfer.Recorder = null;
        if (result.Converged && FlagPartitions.ChooseFlag(graph, result.BlockInputs, transfer) is { } flag
            && Partitioned(graph, flag, contract.Entry, transfer, request) is { } partitioned)
        {
            // The paths a flag tells apart, kept apart: the states are those of the partitioned pass, and
            // the records are made from them.
            result = partitioned;
            recorder = new FlowRecorder(engine, request, method, transfer, aliases, graph.Blocks.Length);
            transfer.Recorder = recorder;
            Record(graph, result.BlockInputs, transfer);
            transfer.Recorder = null;
        }

        if (result.Converged)
        {
            recorder.Finish();
            CheckRecords(engine, request, graph, method, result.BlockInputs, transfer, aliases, recorder);
        }

        return new MethodAnalysis(method, graph, own, contract, result, recorder, transfer, request.Options);
    }

    /// <summary>
    /// The fixed point over the states kept apart by <paramref name="flag"/>, each block's input the merge
    /// of its partitions; <c>null</c> when it does not converge within three times the budget of one pass.
    /// </summary>
    private static DataflowResult<FlowState>? Partitioned(ControlFlowGraph graph, ISymbol flag, FlowState entry, FlowTransfer transfer, AnalysisRequest request)
    {
        var result = ForwardDataflow<FlagPartitions>.Run(
            graph,
            FlagPartitionsDomain.Instance,
            new FlagPartitionsTransfer(transfer),
            FlagPartitions.Of(flag, entry),
            request.CancellationToken,
            3 * ForwardDataflow<FlagPartitions>.BudgetFor(graph.Blocks.Length));
        if (!result.Converged)
        {
            return null;
        }

        var inputs = ImmutableArray.CreateBuilder<FlowState?>(result.BlockInputs.Length);
        foreach (var input in result.BlockInputs)
        {
            inputs.Add(input?.Merged);
        }

        return new DataflowResult<FlowState>(inputs.MoveToImmutable(), converged: true);
    }

    /// <summary>Runs the transfer, with its recorder attached, over every reachable block from its converged input.</summary>
    private static void Record(ControlFlowGraph graph, ImmutableArray<FlowState?> blockInputs, FlowTransfer transfer)
    {
        var blocks = graph.Blocks;
        for (int i = 0; i < blocks.Length; i++)
        {
            if (blockInputs[i] is { } input)
            {
                transfer.Transfer(blocks[i], input);
            }
        }
    }

    /// <summary>
    /// The records kept during the fixed point are those of a recording pass over the converged inputs.
    /// Debug builds (the test suite) only; a difference surfaces as the analyzer's exception.
    /// </summary>
    [Conditional("DEBUG")]
    private static void CheckRecords(CompilationEngine engine, AnalysisRequest request, ControlFlowGraph graph, IMethodSymbol method, ImmutableArray<FlowState?> blockInputs, FlowTransfer transfer, LocalAliases aliases, FlowRecorder kept)
    {
        var pass = new FlowRecorder(engine, request, method, transfer, aliases, graph.Blocks.Length);
        transfer.Recorder = pass;
        Record(graph, blockInputs, transfer);
        transfer.Recorder = null;
        pass.Finish();

        var domain = FlowStateDomain.Instance;
        bool same = kept.HasErrorReturn == pass.HasErrorReturn
            && Same(kept.Calls, pass.Calls, (a, b) => ReferenceEquals(a.Effects, b.Effects) && domain.AreEqual(a.Before, b.Before))
            && Same(kept.Comparisons, pass.Comparisons, (a, b) => ReferenceEquals(a.Comparison, b.Comparison) && ReferenceEquals(a.Operand, b.Operand)
                && ReferenceEquals(a.Other, b.Other) && a.Kinds == b.Kinds && ReferenceEquals(a.Origin, b.Origin) && domain.AreEqual(a.State, b.State))
            && Same(kept.Returns, pass.Returns, (a, b) => ReferenceEquals(a.Value, b.Value) && a.Kinds == b.Kinds && ReferenceEquals(a.Origin, b.Origin)
                && domain.AreEqual(a.State, b.State))
            && Same(kept.IgnoredResults, pass.IgnoredResults, (a, b) => ReferenceEquals(a, b))
            && Same(kept.GuardedAccesses, pass.GuardedAccesses, (a, b) => ReferenceEquals(a.Reference, b.Reference) && a.Guard.Equals(b.Guard)
                && domain.AreEqual(a.State, b.State));
        if (!same)
        {
            throw new InvalidOperationException($"{method.Name}: the records kept during the fixed point differ from a recording pass");
        }

        // The effects were computed once per call, with the aliases of the call's first visit: the locks
        // they name must be those the final alias table names.
        foreach (var call in kept.Calls)
        {
            if (call.Operation is IInvocationOperation invocation
                && engine.GetEffects(invocation, invocation.TargetMethod, invocation.Arguments, invocation.Instance, request, aliases) is { } fresh
                && !(SameLocks(call.Effects.Acquires, fresh.Acquires) && SameLocks(call.Effects.Releases, fresh.Releases) && SameLocks(call.Effects.Requires, fresh.Requires)))
            {
                throw new InvalidOperationException($"{method.Name}: '{call.Effects.Name}' names its locks through aliases that changed after it was first visited");
            }
        }
    }

    private static bool SameLocks(ImmutableArray<LockUse> kept, ImmutableArray<LockUse> fresh)
    {
        if (kept.Length != fresh.Length)
        {
            return false;
        }

        for (int i = 0; i < kept.Length; i++)
        {
            if (!kept[i].Id.Equals(fresh[i].Id) || kept[i].Shared != fresh[i].Shared || kept[i].When != fresh[i].When)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Same<T>(ImmutableArray<T>.Builder kept, ImmutableArray<T>.Builder pass, Func<T, T, bool> equal)
    {
        if (kept.Count != pass.Count)
        {
            return false;
        }

        for (int i = 0; i < kept.Count; i++)
        {
            if (!equal(kept[i], pass[i]))
            {
                return false;
            }
        }

        return true;
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
