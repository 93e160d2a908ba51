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
    // Made on the first note: most methods capture no symbol and no tracked value.
    private Dictionary<CaptureId, ISymbol>? symbols;
    private Dictionary<CaptureId, (ValueKinds Kinds, IOperation? Origin)>? values;

    public void NoteSymbol(CaptureId id, ISymbol symbol) => (symbols ??= new())[id] = symbol;

    public ISymbol? SymbolOf(CaptureId id) => symbols is not null && symbols.TryGetValue(id, out var symbol) ? symbol : null;

    /// <summary>Adds a value the capture may hold (kinds as a union, the earliest call as the witness).</summary>
    public void NoteValue(CaptureId id, ValueKinds kinds, IOperation? origin)
    {
        values ??= new();
        values[id] = values.TryGetValue(id, out var known)
            ? (known.Kinds | kinds, Witness.Earliest(known.Origin, origin))
            : (kinds, origin);
    }

    public bool TryGetValue(CaptureId id, out (ValueKinds Kinds, IOperation? Origin) value)
    {
        if (values is null)
        {
            value = default;
            return false;
        }

        return values.TryGetValue(id, out value);
    }
}
