namespace UserAccess.CodeFixes.Support;

/// <summary>
/// Why a fix offers no code action for a diagnostic: the shapes where the rewrite a kernel expert
/// would write cannot be produced from what is known. The list is closed: each fix declines with one
/// of these, its no-fix tests assert which, and each rule page lists the ones its fix uses.
/// </summary>
internal enum DeclineReason
{
    /// <summary>
    /// The reported code is no longer where the diagnostic said (the document changed under the fix).
    /// Defensive: a diagnostic computed on the document the fix reads always finds its code, so no test
    /// reaches it; it guards a fix invoked on a stale diagnostic.
    /// </summary>
    CodeChanged = 1,

    /// <summary>
    /// The engine has no analysis of the method (half-typed code, or no annotated API in it).
    /// Defensive: a rule reports only in a method the engine analysed, so no test reaches it; it guards a
    /// fix invoked on a stale diagnostic or a pass that no longer converges on the current document.
    /// </summary>
    NotAnalysed,

    /// <summary>The ignored result initialises a local that nothing reads: checking the call instead would remove the declaration, which later code may still name.</summary>
    ResultDeclaredUnread,

    /// <summary>The reported code is not a statement of a block (an embedded statement, an expression body, a lambda).</summary>
    NotAStatementOfABlock,

    /// <summary>The method has no errno to return on the new error path: it does not return <c>int</c> errnos (<c>void</c>, <c>bool</c>, a byte count).</summary>
    NoErrnoReturn,

    /// <summary>The method returns errnos as <c>long</c> (<c>ssize_t</c>: bytes or <c>-errno</c>), which the rewrite does not produce.</summary>
    ReturnsLong,

    /// <summary>The new error path would be the method's first one: the caller never saw an errno from it.</summary>
    FirstErrorReturn,

    /// <summary>What is held is not known on every path (a lock taken in a branch, a <c>try</c>, a region scope), so the fix cannot release it.</summary>
    HeldUnknown,

    /// <summary>A held lock or region has no release statement of the user's to copy: a fix does not invent how it is released.</summary>
    NoReleaseToCopy,

    /// <summary>A nofault or atomic region is open there: a wait cannot be added inside it.</summary>
    InRegion,

    /// <summary>The lock is already held there, in some mode or on some path: taking it again deadlocks.</summary>
    AlreadyHeld,

    /// <summary>The lock's type declares no annotated function to take (or release) it in the needed mode.</summary>
    NoLockFunction,

    /// <summary>The call has no killable variant (<c>[HasKillableVariant]</c>).</summary>
    NoKillableVariant,

    /// <summary>The access is not <c>ret = Access(...);</c> or <c>int ret = Access(...);</c> of an <c>int</c> errno access.</summary>
    AccessNotAStatement,

    /// <summary>The access is a copy that returns the bytes not copied: its loop is the copy-retry shape, which this code does not have.</summary>
    CopyReturnsBytes,

    /// <summary>An <c>out</c> variable of the access is used after it: it would go out of scope inside the loop.</summary>
    OutVariableUsedAfter,

    /// <summary>The access's type declares no <c>[FaultsIn]</c> for this access kind.</summary>
    NoFaultIn,

    /// <summary>The fault-in's arguments cannot be built from the access's (the size is not an expression of its arguments).</summary>
    FaultInArgumentsUnknown,

    /// <summary>The region or lock holds more than the access: the loop would repeat the other statements.</summary>
    RegionDoesMore,

    /// <summary>A statement stands between the parts the rewrite joins (the prefault and the region, the lock and the access).</summary>
    StatementBetween,

    /// <summary>A result the rewrite drops or moves is used later.</summary>
    ResultUsedLater,

    /// <summary>A lock is held across the fault-in: it would fault in under the lock the fault path takes.</summary>
    LockHeldAcrossFaultIn,

    /// <summary>The code is inside another loop: a retry loop inside it changes what <c>break</c> and <c>continue</c> mean.</summary>
    InsideAnotherLoop,

    /// <summary>The retry loop does more than the retry (other statements repeat with it).</summary>
    LoopDoesMore,

    /// <summary>The retry is a <c>goto</c>, not a loop.</summary>
    GotoRetry,

    /// <summary>The fixup's lock is released on the error path before the fault-in: the canonical loop would not match its locking.</summary>
    ReleasedOnErrorPath,

    /// <summary>A read fault-in for a word that is written: the loop would fault it in for read and fail the write again.</summary>
    ReadFaultInOfWrittenWord,

    /// <summary>The fault-in counts bytes and the loop advances by what was copied: a partial fault-in is progress there.</summary>
    AdvancingLoop,

    /// <summary>The prefault does not fault in the copy's own pointer and size (a window larger than the chunk copied): the cold path would fault in something else.</summary>
    SizeNotExact,

    /// <summary>
    /// The prefault returns an errno (before v5.16, <c>iov_iter_fault_in_readable()</c>'s 0 or <c>-EFAULT</c>),
    /// not the bytes it could not fault in: the cold path's "no progress" test needs that count.
    /// </summary>
    PrefaultReturnsErrno,

    /// <summary>The prefault's result is not tested alone, with <c>!= 0</c> or <c>== size</c>, by an <c>if</c> without <c>else</c>.</summary>
    PrefaultTestNotHandled,

    /// <summary>The architecture has no sub-page probe for reads: only a write fault-in has a sub-page variant.</summary>
    NoSubPageVariant,

    /// <summary>No release of the region or lock in the same block as its enter, or one on an early path: there is nothing to balance.</summary>
    NoReleaseInBlock,

    /// <summary>
    /// A <c>[Releases]</c> method returns holding its lock on some paths only: where the release belongs is
    /// the branch that skipped it, which the fix cannot tell from the return (the kernel's fix of
    /// <c>loop_get_status_old()</c> dropped the mutex in the NULL-argument branch).
    /// </summary>
    ReleaseSkippedOnAPath,

    /// <summary>The call the fix writes would not bind to the intended method where it is written (a name hidden or missing there).</summary>
    DoesNotBind,

    /// <summary>An <c>out</c> parameter is not yet assigned where the early return would go: it would not compile.</summary>
    OutNotAssigned,

    /// <summary>A release, a second acquire, <c>goto</c>, <c>yield</c> or a <c>using</c> declaration in between: wrapping would run it twice or break it.</summary>
    CannotWrap,

    /// <summary>The call's result is returned or used in an expression: the lock cannot be bracketed around it.</summary>
    NotBracketable,

    /// <summary>A call or assignment is evaluated before the read in the same statement: reading earlier would change what it sees.</summary>
    EvaluatedBefore,

    /// <summary>The method's first error return would make a non-killable wait in it a UA2001: the wait is fixed first.</summary>
    WaitWouldBecomeFailable,

    /// <summary>The pointer (or size, or bit) to check is not a local or parameter (a field, a call): the check could see another value than the operation.</summary>
    PointerNotAVariable,

    /// <summary>The pointer is at an offset that is not a constant (<c>dst + i</c> in a loop): the range to check is the loop's, which the code does not state.</summary>
    OffsetNotConstant,

    /// <summary>The size of the access or the alignment it needs is not known (a span, a struct, a size that is not a power of two).</summary>
    AccessSizeUnknown,

    /// <summary>No statement before the operation where its operands mean the same (not written from there) and what is held can be released.</summary>
    NoPlaceForTheCheck,

    /// <summary>A constant operand out of range: no check can make the operation valid.</summary>
    ConstantOutOfRange,

    /// <summary>The result is neither an errno nor a count of bytes (a pin count, a trylock's bool, a length): what failure is must be decided by the caller.</summary>
    ResultNotAnErrorCode,

    /// <summary>A count compared with the size in a way that asks "was anything copied" (<c>left &lt; n</c>): partial-copy code may mean it, so it is not turned into a failure test.</summary>
    IntentUnclear,

    /// <summary>The failure test's branch does not return an errno or the count (it returns another count, or goes on working): widening it to any partial copy could be wrong.</summary>
    BranchNotAnErrorPath,

    /// <summary>The local compared or returned holds something else than a bytes-not-copied count on some path (an errno, a length).</summary>
    NotOnlyACount,

    /// <summary>The double fetch reads into a buffer the re-check cannot name: a span that does not start at the first byte of an array local, a helper's copy not kept in a local, a field of one byte or a copy that is not bytes.</summary>
    FetchIntoABuffer,

    /// <summary>The first copy is not kept as read until the second (written, handed to a helper or replaced by another buffer in between): there is nothing to compare the second copy with.</summary>
    FirstCopyChanged,

    /// <summary>The second copy is not shown to cover the first (its length is not constants and unsigned values adding up to at least the first's): comparing them could read bytes it did not copy, or writing the field read first could write past them.</summary>
    SecondCopyShorter,

    /// <summary>The second read's failure branch has no <c>-EFAULT</c> to turn into <c>-EINVAL</c> (and is not a <c>goto</c> to an exit that returns the local it could store one in).</summary>
    NoErrorPathToCopy,

    /// <summary>The first fetched value may not be the one checked where the second is used (it is written again, in another function or loop, behind a label), or the second read's result is used for more than its failure check.</summary>
    FirstFetchNotReusable,

    /// <summary>The double fetch is two loops walking one user buffer, one checking what it reads and the other using it: reading once means one walk that checks and uses each chunk, a restructuring the fix does not invent.</summary>
    BufferWalkedTwice,

    /// <summary>The second read is in the method the checked pointer is handed to: reading once means handing that method the first copy (or what the caller looked up from it) instead of the pointer, a change of its signature and of every caller the fix does not make (28d76df18f0a passes mptctl's handlers the adapter).</summary>
    RefetchedByCallee,

    /// <summary>The method returns no errno and a round of the loop does not always reach the end of its body (a <c>continue</c>, a body that ends in a jump, a <c>for</c> step read after the loop): a stop after the round would not be the loop's own end.</summary>
    RoundSkipsTheEnd,

    /// <summary>What the lock must cover makes a user access that may fault, and the fault path takes that lock: holding it there is UA2002's deadlock.</summary>
    FaultUnderTheLock,

    /// <summary>The lock a diagnostic wants is not the one held around the access, and the held one is needed there too (or is not a lock of the same kind): the right lock cannot simply replace it.</summary>
    WrongLockNeeded,

    /// <summary>The early return that leaves the lock held computes its value under the lock, or is not a plain statement of a block: the release cannot go before it.</summary>
    ExitNotReleasable,

    /// <summary>The loop has no fault-in at all: where one belongs and what its failure must undo is the loop's design, not a local edit.</summary>
    NoFaultInOnTheLoop,

    /// <summary>
    /// The access is a helper of the user's whose user memory the engine cannot name from its parameters
    /// or from an iterator it advances (it pins pages, accesses more than one range, computes the size
    /// inside): it cannot run under <c>PagefaultDisable()</c> as a whole, and the kernel's fixes
    /// restructured it (a copy through a kernel buffer after the unlock, or nofault pinning inside it
    /// with partial progress reported).
    /// </summary>
    AccessInHelper,

    /// <summary>The size the fault-in was asked for is not a constant or a plain local or parameter, or it is written before the test: evaluated again there, it could be another size.</summary>
    SizeNotReusable,

    /// <summary>The loop moves its pointer on by the fault-in's whole size (or sets it some other way): a partial fault-in is no progress there, and going round again would fault in the same range forever.</summary>
    ChunkedLoop,

    /// <summary>The access's fault-in returns the bytes not faulted in, where the read it replaces returned an errno that the code tests and returns.</summary>
    FaultInCountsBytes,

    /// <summary>
    /// The buffer-walking loop has no place where its copy is known to have copied nothing (a
    /// <c>copied == 0</c> test, or a branch that first sends a partial copy round again): the cold
    /// path has nowhere to go.
    /// </summary>
    NoNothingCopiedTest,

    /// <summary>
    /// The guarded read decides an early exit and the code after it acts on what it found, but where
    /// the act ends is not in the code: no later statement of the block touches a member the lock
    /// guards and the exit jumps to no label after it. The lock must stay held from the check to the
    /// end of the act, as the kernel's fixes hold it; taking it around the read alone would silence the
    /// diagnostic and keep the race.
    /// </summary>
    CheckThenAct,

    /// <summary>
    /// The lock is a spinlock and a call between the check and the end of the act may fault or sleep (a
    /// user access): it needs what is read under the lock, or the code before it, so it can neither move
    /// before the lock (tiocspgrp()'s get_user()) nor after the unlock with the guarded value read into a
    /// local (tiocgsid()'s put_user()).
    /// </summary>
    SleepsUnderSpinlock,

    /// <summary>
    /// The access's result is ignored: what a failure should do (return it, jump to an exit) is the
    /// author's decision, which the fix for the ignored result makes first; a retry loop around a
    /// result nobody reads would only hide the failure.
    /// </summary>
    ResultIgnored,

    /// <summary>
    /// The access's failure branch leaves with the locks still held (<c>goto out_unlock;</c> to an exit
    /// that releases them): after the retry loop they are released already, and that exit would release
    /// them a second time.
    /// </summary>
    BranchLeavesLocked,
}
