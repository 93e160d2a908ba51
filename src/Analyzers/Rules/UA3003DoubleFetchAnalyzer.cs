using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.Analyzers;

/// <summary>
/// UA3003: a double fetch. Two reads (<c>[UserAccess(Read)]</c> calls that store what they read in a local:
/// an <c>out</c> argument, or the array behind the destination span) of the same user location — the same
/// pointer variable (never reassigned in the method) at the same constant offset, through
/// <c>Cast</c>/<c>Untagged</c>/<c>p + k</c> — where the first read dominates a condition that tests its
/// value, that condition dominates the second read, and the second read's value is used after it. The
/// user can change the memory between the reads: the checked value and the used one may differ.
/// Reported on the second read. Silent when it cannot tell: a pointer that is reassigned anywhere, a
/// pointer reached through another object's field, a location read once per loop round (the same call).
/// </summary>
public sealed class UA3003DoubleFetchAnalyzer : RuleAnalyzer
{
    private const int MaxReads = 32;

    internal static readonly DiagnosticDescriptor Rule = new(
        DiagnosticIds.DoubleFetch,
        "Double fetch of the same user location",
        "'{0}' reads '{1}' again after the value read first was checked: user space can change it in between; use the first copy '{2}'",
        "UserAccess.Atomics",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Time-of-check to time-of-use: memory shared with user space can change between two reads. Read once into kernel memory, check that copy and use that copy.",
        helpLinkUri: HelpLink(DiagnosticIds.DoubleFetch));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    private protected override void Analyze(CompilationEngine engine, MethodAnalysis analysis, Action<Diagnostic> report)
    {
        var reads = new List<Fetch>();
        foreach (var call in analysis.Calls)
        {
            if (reads.Count < MaxReads && Fetch.Of(call) is { } fetch)
            {
                reads.Add(fetch);
            }
        }

        if (reads.Count < 2 || !HasSameLocation(reads))
        {
            return;
        }

        var facts = analysis.Loops;
        HashSet<ISymbol>? written = null;
        foreach (var second in reads)
        {
            foreach (var first in reads)
            {
                if (ReferenceEquals(first, second) || !first.SameLocation(second)
                    || facts.PositionOf(first.Call.Operation) is not { } p1 || facts.PositionOf(second.Call.Operation) is not { } p2
                    || !facts.Dominates(p1, p2))
                {
                    continue;
                }

                written ??= WrittenSymbols(facts);
                var fromFirst = DerivedFrom(facts, first.Destination);
                if (written.Contains(first.Root) || !IsCheckedBetween(facts, fromFirst, p1, p2) || !IsUsedAfter(facts, second.Destination, p2)
                    || IsRevalidated(facts, second, p2, fromFirst))
                {
                    continue;
                }

                report(new DiagnosticData()
                    .Property(DiagnosticProperties.Callee, second.Call.Effects.Method.Name)
                    .Property(DiagnosticProperties.FirstFetchLocal, first.Destination.Name)
                    .Property(DiagnosticProperties.SecondFetchLocal, second.Destination.Name)
                    .Property(DiagnosticProperties.PointerExpression, second.PointerText)
                    .Location(DiagnosticProperties.FirstFetchLocation, first.Call.Operation)
                    .Create(Rule, second.Call.Operation, second.Call.Effects.Name, second.PointerText, first.Destination.Name));
                break;
            }
        }
    }

    private static bool HasSameLocation(List<Fetch> reads)
    {
        for (int i = 0; i < reads.Count; i++)
        {
            for (int j = i + 1; j < reads.Count; j++)
            {
                if (reads[i].SameLocation(reads[j]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Variables assigned anywhere in the method other than by their declaration.</summary>
    private static HashSet<ISymbol> WrittenSymbols(LoopFacts facts)
    {
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var declared = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var block in facts.Graph.Blocks)
        {
            foreach (var root in block.Operations)
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    ISymbol? target = operation switch
                    {
                        ISimpleAssignmentOperation assignment => FlowAnalysis.SymbolOf(assignment.Target),
                        ICompoundAssignmentOperation compound => FlowAnalysis.SymbolOf(compound.Target),
                        IIncrementOrDecrementOperation increment => FlowAnalysis.SymbolOf(increment.Target),
                        IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument => FlowAnalysis.SymbolOf(argument.Value),
                        _ => null,
                    };
                    if (target is null)
                    {
                        continue;
                    }

                    // The first assignment of a local is its declaration (the graph lowers initializers to assignments).
                    if (operation is ISimpleAssignmentOperation && target is ILocalSymbol && declared.Add(target))
                    {
                        continue;
                    }

                    written.Add(target);
                }
            }
        }

        return written;
    }

    /// <summary>A branch whose condition reads one of <paramref name="values"/>, after the first read and before the second on every path.</summary>
    private static bool IsCheckedBetween(LoopFacts facts, HashSet<ISymbol> values, GraphPosition first, GraphPosition second)
    {
        foreach (var block in facts.Graph.Blocks)
        {
            if (block.BranchValue is not { } condition || !ReadsAny(condition, values))
            {
                continue;
            }

            var at = new GraphPosition(block.Ordinal, block.Operations.Length);
            if (facts.Dominates(first, at) && facts.Dominates(at, second))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first copy and the values computed from it (<c>outsize = cmd.outsize</c>, <c>osize = size = hdr.size + 32</c>):
    /// the kernel checks the derived value and uses the second copy's field.
    /// </summary>
    private static HashSet<ISymbol> DerivedFrom(LoopFacts facts, ISymbol destination)
    {
        var derived = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { destination };
        for (int round = 0; round < 4; round++)
        {
            bool grew = false;
            foreach (var block in facts.Graph.Blocks)
            {
                foreach (var root in block.Operations)
                {
                    foreach (var operation in root.DescendantsAndSelf())
                    {
                        if (operation is ISimpleAssignmentOperation assignment && FlowAnalysis.SymbolOf(assignment.Target) is ILocalSymbol local
                            && !derived.Contains(local) && ReadsAny(assignment.Value, derived))
                        {
                            grew |= derived.Add(local);
                        }
                    }
                }
            }

            if (!grew)
            {
                break;
            }
        }

        return derived;
    }

    /// <summary>
    /// After the second read, a condition compares the second copy with the first or a value checked from it
    /// ("Sanity check the second copy", "Ensure desc has not changed between the two reads"): what is used
    /// was re-validated.
    /// </summary>
    private static bool IsRevalidated(LoopFacts facts, Fetch second, GraphPosition fetch, HashSet<ISymbol> fromFirst)
    {
        var others = new HashSet<ISymbol>(fromFirst, SymbolEqualityComparer.Default);
        others.Remove(second.Destination);
        foreach (var block in facts.Graph.Blocks)
        {
            if (block.BranchValue is not { } condition || Contains(condition, second.Call.Operation) || !Compares(condition, second.Destination, others))
            {
                continue;
            }

            if (facts.Dominates(fetch, new GraphPosition(block.Ordinal, block.Operations.Length)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The condition compares a value read from <paramref name="copy"/> with one of <paramref name="others"/>: an
    /// equality or relational operator, or a test call (<c>SequenceEqual</c>) with them on different sides.</summary>
    private static bool Compares(IOperation condition, ISymbol copy, HashSet<ISymbol> others)
    {
        var mine = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { copy };
        foreach (var operation in condition.DescendantsAndSelf())
        {
            var sides = new List<IOperation>();
            if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan
                or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } binary)
            {
                sides.Add(binary.LeftOperand);
                sides.Add(binary.RightOperand);
            }
            else if (operation is IInvocationOperation { TargetMethod.ReturnType.SpecialType: SpecialType.System_Boolean } test)
            {
                if (test.Instance is { } instance)
                {
                    sides.Add(instance);
                }

                foreach (var argument in test.Arguments)
                {
                    sides.Add(argument.Value);
                }
            }

            for (int i = 0; i < sides.Count; i++)
            {
                for (int j = 0; j < sides.Count; j++)
                {
                    if (i != j && ReadsAny(sides[i], mine) && ReadsAny(sides[j], others) && !ReadsAny(sides[j], mine))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool Contains(IOperation root, IOperation operation)
    {
        foreach (var descendant in root.DescendantsAndSelf())
        {
            if (ReferenceEquals(descendant, operation))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ReadsAny(IOperation root, HashSet<ISymbol> values)
    {
        foreach (var value in values)
        {
            if (Reads(root, value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The second value is read somewhere the second fetch dominates (not by the fetch itself).</summary>
    private static bool IsUsedAfter(LoopFacts facts, ISymbol value, GraphPosition fetch)
    {
        foreach (var block in facts.Graph.Blocks)
        {
            for (int index = 0; index <= block.Operations.Length; index++)
            {
                var root = index < block.Operations.Length ? block.Operations[index] : block.BranchValue;
                if (root is null || (block.Ordinal == fetch.Block && index <= fetch.Index))
                {
                    continue;
                }

                if (Reads(root, value) && facts.Dominates(fetch, new GraphPosition(block.Ordinal, index)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Reads(IOperation root, ISymbol value)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is ILocalReferenceOperation or IParameterReferenceOperation
                && SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(operation), value)
                && !(operation.Parent is ISimpleAssignmentOperation assignment && ReferenceEquals(assignment.Target, operation))
                && operation.Parent is not IArgumentOperation { Parameter.RefKind: RefKind.Out })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One read of user memory: where (root variable, offset) and into which local.</summary>
    private sealed class Fetch
    {
        private Fetch(CallSite call, ISymbol root, long offset, ISymbol destination, string pointerText)
        {
            Call = call;
            Root = root;
            Offset = offset;
            Destination = destination;
            PointerText = pointerText;
        }

        public CallSite Call { get; }

        public ISymbol Root { get; }

        public long Offset { get; }

        public ISymbol Destination { get; }

        public string PointerText { get; }

        public bool SameLocation(Fetch other) =>
            Offset == other.Offset && SymbolEqualityComparer.Default.Equals(Root, other.Root);

        public static Fetch? Of(CallSite call)
        {
            var annotations = call.Effects.Annotations;
            if (annotations.UserAccessKind != UserAccessKind.Read || annotations.UserAccessPointer is not { } pointerName)
            {
                return null;
            }

            var method = call.Effects.Method;
            var pointer = FlowAnalysis.ArgumentFor(method, call.Effects.Arguments, pointerName);
            if (pointer is null || AlignmentFacts.Root(pointer, out long offset) is not { } root)
            {
                return null;
            }

            ISymbol? destination = null;
            foreach (var argument in call.Effects.Arguments)
            {
                if (argument.Parameter is { RefKind: RefKind.Out })
                {
                    // out var v: the declaration names the local.
                    var value = argument.Value is IDeclarationExpressionOperation declaration ? declaration.Expression : argument.Value;
                    destination = FlowAnalysis.SymbolOf(value);
                }
                else if (argument.Parameter is { } parameter && parameter.Name == annotations.UserAccessSize && Array(argument.Value) is { } array)
                {
                    destination = array;
                }
            }

            // memdup_user(): the copy is the result, stored in a local.
            if (destination is null && call.Operation.Parent is ISimpleAssignmentOperation { Target: { } target } && target.Type is IArrayTypeSymbol)
            {
                destination = FlowAnalysis.SymbolOf(target);
            }

            return destination is ILocalSymbol or IParameterSymbol
                ? new Fetch(call, root, offset, destination, FlowAnalysis.Strip(pointer).Syntax.ToString())
                : null;
        }

        /// <summary>The array local behind a destination span (<c>buf</c>, <c>buf.AsSpan(0, n)</c>).</summary>
        private static ISymbol? Array(IOperation value)
        {
            var stripped = FlowAnalysis.Strip(value);
            if (stripped is IInvocationOperation { Instance: { } instance })
            {
                stripped = FlowAnalysis.Strip(instance);
            }
            else if (stripped is IInvocationOperation { Arguments.Length: > 0 } extension && extension.TargetMethod.IsExtensionMethod)
            {
                stripped = FlowAnalysis.Strip(extension.Arguments[0].Value);
            }

            return FlowAnalysis.SymbolOf(stripped) is { } symbol && stripped.Type is IArrayTypeSymbol ? symbol : null;
        }
    }
}
