using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// A table keyed by operation identity that hashes the operation's place in the source instead of
/// the object. An operation has no hash of its own: a dictionary of operations asks the runtime for
/// the object's identity hash, which it computes and stores in the object on first use, and that was
/// the largest part of looking a call's effects up while a method's graph is walked to a fixed point.
/// </summary>
/// <typeparam name="TValue">What is kept for each operation.</typeparam>
internal sealed class OperationTable<TValue>
{
    private readonly Dictionary<long, Entry> entries = new();

    /// <summary>What is kept for this very operation, if anything.</summary>
    public bool TryGetValue(IOperation operation, out TValue value)
    {
        if (entries.TryGetValue(KeyOf(operation), out var entry))
        {
            for (; entry is not null; entry = entry.Next)
            {
                if (ReferenceEquals(entry.Operation, operation))
                {
                    value = entry.Value;
                    return true;
                }
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> for the operation, replacing what was kept for it.</summary>
    public void Set(IOperation operation, TValue value)
    {
        long key = KeyOf(operation);
        entries.TryGetValue(key, out var first);
        for (var entry = first; entry is not null; entry = entry.Next)
        {
            if (ReferenceEquals(entry.Operation, operation))
            {
                entry.Value = value;
                return;
            }
        }

        // Operations that share a syntax node (an implicit conversion and its operand) share a chain.
        entries[key] = new Entry(operation, value, first);
    }

    private static long KeyOf(IOperation operation)
    {
        var span = operation.Syntax.FullSpan;
        return ((long)span.Start << 32) | (uint)span.Length;
    }

    private sealed class Entry
    {
        public Entry(IOperation operation, TValue value, Entry? next)
        {
            Operation = operation;
            Value = value;
            Next = next;
        }

        public IOperation Operation { get; }

        public TValue Value { get; set; }

        public Entry? Next { get; }
    }
}
