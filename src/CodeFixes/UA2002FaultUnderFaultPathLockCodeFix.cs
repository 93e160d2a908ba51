using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UserAccess.Analyzers;
using UserAccess.Analyzers.Engine;
using UserAccess.CodeFixes.Support;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA2002: a user access that may fault while a lock the fault path takes is held (the gfs2 mmap +
/// page-fault deadlock). The lock statements, the access and the release statements become the
/// canonical retry loop (<see cref="CanonicalLoop"/>): the user's locks and the access inside, the
/// access with faults disabled, and after the locks are released the fatal-signal check and the
/// fault-in for the access's kind, whose failure ends the loop.
/// </summary>
/// <remarks>
/// The shape it restructures: consecutive statements of a block, a run of lock statements
/// (<c>lk.Lock();</c> or <c>if (lk.LockKillable() != 0) return -EINTR;</c>), the access
/// (<c>ret = GetUser(...);</c> or <c>int ret = ...;</c>, an errno access), and the run of their
/// releases. The access may also be tested where it is made, <c>if (GetUser(...) != 0) { unlock; jump }</c>
/// (<see cref="FailureBranch"/>): its result goes into a fresh local of the loop, and the branch, without
/// its releases, follows the loop tested on it; or stored, then tested, <c>int ret = GetUser(...);
/// if (ret != 0) { unlock; jump }</c> (what UA5001's fix writes): the stored local is the loop's result.
/// The shape goes to <see cref="RetryLoopRewriter"/>. A copy (<c>[ReturnsBytesNotCopied]</c>) in a loop that walks the user buffer is
/// rewritten by <see cref="CopyRetry"/> instead: the loop already is the retry, so the copy goes
/// under <c>PagefaultDisable()</c> and the loop's "copied nothing" test gets the cold path.
/// A helper of the user's that returns an <c>int</c> errno and may fault only through one annotated
/// access on its own parameters (<c>ret = SlowUserWrite(obj, off, userData, len);</c>) is the access
/// itself, as gfs2's fix treated the read under the glock: it runs with faults disabled under the lock,
/// and after the unlock the fault-in of that access's kind covers the range the call passes it.
/// A helper that walks an iterator it is given (<c>generic_file_read_iter()</c> under gfs2's glock:
/// bytes or an errno, <c>to.Base</c> advanced and <c>to.Count</c> taken down) is rewritten by
/// <see cref="IovIterRetry"/> to gfs2's own loop: partial progress kept, what is left faulted in after the unlock.
/// Declined: an access made inside a helper of the user's whose user memory the engine cannot name from
/// its parameters (a pointer inside another structure that is not such an iterator, pages pinned by get_user_pages, more than one range), copies
/// outside such a loop (see <see cref="CopyRetry"/>), an ignored result, a failure branch that leaves
/// holding the locks, other statements between
/// the locks and the access (they would be repeated on every retry), locks released in a different
/// set than taken, anything held before the locks, and accesses whose fault-in arguments are not
/// plain (names, member chains, sums of those).
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA2002FaultUnderFaultPathLockCodeFix)), Shared]
public sealed class UA2002FaultUnderFaultPathLockCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.FaultUnderFaultPathLock);

    /// <inheritdoc/>
    protected override string Title => "Rewrite to the canonical retry loop (access with faults disabled, fault in after unlocking)";

    internal override string EquivalenceKey => EquivalenceKeys.UA2002CanonicalRetryLoop;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        var accessNode = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.AccessLocation) ?? SyntaxSupport.NodeAt(root, diagnostic.Location);
        if (accessNode?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { } access
            || context.Facts(access) is not { } facts
            || SyntaxSupport.Method(model, access, cancellationToken) is not { } method)
        {
            return DeclineReason.CodeChanged;
        }

        var annotations = facts.AnnotationsOf(method);
        HelperUserRange? helper = null;
        if (annotations.UserAccessKind is null && !annotations.NofaultAccess)
        {
            // Faults come from inside the user's helper: it can run with faults disabled as a whole only
            // when the engine knows the user memory it touches, to fault that in after the unlock.
            if (facts.UserRangeOf(method, cancellationToken) is not { } range)
            {
                return DeclineReason.AccessInHelper;
            }

            if (range.AdvancesIterator)
            {
                return IovIterRetry.Plan(context, facts, access, range);
            }

            helper = range;
        }

        // Held from the method's entry by its contract ([RequiresLock]: keyctl_read_key() holds key->sem around
        // a key type's ->read()): nothing in this method runs without it, so no fault-in here can. The kernel's
        // fix (d3ec10aa9581) moved the copy out to the caller, after its up_read().
        if (RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.LockAcquireLocation) is null && !facts.Analysis.Annotations.Requires.IsEmpty)
        {
            return DeclineReason.LockHeldAcrossFaultIn;
        }

        if (annotations.ReturnsBytesNotCopied)
        {
            // A copy in a loop that walks the user buffer: that loop already is the retry.
            return CopyRetry.Rewrite(facts, root, diagnostic, access, cancellationToken) is { } copyRetry
                ? FixPlan.Rewrite(() => copyRetry)
                : DeclineReason.CopyReturnsBytes;
        }

        var accessStatement = access.FirstAncestorOrSelf<StatementSyntax>();
        if (accessStatement?.Parent is not BlockSyntax block)
        {
            return DeclineReason.AccessNotAStatement;
        }

        string result;
        bool declared;
        int index = block.Statements.IndexOf(accessStatement);
        int tested = index;
        FailureBranch? branch = null;
        if (RetryLoopRewrite.ReadAccessStatement(model, accessStatement, access, cancellationToken, allowUnusedOutVariables: true, returnsErrno: helper is not null) is var (_, assigned, isDeclaration))
        {
            (result, declared) = (assigned, isDeclaration);

            // The result stored, then tested: int ret = GetUser(...); if (ret != 0) { unlock; goto out; }
            // (what UA5001's fix writes). The branch follows the loop as it is.
            if (index + 1 < block.Statements.Count && FailureBranch.ReadStored(facts, block.Statements[index + 1], assigned, cancellationToken) is { } stored)
            {
                branch = stored;
                tested++;
            }
        }
        else if (accessStatement is ExpressionStatementSyntax { Expression: var ignored } && ignored == access)
        {
            // What a failure should do is the author's decision (UA5001's fix makes it first); a loop
            // that retries a result nobody reads would only hide it.
            return DeclineReason.ResultIgnored;
        }
        else if (FailureBranch.Read(facts, accessStatement, access, helper is not null, cancellationToken) is { } read)
        {
            // The lock is held at the access: a branch that releases nothing leaves holding it, for an
            // exit that releases it, which after the loop would release it again.
            if (read.Releases.Count == 0)
            {
                return DeclineReason.BranchLeavesLocked;
            }

            // The access's result becomes the loop's, in a local of its own: reusing one of the
            // method's would change what it holds on success.
            branch = read;
            (result, declared) = (SyntaxSupport.FreshLocalName(model, facts.Declaration, accessStatement.SpanStart, "ret", "err"), true);
        }
        else
        {
            return DeclineReason.AccessNotAStatement;
        }

        // Every lock taken is released, nothing else: then the loop body is balanced on every path.
        var acquireSite = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.LockAcquireLocation)?.FirstAncestorOrSelf<StatementSyntax>();
        if (RetryLoopRewrite.LockedRun(facts, block, index, tested, allowAtomicRegions: false) is not var (first, last) || first == index)
        {
            // Taken outside this block (before the loop that walks the buffer, i915's pwrite): the loop's
            // fault-in would run with it still held.
            return acquireSite is not null && acquireSite.Parent != block ? DeclineReason.LockHeldAcrossFaultIn : DeclineReason.StatementBetween;
        }

        if (acquireSite is not null && (block.Statements.IndexOf(acquireSite) < first || block.Statements.IndexOf(acquireSite) >= index))
        {
            return DeclineReason.StatementBetween;
        }

        // The failure branch jumps out holding the locks (to an exit that releases them): after the
        // loop they are released already, and that exit would release them again.
        var acquires = block.Statements.Skip(first).Take(index - first).ToList();
        if (branch is not null && !LockStep.SameSet(acquires.Select(st => RetryLoopRewrite.Acquire(facts, st, allowAtomicRegions: false)!).ToList(), branch.Releases))
        {
            return DeclineReason.BranchLeavesLocked;
        }

        return RetryLoopRewriter.Plan(facts, new RetryLoopShape(block, first, last, accessStatement, access, result, declared)
        {
            Helper = helper,
            Acquires = acquires,
            Releases = block.Statements.Skip(tested + 1).Take(last - tested).ToList(),
            Branch = branch,
        }, cancellationToken);
    }
}
