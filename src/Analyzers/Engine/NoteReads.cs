namespace UserAccess.Analyzers.Engine;

/// <summary>
/// Watches the flow-insensitive notes of a method's pass (<see cref="FlowCaptures"/>, <see cref="LocalAliases"/>)
/// while the fixed point records each block as it visits it. A block's record is made with the notes as they
/// were at its last visit, and its calls name their locks through the aliases as they were at its first; when a
/// note that was read changes afterwards, the states and records that followed from it may be stale, and the
/// fixed point runs again on the final notes.
/// </summary>
internal sealed class NoteReads
{
    /// <summary>Reads are watched: the fixed point is running. Off afterwards, so the notes are only read.</summary>
    public bool Watching { get; set; } = true;

    /// <summary>A note changed after it was read: the records made during the fixed point cannot be trusted.</summary>
    public bool Stale { get; private set; }

    public void ChangedAfterRead() => Stale = true;
}
