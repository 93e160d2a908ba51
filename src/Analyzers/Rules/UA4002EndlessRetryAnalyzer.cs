using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA4002: a nofault access inside a cycle of the graph that can be taken again after the access
/// failed (<c>-EFAULT</c>, or bytes left uncopied) without passing a fault-in/fixup whose failure
/// leaves the cycle. A cycle question asked of the method's graph (<see cref="MethodAnalysis.HasCycle{TPath}"/>), from the access back to it within its loops: it
/// knows the access failed (branches testing its result against constants are decided:
/// <c>ret != -EFAULT</c>, <c>ret == 0</c>, <c>ret &lt; 0</c>), and a branch on a fault-in result with
/// one edge leaving the loop makes the path "guarded" (the loop gives up when the fault-in fails; any
/// test counts, so unusual tests err toward silence). A path that steps a counter the loop compares in
/// an exit test (<c>tries++</c>, <c>tries &lt; 3</c>) is bounded, and so is one that, after a copy that copied
/// some bytes (<c>copied = bytes - copy(...)</c>, <c>copied != 0</c>), shrinks the request to them
/// (<c>bytes = copied</c>): the retry repeats only bytes the copy already reached. Other branches may go either way.
/// Reported on the access.
/// </summary>
public sealed class UA4002EndlessRetryAnalyzer : RuleAnalyzer
{
    private const int MaxTracked = 30;
    private const int MaxStates = 4096;

    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.EndlessRetry,
        "Retry loop without a fault-in whose failure ends it",
        "'{0}' is retried after it fails with -EFAULT {1}: a permanent fault makes the loop spin forever",
        "UserAccess.Retry",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An unmapped or poisoned page, a tag fault or an alignment trap make -EFAULT permanent: the loop must fault in after a failed access and leave when the fault-in fails.",
        helpLinkUri: HelpLink(DiagnosticIds.EndlessRetry));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        LoopFacts? facts = null;
        foreach (var call in analysis.Calls)
        {
            var annotations = call.Effects.Annotations;
            bool errno = RetryProtocol.ReturnsErrno(call);
            if (!RetryProtocol.IsNofaultAccess(call) || !(errno || annotations.ReturnsBytesNotCopied))
            {
                continue;
            }

            facts ??= analysis.Loops;
            if (facts.Loops.IsEmpty || facts.PositionOf(call.Operation) is not { } position)
            {
                continue;
            }

            var loops = facts.LoopsContaining(position.Block);
            if (loops.Count == 0)
            {
                continue;
            }

            var search = new RetrySearch(analysis, loops, call, errno);
            if (!analysis.HasCycle(position, search.InLoop, search, default(RetryPath), MaxStates))
            {
                continue;
            }

            var faultIn = FirstFaultInOnTheLoop(analysis, facts, loops);
            var data = new DiagnosticData()
                .Property(DiagnosticProperties.AdvancingLoop, loops.Exists(l => RetryProtocol.AdvancedPointer(analysis, l, out _) is not null) ? "true" : null)
                .Location(DiagnosticProperties.AccessLocation, call.Operation)
                .FaultIn(engine, call.Effects.Method);
            if (faultIn is not null)
            {
                data.Location(DiagnosticProperties.FaultInLocation, faultIn.Operation);
            }
            else
            {
                data.Location(DiagnosticProperties.InsertAfterLocation, call.Operation);
                if (ReadProbeOnTheLoop(engine, analysis, facts, loops, call) is { } probe)
                {
                    data.Location(DiagnosticProperties.ReadProbeLocation, probe.Operation);
                }
            }

            string how = faultIn is null ? "without a fault-in" : "even when '" + faultIn.Effects.Name + "' fails";
            report(data.Create(Rule, call.Operation, call.Effects.Name, how));
        }
    }

    private static CallSite? FirstFaultInOnTheLoop(MethodAnalysis analysis, LoopFacts facts, List<LoopInfo> loops)
    {
        CallSite? best = null;
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.IsFaultIn && facts.PositionOf(call.Operation) is { } position && InAny(loops, position.Block)
                && (best is null || call.Operation.Syntax.SpanStart < best.Operation.Syntax.SpanStart))
            {
                best = call;
            }
        }

        return best;
    }

    /// <summary>
    /// The read of the access's own word that the loop uses as its fault-in, when the access writes:
    /// futex before d0725992c8a6 "faulted in" with <c>get_user()</c>, which succeeds on a read-only
    /// mapping while the write keeps failing. A read with page faults enabled, of the same pointer, on the
    /// loop; the first after the access in the code (the fault path), else the first.
    /// </summary>
    private static CallSite? ReadProbeOnTheLoop(CompilationEngine engine, MethodAnalysis analysis, LoopFacts facts, List<LoopInfo> loops, CallSite access)
    {
        if (engine.AccessKindOf(access.Effects) is not (UserAccessKind.Write or UserAccessKind.ReadWrite))
        {
            return null;
        }

        var pointer = access.PointerSymbols;
        CallSite? first = null, after = null;
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Annotations.UserAccessKind != UserAccessKind.Read || !call.Effects.Annotations.ReturnsErrno
                || !call.Before.Nofault.DefinitelyNot || RetryProtocol.IsNofaultAccess(call)
                || facts.PositionOf(call.Operation) is not { } position || !InAny(loops, position.Block)
                || pointer.Count == 0 || !pointer.SetEquals(call.PointerSymbols))
            {
                continue;
            }

            int start = call.Operation.Syntax.SpanStart;
            if (first is null || start < first.Operation.Syntax.SpanStart)
            {
                first = call;
            }

            if (start > access.Operation.Syntax.SpanStart && (after is null || start < after.Operation.Syntax.SpanStart))
            {
                after = call;
            }
        }

        return after ?? first;
    }

    private static bool InAny(List<LoopInfo> loops, int block)
    {
        foreach (var loop in loops)
        {
            if (loop.Contains(block))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What one path from a failed access carries: which variables hold the failed access's
    /// result, which hold a fault-in result, which hold the bytes the failed copy did copy, whether the
    /// copy is known to have copied some, whether a fault-in guard or a counter step was passed.</summary>
    private readonly struct RetryPath : IEquatable<RetryPath>
    {
        public RetryPath(int failed, int faultIn, int copied, bool progressed, bool guarded, bool counted)
        {
            Failed = failed;
            FaultIn = faultIn;
            Copied = copied;
            Progressed = progressed;
            Guarded = guarded;
            Counted = counted;
        }

        public int Failed { get; }

        public int FaultIn { get; }

        public int Copied { get; }

        public bool Progressed { get; }

        public bool Guarded { get; }

        public bool Counted { get; }

        public RetryPath WithGuarded() => new(Failed, FaultIn, Copied, Progressed, true, Counted);

        public RetryPath WithProgressed() => new(Failed, FaultIn, Copied, true, Guarded, Counted);

        public bool Equals(RetryPath other) =>
            Failed == other.Failed && FaultIn == other.FaultIn && Copied == other.Copied && Progressed == other.Progressed
            && Guarded == other.Guarded && Counted == other.Counted;

        public override bool Equals(object? obj) => obj is RetryPath other && Equals(other);

        public override int GetHashCode() =>
            (Failed * 397) ^ (FaultIn * 31) ^ (Copied * 17) ^ (Progressed ? 4 : 0) ^ (Guarded ? 2 : 0) ^ (Counted ? 1 : 0);
    }

    /// <summary>The retry question of one access, asked of the method's graph: is there a path from the
    /// failed access back to it, within its loops, that passes neither a fault-in guard nor a counter step?</summary>
    private sealed class RetrySearch : ICyclePathQuestion<RetryPath>
    {
        private readonly MethodAnalysis analysis;
        private readonly List<LoopInfo> loops;
        private readonly CallSite access;
        private readonly bool errno;
        private readonly Dictionary<ISymbol, int> tracked = new(SymbolEqualityComparer.Default);

        // Values the graph captured (a switch's governing value, a value compared in a pattern): they
        // hold what the captured operand held when it was captured.
        private readonly Dictionary<CaptureId, int> captures = new();
        private readonly HashSet<ISymbol> counters = new(SymbolEqualityComparer.Default);

        // What the access is asked to do besides where (its length, its kernel buffer): shrinking one of
        // them to the bytes a partial copy reached makes the retry repeat only those.
        private readonly HashSet<ISymbol> request = new(SymbolEqualityComparer.Default);

        public RetrySearch(MethodAnalysis analysis, List<LoopInfo> loops, CallSite access, bool errno)
        {
            this.analysis = analysis;
            this.loops = loops;
            this.access = access;
            this.errno = errno;
            foreach (var loop in loops)
            {
                counters.UnionWith(loop.Counters);
            }

            var pointer = access.PointerSymbols;
            foreach (var argument in access.Effects.Arguments)
            {
                LoopFacts.SymbolsIn(argument.Value, request);
            }

            request.ExceptWith(pointer);

            // Advancing the access's own pointer or offset (buf + written; written += copied) is progress, not a retry.
            foreach (var symbol in pointer)
            {
                foreach (var loop in loops)
                {
                    if (loop.Advanced.Contains(symbol))
                    {
                        counters.Add(symbol);
                    }
                }
            }
        }

        public bool InLoop(int block)
        {
            foreach (var loop in loops)
            {
                if (loop.Contains(block))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Back at the access: the loop went round after the failure.</summary>
        public bool Completes(RetryPath path) => !path.Guarded && !path.Counted;

        public RetryPath Through(IOperation operation, RetryPath path, bool first)
        {
            int failed = path.Failed, faultIn = path.FaultIn, copied = path.Copied;
            bool counted = path.Counted;
            Transfer(operation, ref failed, ref faultIn, ref copied, path.Progressed, ref counted, first);
            return new RetryPath(failed, faultIn, copied, path.Progressed, path.Guarded, counted);
        }

        public void Branch(BasicBlock block, RetryPath path, Action<int, RetryPath> follow)
        {
            int conditional = LoopFacts.Target(block.ConditionalSuccessor);
            int fallThrough = LoopFacts.Target(block.FallThroughSuccessor);
            if (block.ConditionKind == ControlFlowConditionKind.None || block.BranchValue is null)
            {
                follow(fallThrough, path);
                return;
            }

            var condition = block.BranchValue;
            bool conditionalExits = conditional < 0 || !InLoop(conditional);
            bool fallThroughExits = fallThrough < 0 || !InLoop(fallThrough);
            if (conditionalExits != fallThroughExits && TestsFaultIn(condition, path.FaultIn))
            {
                // The fault-in's failure leaves the loop: the path that stays is the guarded one.
                follow(conditionalExits ? fallThrough : conditional, path.WithGuarded());
                return;
            }

            bool? value = Evaluate(condition, path.Failed, 0);
            bool whenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
            bool? copiedSome = CopiedSome(condition, path.Copied);
            if (value is not bool v || v == whenTrue)
            {
                follow(conditional, copiedSome == whenTrue ? path.WithProgressed() : path);
            }

            if (value is not bool w || w != whenTrue)
            {
                follow(fallThrough, copiedSome is bool some && some != whenTrue ? path.WithProgressed() : path);
            }
        }

        private void Transfer(IOperation root, ref int failed, ref int faultIn, ref int copied, bool progressed, ref bool counted, bool first)
        {
            var stack = new Stack<IOperation>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                switch (operation)
                {
                    case ISimpleAssignmentOperation assignment when FlowAnalysis.SymbolOf(assignment.Target) is { } target:
                        int bit = Bit(target);
                        var value = FlowAnalysis.Strip(assignment.Value);
                        counted |= progressed && request.Contains(target) && Holds(value, copied);

                        // buf = buf + written: the same step as buf += written.
                        counted |= counters.Contains(target) && value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } step
                            && (SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(step.LeftOperand), target)
                                || SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(step.RightOperand), target));
                        failed &= ~bit;
                        faultIn &= ~bit;
                        copied &= ~bit;
                        if (first && !errno && value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } difference
                            && ReferenceEquals(FlowAnalysis.Strip(difference.RightOperand), access.Operation))
                        {
                            // bytes - copy(...): the bytes the copy did copy.
                            copied |= bit;
                        }
                        else if (first && ReferenceEquals(value, access.Operation))
                        {
                            failed |= bit;
                        }
                        else if (value is IInvocationOperation && RetryProtocol.CallOf(analysis, value) is { } call && call.Effects.IsFaultIn)
                        {
                            faultIn |= bit;
                        }

                        break;
                    case IFlowCaptureOperation capture:
                        // `switch (err) { case -EAGAIN: ... }` compares the capture of err, not err.
                        int captureBit = CaptureBit(capture.Id);
                        var captured = FlowAnalysis.Strip(capture.Value);
                        bool holdsFailure = (first && ReferenceEquals(captured, access.Operation)) || Holds(captured, failed);
                        bool holdsFaultIn = Holds(captured, faultIn)
                            || (captured is IInvocationOperation && RetryProtocol.CallOf(analysis, captured) is { } faultInCall && faultInCall.Effects.IsFaultIn);
                        failed = holdsFailure ? failed | captureBit : failed & ~captureBit;
                        faultIn = holdsFaultIn ? faultIn | captureBit : faultIn & ~captureBit;
                        break;
                    case ICompoundAssignmentOperation compound when FlowAnalysis.SymbolOf(compound.Target) is { } target:
                        failed &= ~Bit(target);
                        faultIn &= ~Bit(target);
                        copied &= ~Bit(target);
                        counted |= counters.Contains(target);
                        break;
                    case IIncrementOrDecrementOperation increment when FlowAnalysis.SymbolOf(increment.Target) is { } target:
                        counted |= counters.Contains(target);
                        break;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }

        private int Bit(ISymbol symbol)
        {
            if (!tracked.TryGetValue(symbol, out int index))
            {
                if (tracked.Count + captures.Count >= MaxTracked)
                {
                    return 0;
                }

                tracked[symbol] = index = tracked.Count + captures.Count;
            }

            return 1 << index;
        }

        private int CaptureBit(CaptureId id)
        {
            if (!captures.TryGetValue(id, out int index))
            {
                if (tracked.Count + captures.Count >= MaxTracked)
                {
                    return 0;
                }

                captures[id] = index = tracked.Count + captures.Count;
            }

            return 1 << index;
        }

        private bool Holds(IOperation operand, int mask)
        {
            if (operand is IFlowCaptureReferenceOperation reference)
            {
                return captures.TryGetValue(reference.Id, out int captured) && (mask & (1 << captured)) != 0;
            }

            var symbol = FlowAnalysis.SymbolOf(operand);
            return symbol is not null && tracked.TryGetValue(symbol, out int index) && (mask & (1 << index)) != 0;
        }

        /// <summary>Does the condition read a fault-in result (a variable holding one, or the call itself)?</summary>
        private bool TestsFaultIn(IOperation condition, int faultIn)
        {
            var stack = new Stack<IOperation>();
            stack.Push(condition);
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                if (Holds(operation, faultIn)
                    || (operation is IInvocationOperation && RetryProtocol.CallOf(analysis, operation) is { } call && call.Effects.IsFaultIn))
                {
                    return true;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }

            return false;
        }

        /// <summary>
        /// Whether the condition being true says the failed copy copied some bytes (<c>copied != 0</c>,
        /// <c>copied &gt; 0</c>: true) or none (<c>copied == 0</c>: false); <c>null</c> when it tests something else.
        /// </summary>
        private bool? CopiedSome(IOperation condition, int copied)
        {
            var stripped = FlowAnalysis.Strip(condition);
            if (stripped is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
            {
                return CopiedSome(not.Operand, copied) is bool inner ? !inner : null;
            }

            if (copied == 0 || stripped is not IBinaryOperation binary)
            {
                return null;
            }

            var left = FlowAnalysis.Strip(binary.LeftOperand);
            var right = FlowAnalysis.Strip(binary.RightOperand);
            var kind = binary.OperatorKind;
            if (!Holds(left, copied))
            {
                (left, right) = (right, left);
                kind = OperandRanges.Flip(kind);
            }

            if (!Holds(left, copied) || !right.ConstantValue.HasValue || FlowAnalysis.ToLong(right.ConstantValue.Value) != 0)
            {
                return null;
            }

            return kind switch
            {
                BinaryOperatorKind.NotEquals or BinaryOperatorKind.GreaterThan => true,
                BinaryOperatorKind.Equals => false,
                _ => null,
            };
        }

        /// <summary>The condition's value when the access failed, or <c>null</c> when it does not decide.</summary>
        private bool? Evaluate(IOperation condition, int failed, int depth)
        {
            var stripped = FlowAnalysis.Strip(condition);
            if (depth > 8)
            {
                return null;
            }

            if (stripped is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
            {
                return Evaluate(not.Operand, failed, depth + 1) is bool inner ? !inner : null;
            }

            if (stripped is not IBinaryOperation binary)
            {
                return null;
            }

            var left = FlowAnalysis.Strip(binary.LeftOperand);
            var right = FlowAnalysis.Strip(binary.RightOperand);
            bool flipped = false;
            if (!IsResult(left, failed) && IsResult(right, failed))
            {
                (left, right) = (right, left);
                flipped = true;
            }

            if (!IsResult(left, failed) || Constant(binary.RightOperand, binary.LeftOperand, flipped) is not long constant)
            {
                return null;
            }

            var kind = binary.OperatorKind;
            if (flipped)
            {
                kind = OperandRanges.Flip(kind);
            }

            if (errno)
            {
                const long efault = -14;
                return kind switch
                {
                    BinaryOperatorKind.Equals => efault == constant,
                    BinaryOperatorKind.NotEquals => efault != constant,
                    BinaryOperatorKind.LessThan => efault < constant,
                    BinaryOperatorKind.LessThanOrEqual => efault <= constant,
                    BinaryOperatorKind.GreaterThan => efault > constant,
                    BinaryOperatorKind.GreaterThanOrEqual => efault >= constant,
                    _ => null,
                };
            }

            // A byte count left uncopied: some positive number.
            if (constant != 0)
            {
                return null;
            }

            return kind switch
            {
                BinaryOperatorKind.Equals or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.LessThan => false,
                BinaryOperatorKind.NotEquals or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual => true,
                _ => null,
            };
        }

        private bool IsResult(IOperation operand, int failed) =>
            ReferenceEquals(operand, access.Operation) || Holds(operand, failed)
            || (operand is ISimpleAssignmentOperation assignment && IsResult(FlowAnalysis.Strip(assignment.Value), failed));

        private static long? Constant(IOperation right, IOperation left, bool flipped)
        {
            var operand = flipped ? left : right;
            return operand.ConstantValue.HasValue ? FlowAnalysis.ToLong(operand.ConstantValue.Value) : null;
        }
    }
}
