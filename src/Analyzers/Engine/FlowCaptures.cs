using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What the graph's flow captures stand for. The graph captures an assignment's target before a
/// conditional value (<c>ret = c ? a : b</c>): the capture names the local, so the assignment still
/// updates it. The values captured for a conditional expression (<c>return ret != 0 ? -EFAULT : 0</c>)
/// are the union over the branches, so a return of the capture is an error path.
/// </summary>
internal sealed class FlowCaptures
{
    private readonly NoteReads reads;

    // Made on the first note or watched read: most methods capture no symbol and no tracked value.
    // An entry read before it was noted is kept (not Known) so that the note tells the reads it came late.
    private Dictionary<CaptureId, CapturedSymbol>? symbols;
    private Dictionary<CaptureId, CapturedValue>? values;

    public FlowCaptures(NoteReads reads) => this.reads = reads;

    public void NoteSymbol(CaptureId id, ISymbol symbol)
    {
        symbols ??= new();
        bool read = symbols.TryGetValue(id, out var known) && known.Read;
        if (read && !ReferenceEquals(known.Symbol, symbol))
        {
            reads.ChangedAfterRead();
        }

        symbols[id] = new CapturedSymbol(symbol, read);
    }

    public ISymbol? SymbolOf(CaptureId id)
    {
        if (!reads.Watching)
        {
            return symbols is not null && symbols.TryGetValue(id, out var noted) ? noted.Symbol : null;
        }

        symbols ??= new();
        if (symbols.TryGetValue(id, out var known))
        {
            if (!known.Read)
            {
                symbols[id] = new CapturedSymbol(known.Symbol, true);
            }

            return known.Symbol;
        }

        symbols[id] = new CapturedSymbol(null, true);
        return null;
    }

    /// <summary>Adds a value the capture may hold (kinds as a union, the earliest call as the witness).</summary>
    public void NoteValue(CaptureId id, ValueKinds kinds, IOperation? origin)
    {
        values ??= new();
        CapturedValue next;
        if (values.TryGetValue(id, out var known) && known.Known)
        {
            next = new CapturedValue(known.Kinds | kinds, Witness.Earliest(known.Origin, origin), true, known.Read);
            if (known.Read && (next.Kinds != known.Kinds || !ReferenceEquals(next.Origin, known.Origin)))
            {
                reads.ChangedAfterRead();
            }
        }
        else
        {
            next = new CapturedValue(kinds, origin, true, known.Read);
            if (known.Read)
            {
                reads.ChangedAfterRead();
            }
        }

        values[id] = next;
    }

    public bool TryGetValue(CaptureId id, out (ValueKinds Kinds, IOperation? Origin) value)
    {
        if (values is not null && values.TryGetValue(id, out var known))
        {
            if (reads.Watching && !known.Read)
            {
                values[id] = new CapturedValue(known.Kinds, known.Origin, known.Known, true);
            }

            value = (known.Kinds, known.Origin);
            return known.Known;
        }

        if (reads.Watching)
        {
            (values ??= new())[id] = new CapturedValue(ValueKinds.None, null, false, true);
        }

        value = default;
        return false;
    }

    private readonly struct CapturedSymbol
    {
        public CapturedSymbol(ISymbol? symbol, bool read)
        {
            Symbol = symbol;
            Read = read;
        }

        public ISymbol? Symbol { get; }

        public bool Read { get; }
    }

    private readonly struct CapturedValue
    {
        public CapturedValue(ValueKinds kinds, IOperation? origin, bool known, bool read)
        {
            Kinds = kinds;
            Origin = origin;
            Known = known;
            Read = read;
        }

        public ValueKinds Kinds { get; }

        public IOperation? Origin { get; }

        /// <summary>A value was noted (else the entry only says it was read).</summary>
        public bool Known { get; }

        public bool Read { get; }
    }
}
