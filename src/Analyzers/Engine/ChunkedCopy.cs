using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// A loop that is one copy cut into chunks: every round only moves bytes between the user buffer and
/// kernel buffers of a fixed size that exist before the loop (a chunk array of a constant length, the
/// ring a kernel object holds), and its kernel side does not walk. Such a loop costs what one
/// <c>copy_to_user()</c> or <c>copy_from_user()</c> of the same length costs, and a single copy is not
/// killable either: its only waits are the page faults on the user side, and a fault that has to wait
/// gives up for a killed task. The kernel leaves these loops without a fatal-signal test
/// (HiSax_readstatus() draining its status ring, do_pages_stat() copying 16 entries in and out around
/// its locked walk). The loops it made killable reach further on every round: a page-cache page, physical
/// or device memory, a DAX mapping or an argument page at a position the loop advances
/// (do_generic_file_read(), read_mem(), read_kmem(), dax_iomap_actor(), copy_strings()), or a scheduling
/// point (count()'s cond_resched()).
/// </summary>
internal static class ChunkedCopy
{
    /// <summary>
    /// Whether every round of <paramref name="loop"/> is a chunk of one copy: every user access in it copies
    /// to or from a fixed kernel buffer (<see cref="FixedKernelBuffer"/>; an access with no kernel buffer,
    /// <c>get_user()</c> of one value or <c>clear_user()</c>, is not a chunk of a copy), no call in it but a
    /// fault-in of the user's memory (the wait one copy's faults would have) sleeps by its own declaration (<c>[MightSleep]</c>; a lock taken around the round's
    /// work is another task's critical section, not work of this loop), and no call of kernel code in it is
    /// given a value the loop advances (the kernel side does not walk).
    /// </summary>
    public static bool EveryRoundIsAChunk(MethodAnalysis analysis, LoopFacts facts, LoopInfo loop)
    {
        bool copies = false;
        foreach (var call in analysis.Calls)
        {
            if (facts.PositionOf(call.Operation) is not { } position || !loop.Contains(position.Block))
            {
                continue;
            }

            var effects = call.Effects;
            if (effects.Annotations.MightSleep && effects.Sleep == SleepKind.Always && effects.Acquires.IsEmpty && effects.Annotations.UserAccessKind is null && !effects.IsFaultIn)
            {
                return false;
            }

            if (effects.Annotations.UserAccessKind is null)
            {
                continue;
            }

            bool buffer = false;
            foreach (var argument in effects.Arguments)
            {
                if (AlignmentFacts.IsUserPtr(argument.Parameter?.Type) || argument.Parameter?.Type is not { } type || !IsBuffer(type))
                {
                    continue;
                }

                if (!FixedKernelBuffer(facts, loop, argument.Value))
                {
                    return false;
                }

                buffer = true;
            }

            if (!buffer)
            {
                return false;
            }

            copies = true;
        }

        return copies && !KernelSideWalks(analysis, facts, loop);
    }

    /// <summary>
    /// A kernel buffer the loop does not replace, of a size fixed before it: a local assigned once before
    /// the loop an array of a constant length (<c>chunk_pages[DO_PAGES_STAT_CHUNK_NR]</c>), or an array field
    /// of a kernel object (<c>cs-&gt;status_buf</c>, a ring allocated with the object), or a slice of either at
    /// any offset (a slice cannot reach past the buffer). A parameter is the caller's buffer, of the caller's size.
    /// </summary>
    private static bool FixedKernelBuffer(LoopFacts facts, LoopInfo loop, IOperation value)
    {
        var stripped = FlowAnalysis.Strip(value);
        if (stripped is IInvocationOperation { TargetMethod.Name: "AsSpan" or "Slice" } slice && IsSystem(slice.TargetMethod))
        {
            var receiver = slice.Instance ?? (slice.Arguments.Length > 0 ? slice.Arguments[0].Value : null);
            return receiver is not null && FixedKernelBuffer(facts, loop, receiver);
        }

        switch (stripped)
        {
            case ILocalReferenceOperation local when stripped.Type is IArrayTypeSymbol:
                return !facts.Assigns(loop, local.Local)
                    && facts.SoleDefinitionOutside(loop, local.Local) is { } definition
                    && FlowAnalysis.Strip(definition) is IArrayCreationOperation { DimensionSizes: { Length: 1 } sizes } && sizes[0].ConstantValue.HasValue;
            case IFieldReferenceOperation { Field.IsStatic: false, Instance.Type.IsReferenceType: true } field when stripped.Type is IArrayTypeSymbol:
                return !facts.Assigns(loop, field.Field);
            default:
                return false;
        }
    }

    /// <summary>
    /// A call of kernel code in the loop (not a user access or a fault-in of the user's memory, not the .NET library's span and arithmetic
    /// helpers that C writes as memcpy and min(), not a user pointer's own arithmetic) is given a value
    /// the loop advances: the round reaches kernel memory at a position that moves with the copy
    /// (<c>find_get_page(mapping, index)</c>, <c>xlate_dev_mem_ptr(p)</c>, <c>vread(kbuf, p, sz)</c>).
    /// </summary>
    private static bool KernelSideWalks(MethodAnalysis analysis, LoopFacts facts, LoopInfo loop)
    {
        var accesses = new HashSet<IOperation>();
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Annotations.UserAccessKind is not null || call.Effects.IsFaultIn)
            {
                accesses.Add(call.Operation);
            }
        }

        // Every invocation, not only the recorded ones: a helper with no annotation and an empty summary
        // (a page-cache lookup stub) still reaches kernel memory at the position it is given.
        var read = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var blocks = facts.Graph.Blocks;
        for (int i = 0; i < blocks.Length; i++)
        {
            if (!loop.Contains(i))
            {
                continue;
            }

            var roots = new List<IOperation>(blocks[i].Operations);
            if (blocks[i].BranchValue is { } branch)
            {
                roots.Add(branch);
            }

            foreach (var root in roots)
            {
                foreach (var operation in root.DescendantsAndSelf())
                {
                    if (operation is not IInvocationOperation invocation || accesses.Contains(invocation)
                        || IsSystem(invocation.TargetMethod) || AlignmentFacts.IsUserPtr(invocation.TargetMethod.ContainingType)
                        || AlignmentFacts.IsUserPtr(invocation.TargetMethod.ReturnType))
                    {
                        continue;
                    }

                    read.Clear();
                    foreach (var argument in invocation.Arguments)
                    {
                        LoopFacts.SymbolsIn(argument.Value, read);
                    }

                    LoopFacts.SymbolsIn(invocation.Instance, read);
                    foreach (var symbol in read)
                    {
                        if (loop.Advanced.Contains(symbol))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    private static bool IsBuffer(ITypeSymbol type) =>
        type is IArrayTypeSymbol
        || (type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", ContainingNamespace.Name: "System" });

    private static bool IsSystem(IMethodSymbol method)
    {
        for (var ns = method.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            if (ns.ContainingNamespace is { IsGlobalNamespace: true } && ns.Name == "System")
            {
                return true;
            }
        }

        return false;
    }
}
