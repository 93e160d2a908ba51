using System.Collections.Immutable;

namespace UserAccess.Analyzers.Engine;

/// <summary>The fixed point of a forward pass: the input state of each block, and whether it was reached.</summary>
/// <typeparam name="T">The lattice element.</typeparam>
internal sealed class DataflowResult<T>
    where T : class
{
    public DataflowResult(ImmutableArray<T?> blockInputs, bool converged)
    {
        BlockInputs = blockInputs;
        Converged = converged;
    }

    /// <summary>The state at the entry of each block (by ordinal); <c>null</c>: unreachable.</summary>
    public ImmutableArray<T?> BlockInputs { get; }

    /// <summary>
    /// The worklist emptied within the budget. When it did not, the inputs are not a fixed point: a
    /// path may carry a state they do not cover, and nothing may be concluded from them.
    /// </summary>
    public bool Converged { get; }
}
