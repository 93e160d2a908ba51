using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// Locals assigned once from a member chain (<c>var mm = task.Mm;</c>): lock identity looks through
/// them. A local assigned once from a call (<c>mm = GetTaskMm(task);</c>) keeps the call, so that lock
/// identity can ask what the callee returns. A local assigned once a new array (<c>var kdata = new
/// byte[32];</c>) keeps the creation, so that a copy into it knows its length. A second, different
/// assignment (or an out/ref/compound write) makes the local its own identity. Flow-insensitive: one
/// table per method, filled as the pass meets the assignments.
/// </summary>
internal sealed class LocalAliases : ILocalAliases
{
    private readonly NoteReads reads;

    // Made on the first assignment of a local or watched read: many methods assign none. A local read
    // before its first assignment is kept (not Assigned) so that the assignment tells the reads it came late.
    private Dictionary<ILocalSymbol, Alias>? aliases;

    public LocalAliases(NoteReads reads) => this.reads = reads;

    public IOperation? AliasOf(ILocalSymbol local)
    {
        if (aliases is not null && aliases.TryGetValue(local, out var known))
        {
            if (reads.Watching && !known.Read)
            {
                aliases[local] = new Alias(known.Value, known.Assigned, true);
            }

            return known.Value;
        }

        if (reads.Watching)
        {
            (aliases ??= new(SymbolEqualityComparer.Default))[local] = new Alias(null, false, true);
        }

        return null;
    }

    /// <summary>Notes that <paramref name="assigned"/> was written with <paramref name="value"/> (<c>null</c>: anything else).</summary>
    public void Note(ISymbol assigned, IOperation? value)
    {
        if (assigned is not ILocalSymbol local)
        {
            return;
        }

        aliases ??= new Dictionary<ILocalSymbol, Alias>(SymbolEqualityComparer.Default);
        bool chain = value is IParameterReferenceOperation or ILocalReferenceOperation or IFieldReferenceOperation
            or IPropertyReferenceOperation { Arguments.Length: 0 } or IInvocationOperation or IArrayCreationOperation;
        aliases.TryGetValue(local, out var known);
        IOperation? next;
        if (!known.Assigned)
        {
            next = chain ? value : null;
        }
        else if (!ReferenceEquals(known.Value, value))
        {
            next = null;
        }
        else
        {
            return;
        }

        if (known.Read && !ReferenceEquals(known.Value, next))
        {
            reads.ChangedAfterRead();
        }

        aliases[local] = new Alias(next, true, known.Read);
    }

    private readonly struct Alias
    {
        public Alias(IOperation? value, bool assigned, bool read)
        {
            Value = value;
            Assigned = assigned;
            Read = read;
        }

        public IOperation? Value { get; }

        /// <summary>The local was assigned (else the entry only says it was read).</summary>
        public bool Assigned { get; }

        public bool Read { get; }
    }
}
