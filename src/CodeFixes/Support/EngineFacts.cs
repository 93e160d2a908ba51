using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers;
using UserAccess.Analyzers.Engine;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// What the analyzers' engine knows of the method a fix rewrites, asked of the same
/// <see cref="CompilationEngine"/> on the document as it is now (so the second fix of a Fix All
/// sees what the first one wrote): the state before an operation (regions, locks held and how they
/// were taken, value facts), each lock's identity and how the code names it, the fault-in for an
/// access, and the method's error convention. The fixes read these facts and generate syntax; they
/// do not analyse the method again.
/// </summary>
internal sealed class EngineFacts
{
    private EngineFacts(CompilationEngine engine, SemanticModel model, MethodAnalysis analysis, SyntaxNode declaration)
    {
        Engine = engine;
        Model = model;
        Analysis = analysis;
        Declaration = declaration;
    }

    /// <summary>The engine of the document's compilation: annotations, summaries, lock traits.</summary>
    internal CompilationEngine Engine { get; }

    /// <summary>The semantic model the facts were computed on.</summary>
    internal SemanticModel Model { get; }

    /// <summary>The analysis of the innermost method (local function, lambda included) holding the node.</summary>
    internal MethodAnalysis Analysis { get; }

    /// <summary>The member declaration that was analysed (method, accessor, constructor, operator).</summary>
    internal SyntaxNode Declaration { get; }

    /// <summary>Errors are returned as negative errnos (<c>[ReturnsErrno]</c>, or a path returns one): the engine's answer.</summary>
    internal bool ReturnsErrno => Analysis.ReturnsErrno;

    /// <summary>
    /// The method already returns a negative errno on some path (the engine's <c>HasErrorReturn</c>):
    /// a plain wait in it is UA2001, so a lock a fix adds there is taken killably.
    /// </summary>
    internal bool HasErrorReturn => Analysis.HasErrorReturn;

    /// <summary>A first error return added to the method would make one of its waits a UA2001 diagnostic.</summary>
    internal bool FirstErrorReturnWouldFlagAWait
    {
        get
        {
            if (Analysis.HasErrorReturn)
            {
                return false;
            }

            foreach (var call in Analysis.Calls)
            {
                if (UA2001NonKillableWaitAnalyzer.ShouldBeKillable(call, Analysis.Options))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The method analysed (for a local function or lambda, that function).</summary>
    internal IMethodSymbol Method => Analysis.Method;

    /// <summary>
    /// The facts for the method holding <paramref name="node"/>, or <c>null</c> when the compilation
    /// does not reference the annotations, the node is not in a method body, or the method touches no
    /// annotated API. <paramref name="options"/> are the tree's <c>.editorconfig</c> options (the
    /// rule options such as <c>useraccess.fault_path_locks</c>); <c>null</c> for none.
    /// </summary>
    internal static EngineFacts? For(SemanticModel model, SyntaxNode node, AnalyzerConfigOptions? options, CancellationToken cancellationToken)
    {
        if (CompilationEngine.Get(model.Compilation) is not { } engine || MemberOf(node) is not { } declaration)
        {
            return null;
        }

        var analyses = engine.AnalyzeMethod(model, declaration, options, cancellationToken);
        MethodAnalysis? best = null;
        foreach (var analysis in analyses)
        {
            // The innermost graph whose code holds the node: a local function's or lambda's own.
            if (analysis.Graph.OriginalOperation.Syntax is { } syntax && syntax.Span.Contains(node.Span)
                && (best is null || best.Graph.OriginalOperation.Syntax.Span.Contains(syntax.Span)))
            {
                best = analysis;
            }
        }

        return best is null ? null : new EngineFacts(engine, model, best, declaration);
    }

    /// <summary>The member whose operation block holds the node (never a local function: the engine analyses those with their member).</summary>
    private static SyntaxNode? MemberOf(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case BaseMethodDeclarationSyntax { Body: not null } or BaseMethodDeclarationSyntax { ExpressionBody: not null }:
                case AccessorDeclarationSyntax { Body: not null } or AccessorDeclarationSyntax { ExpressionBody: not null }:
                    return current;
                case TypeDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// The user memory a helper of the user's may fault on, when its parameters name it (the engine's
    /// <see cref="HelperUserRange"/>, computed when asked), under the options this method was analysed with.
    /// </summary>
    internal HelperUserRange? UserRangeOf(IMethodSymbol helper, CancellationToken cancellationToken) =>
        Engine.UserRangeOf(helper, Analysis.Options, cancellationToken);

    /// <summary>The engine's operation for <paramref name="node"/> in the analysed graph: the smallest one whose syntax is the node, or holds it.</summary>
    internal IOperation? OperationAt(SyntaxNode node)
    {
        IOperation? best = null;
        foreach (var block in Analysis.Graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                Find(operation, ref best);
            }

            if (block.BranchValue is { } branch)
            {
                Find(branch, ref best);
            }
        }

        return best;

        void Find(IOperation operation, ref IOperation? found)
        {
            var stack = new Stack<IOperation>();
            stack.Push(operation);
            while (stack.Count > 0)
            {
                var current = stack.Pop();
                if (!current.Syntax.Span.Contains(node.Span))
                {
                    continue;
                }

                if (found is null || found.Syntax.Span.Length > current.Syntax.Span.Length
                    || (found.Syntax.Span.Length == current.Syntax.Span.Length && current.Syntax == node && found.Syntax != node))
                {
                    found = current;
                }

                foreach (var child in current.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>The annotated (or summarised) call whose syntax is <paramref name="node"/>, with the state before it.</summary>
    internal CallSite? CallAt(SyntaxNode node)
    {
        foreach (var call in Analysis.Calls)
        {
            if (call.Operation.Syntax == node)
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>What <paramref name="earlier"/>'s copy holds where <paramref name="later"/> is made (<see cref="UserFetches.CopyAt"/>).</summary>
    internal FetchedCopy CopyAt(UserFetch earlier, UserFetch later, CancellationToken cancellationToken) =>
        Analysis.Fetches.CopyAt(earlier, later, (method, ordinal) => Engine.OnlyReadsArrayArgument(method, ordinal, cancellationToken));

    /// <summary>The user fetch (a read of user memory kept in a local) whose call is <paramref name="node"/>; <c>null</c> for any other node.</summary>
    internal UserFetch? FetchAt(SyntaxNode node)
    {
        foreach (var fetch in Analysis.Fetches.All)
        {
            if (fetch.Call.Operation.Syntax == node)
            {
                return fetch;
            }
        }

        return null;
    }

    /// <summary>
    /// The state just before the operation at <paramref name="node"/>: regions, locks, value facts.
    /// <c>null</c> when the engine never reaches it (dead code) or the node is not an operation of the method.
    /// </summary>
    /// <remarks>
    /// The one place that reads the engine's per-point states: an annotated call's own state when the
    /// node is one, or the state before the first annotated call inside it (a statement), else the
    /// state recorded before the first operation evaluated in it (an <c>if</c>'s condition, a
    /// <c>return</c>'s value), else the input of the basic block holding it.
    /// </remarks>
    internal FlowState? StateBefore(SyntaxNode node)
    {
        if (CallAt(node) is { } call)
        {
            return call.Before;
        }

        foreach (var access in Analysis.GuardedAccesses)
        {
            if (access.Reference.Syntax == node)
            {
                return access.State;
            }
        }

        // A statement: the state before its first annotated call (what runs before that call in the
        // statement takes no lock and enters no region).
        CallSite? earliest = null;
        foreach (var inside in Analysis.Calls)
        {
            if (node.Span.Contains(inside.Operation.Syntax.Span) && (earliest is null || inside.Operation.Syntax.SpanStart < earliest.Operation.Syntax.SpanStart))
            {
                earliest = inside;
            }
        }

        if (earliest is not null)
        {
            return earliest.Before;
        }

        // A statement without one (an if's condition, a return's value): the state recorded before
        // the first operation the graph evaluates in it.
        if (FirstOperationIn(node) is { } first && Analysis.StateBefore(first) is { } exact)
        {
            return exact;
        }

        if (OperationAt(node) is not { } operation || BlockOf(operation) is not { } block)
        {
            // A statement that runs no code (int offset, len;) leaves the state as it finds it: the
            // state before it is the one before the statement after it.
            return node is LocalDeclarationStatementSyntax or EmptyStatementSyntax or LocalFunctionStatementSyntax
                && node.Parent is BlockSyntax list && list.Statements.IndexOf((StatementSyntax)node) is var index && index + 1 < list.Statements.Count
                ? StateBefore(list.Statements[index + 1])
                : null;
        }

        return Analysis.BlockInputs[block.Ordinal];
    }

    /// <summary>The graph operation inside <paramref name="node"/> that starts first (the outermost on a tie).</summary>
    private IOperation? FirstOperationIn(SyntaxNode node)
    {
        IOperation? first = null;
        foreach (var block in Analysis.Graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                Consider(operation);
            }

            if (block.BranchValue is { } branch)
            {
                Consider(branch);
            }
        }

        return first;

        void Consider(IOperation root)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                var span = operation.Syntax.Span;
                if (!operation.IsImplicit && node.Span.Contains(span)
                    && (first is null || span.Start < first.Syntax.SpanStart || (span.Start == first.Syntax.SpanStart && span.Length > first.Syntax.Span.Length)))
                {
                    first = operation;
                }
            }
        }
    }

    private BasicBlock? BlockOf(IOperation operation)
    {
        var root = operation;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        foreach (var block in Analysis.Graph.Blocks)
        {
            if (ReferenceEquals(block.BranchValue, root))
            {
                return block;
            }

            foreach (var candidate in block.Operations)
            {
                if (ReferenceEquals(candidate, root))
                {
                    return block;
                }
            }
        }

        return null;
    }

    /// <summary>The locks held before <paramref name="node"/>, in the order they were taken, each with how it was taken.</summary>
    internal ImmutableArray<HeldLockFact> LocksBefore(SyntaxNode node)
    {
        if (StateBefore(node) is not { } state)
        {
            return ImmutableArray<HeldLockFact>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<HeldLockFact>(state.Locks.Length);
        foreach (var held in state.Locks)
        {
            builder.Add(Describe(held));
        }

        return builder.ToImmutable();
    }

    /// <summary>A held lock with the call that took it and the annotation it was taken by.</summary>
    internal HeldLockFact Describe(HeldLock held)
    {
        CallSite? acquire = null;
        LockUse? use = null;
        if (held.Site is { } site)
        {
            foreach (var call in Analysis.Calls)
            {
                if (!ReferenceEquals(call.Operation, site))
                {
                    continue;
                }

                acquire = call;
                foreach (var candidate in call.Effects.Acquires)
                {
                    if (candidate.Id.Equals(held.Id))
                    {
                        use = candidate;
                    }
                }
            }
        }

        return new HeldLockFact(held, acquire, use);
    }

    /// <summary>
    /// The killable variant <c>[HasKillableVariant]</c> names for a wait: a method of the same type,
    /// static or not as the wait is, with the same parameter types, returning <c>int</c> (0 or <c>-EINTR</c>).
    /// </summary>
    internal IMethodSymbol? KillableVariantOf(IMethodSymbol wait)
    {
        if (AnnotationsOf(wait).KillableVariant is not { } name || wait.ContainingType is null)
        {
            return null;
        }

        foreach (var member in wait.ContainingType.GetMembers(name))
        {
            if (member is IMethodSymbol candidate && candidate.IsStatic == wait.IsStatic
                && candidate.ReturnType.SpecialType == SpecialType.System_Int32
                && SameParameterTypes(candidate, wait))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool SameParameterTypes(IMethodSymbol a, IMethodSymbol b)
    {
        if (a.Parameters.Length != b.Parameters.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Parameters.Length; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(a.Parameters[i].Type, b.Parameters[i].Type))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A plain wait on <paramref name="id"/> in the given mode added to this method would be a UA2001
    /// diagnostic (the rule's own test): the method already returns errnos and the lock may be held
    /// long in that mode, or every wait should be killable. A fix that takes such a lock takes it
    /// killably there.
    /// </summary>
    internal bool WaitShouldBeKillable(LockId id, bool shared) =>
        Analysis.HasErrorReturn && UA2001NonKillableWaitAnalyzer.WaitShouldBeKillable(id, shared, Analysis.Options);

    /// <summary>
    /// What an early <c>return</c> added just before <paramref name="node"/> must release, innermost
    /// first: a copy of the user's own release statement for each lock the method took and holds
    /// there (a lock held on entry by the method's contract stays held). Declines when a nofault or
    /// atomic region is open (<see cref="DeclineReason.InRegion"/>), a lock is held on some paths
    /// only (<see cref="DeclineReason.HeldUnknown"/>), or a held lock has no release statement in the
    /// method (<see cref="DeclineReason.NoReleaseToCopy"/>).
    /// </summary>
    internal DeclineReason? ReleasesForEarlyReturn(SyntaxNode node, out IReadOnlyList<StatementSyntax> releases)
        => ReleasesForEarlyReturn(node, closesRegions: false, out releases);

    /// <summary>
    /// What an early <c>return</c> added just before <paramref name="node"/> must release, innermost
    /// first. With <paramref name="closesRegions"/>, a nofault or atomic region the method entered
    /// and is still in there is left too, with a copy of the user's own statement that leaves it
    /// (<c>PagefaultEnable();</c>, <c>PreemptEnable();</c>: ARC's cmpxchg returns through
    /// <c>preempt_enable()</c>); without it such a region declines (<see cref="DeclineReason.InRegion"/>).
    /// Declines as well when a lock or region is open on some paths only or to a depth the paths
    /// disagree on (<see cref="DeclineReason.HeldUnknown"/>), or one has no statement of the user's
    /// that releases it (<see cref="DeclineReason.NoReleaseToCopy"/>; a <c>using (NoFault())</c>
    /// scope is left by its own end, not by a statement).
    /// </summary>
    internal DeclineReason? ReleasesForEarlyReturn(SyntaxNode node, bool closesRegions, out IReadOnlyList<StatementSyntax> releases)
    {
        releases = System.Array.Empty<StatementSyntax>();
        if (StateBefore(node) is not { } state)
        {
            return DeclineReason.NotAnalysed;
        }

        if (!closesRegions && (!state.Nofault.DefinitelyNot || !state.Atomic.DefinitelyNot))
        {
            return DeclineReason.InRegion;
        }

        // Each resource with where it was taken: an early return releases the latest taken first.
        var open = new List<(int Taken, StatementSyntax Release)>();
        int atomicByLocks = 0;
        foreach (var held in state.Locks)
        {
            if (held.Site is null)
            {
                continue;
            }

            if (!held.Definite)
            {
                return DeclineReason.HeldUnknown;
            }

            if (ReleaseStatementOf(held.Id, held.Shared, node) is not { } release)
            {
                return DeclineReason.NoReleaseToCopy;
            }

            if (CallAt(held.Site.Syntax) is { } acquire && acquire.Effects.Enters.Contains(RegionKind.Atomic))
            {
                atomicByLocks++;
            }

            open.Add((held.Site.Syntax.SpanStart, release));
        }

        if (closesRegions)
        {
            foreach (var kind in new[] { RegionKind.Nofault, RegionKind.Atomic })
            {
                var depth = state.Depth(kind);
                // A region entered by a using scope around the node is left by the scope's end on any return.
                int opened = depth.Min - Analysis.Contract.EntryDepth(kind) - (kind == RegionKind.Atomic ? atomicByLocks : 0) - ScopesEntering(kind, node);
                if (depth.Min != depth.Max || opened < 0)
                {
                    return DeclineReason.HeldUnknown;
                }

                if (opened == 0)
                {
                    continue;
                }

                if (RegionStatements(kind, node, opened) is not { } regions)
                {
                    return DeclineReason.NoReleaseToCopy;
                }

                open.AddRange(regions);
            }
        }

        // A return inside try/finally or a using scope runs the cleanup on its way out too: copying the
        // user's releases there could release twice, and which the cleanup covers is not a local question.
        if (open.Count > 0 && InsideCleanupScope(node))
        {
            return DeclineReason.HeldUnknown;
        }

        var result = new List<StatementSyntax>();
        foreach (var (_, release) in open.OrderByDescending(o => o.Taken))
        {
            // Elastic trivia: the formatter lays the copy out as a statement of its own.
            result.Add(release.WithoutTrivia().WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(SyntaxFactory.ElasticMarker));
        }

        releases = result;
        return null;
    }

    /// <summary>How many <c>using</c> scopes around <paramref name="node"/> (<c>using (NoFault())</c>, or a <c>using</c> declaration before it in its block) enter <paramref name="kind"/>.</summary>
    private int ScopesEntering(RegionKind kind, SyntaxNode node)
    {
        int count = 0;
        for (var child = node; child.Parent is { } parent && child != Declaration; child = parent)
        {
            if (parent is UsingStatementSyntax { Expression: { } scope } usingStatement && child == usingStatement.Statement)
            {
                count += Enters(scope) ? 1 : 0;
            }
            else if (parent is BlockSyntax block)
            {
                foreach (var statement in block.Statements.TakeWhile(s => s != child))
                {
                    if (statement is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword } declaration)
                    {
                        count += declaration.Declaration.Variables.Count(v => v.Initializer is { } initializer && Enters(initializer.Value));
                    }
                }
            }
        }

        return count;

        bool Enters(ExpressionSyntax scope) => CallAt(scope) is { } call && call.Effects.Enters.Contains(kind);
    }

    /// <summary>The node is in a <c>try</c> with a <c>finally</c>, a <c>using</c> statement's body, or after a <c>using</c> declaration of its block.</summary>
    private bool InsideCleanupScope(SyntaxNode node)
    {
        for (var child = node; child.Parent is { } parent && child != Declaration; child = parent)
        {
            switch (parent)
            {
                case TryStatementSyntax { Finally: not null } tryStatement when child != tryStatement.Finally:
                case UsingStatementSyntax usingStatement when child == usingStatement.Statement:
                    return true;
                case BlockSyntax block when block.Statements.TakeWhile(s => s != child).Any(s => s is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword }):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The <paramref name="count"/> innermost entries into <paramref name="kind"/> before
    /// <paramref name="node"/> that take no lock (<c>PagefaultDisable()</c>), each paired with a
    /// statement of the user's that only leaves the region: the first ones after the node, else
    /// (for one region) the last one before it. <c>null</c> when there are not enough of either.
    /// </summary>
    private List<(int Taken, StatementSyntax Release)>? RegionStatements(RegionKind kind, SyntaxNode node, int count)
    {
        var enters = new List<int>();
        var after = new List<ExpressionStatementSyntax>();
        ExpressionStatementSyntax? before = null;
        foreach (var call in Analysis.Calls)
        {
            var effects = call.Effects;
            if (!effects.Acquires.IsEmpty || !effects.Releases.IsEmpty)
            {
                continue;
            }

            int position = call.Operation.Syntax.SpanStart;
            if (effects.Enters.Contains(kind) && effects.Exits.IsEmpty && position < node.SpanStart && call.Operation.Syntax.Parent is ExpressionStatementSyntax)
            {
                enters.Add(position);
            }
            else if (effects.Exits.Contains(kind) && effects.Enters.IsEmpty && call.Operation.Syntax.Parent is ExpressionStatementSyntax statement)
            {
                if (statement.SpanStart >= node.Span.End)
                {
                    after.Add(statement);
                }
                else if (before is null || statement.SpanStart > before.SpanStart)
                {
                    before = statement;
                }
            }
        }

        if (after.Count < count && count == 1 && before is not null)
        {
            after.Add(before);
        }

        if (enters.Count < count || after.Count < count)
        {
            return null;
        }

        enters.Sort();
        after.Sort((a, b) => a.SpanStart.CompareTo(b.SpanStart));
        var result = new List<(int, StatementSyntax)>();
        for (int i = 0; i < count; i++)
        {
            // The innermost entry is left by the first exit after the node.
            result.Add((enters[enters.Count - 1 - i], after[i]));
        }

        return result;
    }

    /// <summary>
    /// Nothing the method took is held before <paramref name="node"/>, on any path: no lock it
    /// acquired, no region it entered (what its contract holds on entry does not count).
    /// </summary>
    internal bool HoldsNothingTaken(SyntaxNode node)
    {
        if (StateBefore(node) is not { } state)
        {
            return false;
        }

        foreach (var held in state.Locks)
        {
            if (held.Site is not null)
            {
                return false;
            }
        }

        return state.Nofault.Max <= Analysis.Contract.EntryDepth(RegionKind.Nofault)
            && state.Atomic.Max <= Analysis.Contract.EntryDepth(RegionKind.Atomic)
            && state.Nofault.Min == state.Nofault.Max && state.Atomic.Min == state.Atomic.Max;
    }

    /// <summary>
    /// The method's own exit for what is held before <paramref name="target"/>: a label after it in
    /// <paramref name="body"/> reached only with exactly what is held there (the same locks in the
    /// same modes, the same region depths), from which the code, read straight through with no other
    /// jump, releases all of it and returns an <c>int</c> local it does not write
    /// (<c>done: PreemptEnable(); return uval;</c>, ARC's cmpxchg). Setting that local and jumping
    /// there is the kernel's <c>goto out</c> error path. <c>null</c> when nothing is held or there is
    /// no such label.
    /// </summary>
    internal (LabeledStatementSyntax Label, ILocalSymbol Result)? ExitLabel(SyntaxNode target, BlockSyntax body)
    {
        if (StateBefore(target) is not { } held || HoldsNothingTaken(target))
        {
            return null;
        }

        var statements = body.Statements;
        for (int index = 0; index < statements.Count; index++)
        {
            if (statements[index] is not LabeledStatementSyntax label || label.SpanStart < target.Span.End
                || StateBefore(label) is not { } atLabel || !SameHeld(held, atLabel))
            {
                continue;
            }

            // From the label to the return: straight through, no other way out.
            int last = index;
            while (last < statements.Count && statements[last] is not ReturnStatementSyntax
                && !statements[last].DescendantNodesAndSelf().Any(n => n is ReturnStatementSyntax or GotoStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or BreakStatementSyntax or ContinueStatementSyntax))
            {
                last++;
            }

            if (last >= statements.Count || last == index
                || statements[last] is not ReturnStatementSyntax { Expression: IdentifierNameSyntax returned } exit
                || !HoldsNothingTaken(exit)
                || Model.GetSymbolInfo(returned).Symbol is not ILocalSymbol { IsConst: false, RefKind: RefKind.None, Type.SpecialType: SpecialType.System_Int32 } result
                || Model.AnalyzeDataFlow(statements[index], statements[last - 1]) is not { Succeeded: true } flow
                || flow.WrittenInside.Contains(result, SymbolEqualityComparer.Default))
            {
                continue;
            }

            // The local is the one its name binds to at the jump (not hidden there).
            var visible = Model.LookupSymbols(target.SpanStart, name: result.Name);
            if (visible.Length == 1 && SymbolEqualityComparer.Default.Equals(visible[0], result))
            {
                return (label, result);
            }
        }

        return null;
    }

    /// <summary>The same locks, each in the same mode and held on every path, and the same region depths on every path.</summary>
    private static bool SameHeld(FlowState a, FlowState b)
    {
        if (!a.Nofault.Equals(b.Nofault) || !a.Atomic.Equals(b.Atomic) || a.Nofault.Min != a.Nofault.Max || a.Atomic.Min != a.Atomic.Max
            || a.Locks.Length != b.Locks.Length)
        {
            return false;
        }

        foreach (var held in a.Locks)
        {
            if (b.FindLock(held.Id) is not { } other || !held.Definite || !other.Definite || other.Shared != held.Shared)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The user's own statement that releases <paramref name="id"/> in the given mode (<c>MmapReadUnlock(mm);</c>):
    /// the first one after <paramref name="node"/>, else the last one before it. <c>null</c> when the method has none.
    /// </summary>
    internal ExpressionStatementSyntax? ReleaseStatementOf(LockId id, bool shared, SyntaxNode node)
    {
        ExpressionStatementSyntax? before = null;
        foreach (var call in Analysis.Calls)
        {
            if (call.Operation.Syntax.Parent is not ExpressionStatementSyntax statement || !Releases(call.Effects, id, shared))
            {
                continue;
            }

            if (statement.SpanStart >= node.Span.End)
            {
                return statement;
            }

            if (before is null || statement.SpanStart > before.SpanStart)
            {
                before = statement;
            }
        }

        return before;
    }

    private static bool Releases(CallEffects effects, LockId id, bool shared)
    {
        foreach (var released in effects.Releases)
        {
            if (released.Id.Equals(id) && released.Shared == shared)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The fault-in for an access (the engine's choice, the one the diagnostics name): the
    /// <c>[FaultsIn]</c> method of the access's type for the same access kind.
    /// </summary>
    internal IMethodSymbol? FaultInFor(IMethodSymbol access) => Engine.FaultInFor(access);

    /// <summary>The fault-in for what a call accesses, through a helper of the user's that wraps a nofault access.</summary>
    internal IMethodSymbol? FaultInFor(CallSite call) => Engine.FaultInFor(call.Effects);

    /// <summary>What the annotations (and, for the user's own helpers, the engine's summary) say of a method.</summary>
    internal MethodAnnotations AnnotationsOf(IMethodSymbol? method) => Engine.GetAnnotations(method);

    /// <summary>
    /// The method that releases what <paramref name="acquire"/> took: a method of the same type whose
    /// <c>[Releases]</c> names the same lock, in the same mode, through the same parameter. <c>null</c>
    /// when the type declares none (the lock is then released some other way, which a fix does not invent).
    /// </summary>
    internal IMethodSymbol? ReleaseFor(IMethodSymbol acquire, bool shared)
    {
        var taken = AnnotationsOf(acquire).Acquires;
        if (taken.IsEmpty || acquire.ContainingType is null)
        {
            return null;
        }

        var lockRef = taken[0];
        string parameterType = ParameterTypeOf(acquire, lockRef.Root);
        foreach (var member in acquire.ContainingType.GetMembers())
        {
            if (member is not IMethodSymbol candidate || candidate.IsStatic != acquire.IsStatic)
            {
                continue;
            }

            foreach (var released in AnnotationsOf(candidate).Releases)
            {
                if (released.Shared == shared && released.Path == lockRef.Path
                    && (released.Root == "this" ? lockRef.Root == "this" : ParameterTypeOf(candidate, released.Root) == parameterType))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static string ParameterTypeOf(IMethodSymbol method, string name)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name == name)
            {
                return parameter.Type.ToDisplayString();
            }
        }

        return name;
    }
}

/// <summary>A lock held at a point, as a fix needs it: its identity, how the code names it, and how it was taken.</summary>
internal sealed class HeldLockFact
{
    internal HeldLockFact(HeldLock held, CallSite? acquire, LockUse? use)
    {
        Held = held;
        Acquire = acquire;
        Use = use;
    }

    /// <summary>The engine's record: identity (aliases resolved), mode, held on every path or on some.</summary>
    internal HeldLock Held { get; }

    /// <summary>The lock's identity: <c>var m = task.Mm; MmapReadLock(m)</c> and <c>task.Mm</c> are one lock.</summary>
    internal LockId Id => Held.Id;

    /// <summary>How the code names the lock: <c>mm.MmapLock</c>.</summary>
    internal string Display => Held.Id.Display;

    /// <summary>The acquire call and the state before it; <c>null</c> when the lock was held on entry (<c>[RequiresLock]</c>).</summary>
    internal CallSite? Acquire { get; }

    /// <summary>The annotation the acquire took it by: mode and condition (<c>MmapReadLockKillable</c> holds it when it returns 0).</summary>
    internal LockUse? Use { get; }

    /// <summary>The acquire as the code writes it (<c>MmapReadLock(mm)</c>), for naming the lock in new code.</summary>
    internal InvocationExpressionSyntax? AcquireSyntax => Acquire?.Operation.Syntax as InvocationExpressionSyntax;

    /// <summary>Taken for read (shared).</summary>
    internal bool Shared => Use?.Shared ?? Held.Shared;

    /// <summary>Taken by a call that holds it only on one result (a killable or try lock).</summary>
    internal bool Conditional => Use is { When: not AcquireWhen.Always };
}
