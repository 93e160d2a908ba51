using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// Locals assigned once from a member chain (<c>var mm = task.Mm;</c>): lock identity looks through
/// them. A local assigned once from a call (<c>mm = GetTaskMm(task);</c>) keeps the call, so that lock
/// identity can ask what the callee returns. A second, different assignment (or an out/ref/compound
/// write) makes the local its own identity. Flow-insensitive: one table per method, filled as the pass
/// meets the assignments.
/// </summary>
internal sealed class LocalAliases : ILocalAliases
{
    // Made on the first assignment of a local: many methods assign none.
    private Dictionary<ILocalSymbol, IOperation?>? aliases;

    public IOperation? AliasOf(ILocalSymbol local) => aliases is not null && aliases.TryGetValue(local, out var value) ? value : null;

    /// <summary>Notes that <paramref name="assigned"/> was written with <paramref name="value"/> (<c>null</c>: anything else).</summary>
    public void Note(ISymbol assigned, IOperation? value)
    {
        if (assigned is not ILocalSymbol local)
        {
            return;
        }

        aliases ??= new Dictionary<ILocalSymbol, IOperation?>(SymbolEqualityComparer.Default);
        bool chain = value is IParameterReferenceOperation or ILocalReferenceOperation or IFieldReferenceOperation
            or IPropertyReferenceOperation { Arguments.Length: 0 } or IInvocationOperation;
        if (!aliases.TryGetValue(local, out var known))
        {
            aliases[local] = chain ? value : null;
        }
        else if (!ReferenceEquals(known, value))
        {
            aliases[local] = null;
        }
    }
}
