namespace UserAccess.Analyzers;

/// <summary>
/// The keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that the code fixes read
/// (and one location the user is shown, <see cref="OriginLocation"/>); a fact no fix reads is not sent.
/// Keys ending in <c>Location</c> hold the index (as a string) of a location in
/// <see cref="Microsoft.CodeAnalysis.Diagnostic.AdditionalLocations"/>; the others hold values.
/// A key is present only when the rule knows the value.
/// </summary>
public static class DiagnosticProperties
{
    /// <summary>Index of the call that entered the region (<c>PagefaultDisable()</c>, <c>lk.Lock()</c>, <c>NoFault()</c>).</summary>
    public const string RegionStartLocation = "RegionStartLocation";

    /// <summary>Index of the call that leaves that region (<c>PagefaultEnable()</c>), when there is one.</summary>
    public const string RegionEndLocation = "RegionEndLocation";

    /// <summary>Index of the user access the fix wraps (the nofault access for UA1002, the faulting access for UA2002).</summary>
    public const string AccessLocation = "AccessLocation";

    /// <summary>Index of the call that took the lock.</summary>
    public const string LockAcquireLocation = "LockAcquireLocation";

    /// <summary>Index of the call that releases the lock, when there is one.</summary>
    public const string LockReleaseLocation = "LockReleaseLocation";

    /// <summary>Index of the call that produced the misused value (UA5002: the copy), a location shown with the diagnostic.</summary>
    public const string OriginLocation = "OriginLocation";

    /// <summary>The lock as the code names it: <c>mm.MmapLock</c>.</summary>
    public const string LockExpression = "LockExpression";

    /// <summary>"true" when the lock is (or must be) held for read.</summary>
    public const string LockShared = "LockShared";

    /// <summary>"Read", "Write" or "ReadWrite": what the access does.</summary>
    public const string AccessKind = "AccessKind";

    /// <summary>The pointer expression to check (UA5003).</summary>
    public const string PointerExpression = "PointerExpression";

    /// <summary>The size in bytes the check must cover (UA5003), when known.</summary>
    public const string AccessSize = "AccessSize";

    // ---- UA3xxx / UA4xxx (issue 4). They also set Callee; UA3001 sets PointerExpression and AccessLocation (the
    // atomic op), UA3002 AccessLocation (the bit op), UA3003 PointerExpression, UA4001/UA4002 AccessLocation and the
    // FaultInMethod/FaultInMethodId/AccessKind of the access, UA4003 AccessLocation (the access that walks the buffer). ----

    /// <summary>UA3001: the alignment the check must prove: a number of bytes ("8") or the size variable's name ("size").</summary>
    public const string AlignmentExpression = "AlignmentExpression";

    /// <summary>UA3002: the size argument of the bit operation, as written.</summary>
    public const string BitOperationSize = "BitOperationSize";

    /// <summary>UA3002: the bit argument of the bit operation, as written.</summary>
    public const string BitOperationBit = "BitOperationBit";

    /// <summary>UA3002: what the fix must validate: "Size", "Bit" or "SizeAndBit".</summary>
    public const string BitValidationMissing = "BitValidationMissing";

    /// <summary>UA3003: index of the first read of the location (the one whose copy the fix reuses).</summary>
    public const string FirstFetchLocation = "FirstFetchLocation";

    /// <summary>UA3003: the local the first read stored its value in (the copy to reuse).</summary>
    public const string FirstFetchLocal = "FirstFetchLocal";

    /// <summary>UA3003: the local the second read stores its value in (whose uses the fix replaces).</summary>
    public const string SecondFetchLocal = "SecondFetchLocal";

    /// <summary>UA3003: "true" when the two reads are two loops' walks of one buffer from the same start (each read once per round).</summary>
    public const string WalkedTwice = "WalkedTwice";

    /// <summary>UA3003: the second read is in the method the call hands the pointer to ("true").</summary>
    public const string RefetchedByCallee = "RefetchedByCallee";

    /// <summary>Index of the fault-in or fixup call the rule is about: UA4001 the prefault, UA4002 the fault-in whose result the loop ignores, UA4004 the fault-in tested all-or-nothing.</summary>
    public const string FaultInLocation = "FaultInLocation";

    /// <summary>UA4002: index of the access after which a checked fault-in belongs (set when the loop has none).</summary>
    public const string InsertAfterLocation = "InsertAfterLocation";

    /// <summary>UA4002, with <see cref="InsertAfterLocation"/>: index of a read of the written word that the loop uses as its fault-in (<c>GetUser(out dummy, uaddr)</c>).</summary>
    public const string ReadProbeLocation = "ReadProbeLocation";

    /// <summary>
    /// UA4002: "true" when the loop advances through the user buffer (a pointer or offset of its
    /// accesses or fault-ins moves on, as UA4004 sees it): a bytes-not-faulted-in result tested
    /// <c>!= 0</c> there gives up on partial progress.
    /// </summary>
    public const string AdvancingLoop = "AdvancingLoop";

    /// <summary>UA4003: index of the loop body (the statement; a block starts with '{').</summary>
    public const string LoopBodyLocation = "LoopBodyLocation";

    /// <summary>UA4003: the local the loop stores its status in (<c>status</c>), when it has one holding errnos.</summary>
    public const string StatusVariable = "StatusVariable";

    /// <summary>UA4004: the full size the fault-in was asked for (the expression to compare the result with).</summary>
    public const string FullSizeExpression = "FullSizeExpression";

    /// <summary>UA2004: "true" when the guarding lock is held (in some mode, or on some path) at the access: taking it again would deadlock.</summary>
    public const string LockHeld = "LockHeld";

    /// <summary>UA4005: the name of the sub-page variant of the fault-in (<c>[FaultsIn(SubPage = true)]</c>, same type, kind and parameters), when there is one.</summary>
    public const string SubPageFaultIn = "SubPageFaultIn";
}
