using Microsoft.CodeAnalysis.FlowAnalysis;

namespace UserAccess.Analyzers.Engine;

/// <summary>The transfer functions the forward driver applies: through a block, and onto a conditional edge.</summary>
/// <typeparam name="T">The lattice element.</typeparam>
internal interface IBlockTransfer<T>
{
    /// <summary>The state after the block's operations and its branch value.</summary>
    T Transfer(BasicBlock block, T input);

    /// <summary>
    /// <see cref="Transfer"/> for a side run that is not the block's visit (a finally run for one of the
    /// edges that enter it): whatever the transfer records of a visit is left as it was.
    /// </summary>
    T TransferUnrecorded(BasicBlock block, T input);

    /// <summary>The state on the edge where the block's branch value took <paramref name="value"/>.</summary>
    T Refine(BasicBlock block, T output, bool value);
}
