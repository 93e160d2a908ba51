using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What a source method does for its callers, derived from the same pass as any other method:
/// may sleep, may fault (unless the caller disabled page faults), handles faults, its net effect on
/// regions and locks, and the locks it requires, named from its own point of view.
/// </summary>
internal sealed class MethodSummary
{
    public static readonly MethodSummary Empty = new(null, null, null, ImmutableArray<RegionKind>.Empty, ImmutableArray<RegionKind>.Empty, ImmutableArray<LockRef>.Empty, ImmutableArray<LockRef>.Empty, ImmutableArray<LockRef>.Empty, null, ImmutableArray<EstablishedCheck>.Empty, default);

    public MethodSummary(string? sleepReason, string? faultReason, string? resolvesReason, ImmutableArray<RegionKind> enters, ImmutableArray<RegionKind> exits, ImmutableArray<LockRef> acquired, ImmutableArray<LockRef> released, ImmutableArray<LockRef> required, string? nofaultAccessReason, ImmutableArray<EstablishedCheck> established, ReturnedPointer returnedPointer, bool checksFatalSignal = false, bool hidesAccessFailure = false, IMethodSymbol? wrappedAccess = null, int sleepDropsAtomic = 0, int faultDropsAtomic = 0)
    {
        SleepDropsAtomic = sleepDropsAtomic;
        FaultDropsAtomic = faultDropsAtomic;
        HidesAccessFailure = hidesAccessFailure;
        WrappedAccess = wrappedAccess;
        ReturnedPointer = returnedPointer;
        Established = established;
        ChecksFatalSignal = checksFatalSignal;
        NofaultAccessReason = nofaultAccessReason;
        SleepReason = sleepReason;
        FaultReason = faultReason;
        ResolvesReason = resolvesReason;
        Enters = enters;
        Exits = exits;
        Acquired = acquired;
        Released = released;
        Required = required;
    }

    /// <summary>The annotated call that makes it sleep whatever the context (<c>MmapReadLock</c>).</summary>
    public string? SleepReason { get; }

    /// <summary>
    /// The levels of its caller's atomic context it has left when it sleeps: a method entered holding a
    /// spinlock (<c>[RequiresLock]</c>, <c>[Releases]</c>) that drops it first and sleeps after
    /// (<c>__ffs_ep0_queue_wait()</c> waits for the request after <c>spin_unlock_irq()</c>) sleeps in
    /// atomic context only if its caller holds more than that lock. 0 when it may sleep where it was entered.
    /// </summary>
    public int SleepDropsAtomic { get; }

    /// <summary>The user access that may fault when the caller has page faults enabled.</summary>
    public string? FaultReason { get; }

    /// <summary>As <see cref="SleepDropsAtomic"/>, for the fault.</summary>
    public int FaultDropsAtomic { get; }

    /// <summary>The fault handling it does with faults enabled (fault-in, fixup, the mmap lock).</summary>
    public string? ResolvesReason { get; }

    /// <summary>It returns an integer and does a nofault access (<c>[NofaultAccess]</c>, directly or through
    /// another such helper): its result may be that access's <c>-EFAULT</c> (UA4001, UA4002).</summary>
    public string? NofaultAccessReason { get; }

    /// <summary>It does a nofault access (<see cref="NofaultAccessReason"/>) but returns only non-negative
    /// constants, so its caller cannot tell the access failed (btrfs <c>copy_to_sk()</c>).</summary>
    public bool HidesAccessFailure { get; }

    /// <summary>The annotated nofault access behind <see cref="NofaultAccessReason"/>.</summary>
    public IMethodSymbol? WrappedAccess { get; }

    /// <summary>Every path through it to a normal exit tests for a pending fatal signal
    /// (<c>if (fatal_signal_pending(current)) return -EINTR;</c> in a helper): a loop that calls it checks.</summary>
    public bool ChecksFatalSignal { get; }

    /// <summary>Regions it leaves entered on every normal exit (net).</summary>
    public ImmutableArray<RegionKind> Enters { get; }

    /// <summary>Regions it leaves that its caller entered (net).</summary>
    public ImmutableArray<RegionKind> Exits { get; }

    public ImmutableArray<LockRef> Acquired { get; }

    public ImmutableArray<LockRef> Released { get; }

    public ImmutableArray<LockRef> Required { get; }

    /// <summary>The checks it makes on its pointer parameters on every path that may return 0.</summary>
    public ImmutableArray<EstablishedCheck> Established { get; }

    /// <summary>What it returns as its user pointer: checked, computed with no check, or not known.</summary>
    public ReturnedPointer ReturnedPointer { get; }

    public bool IsEmpty => SleepReason is null && FaultReason is null && ResolvesReason is null && NofaultAccessReason is null && Enters.IsEmpty && Exits.IsEmpty && Acquired.IsEmpty && Released.IsEmpty && Required.IsEmpty && Established.IsEmpty && !ReturnedPointer.IsKnown && !ChecksFatalSignal;

    public static MethodSummary From(MethodAnalysis analysis)
    {
        string? sleep = null, fault = null, resolves = null, nofaultAccess = null;
        IMethodSymbol? wrappedAccess = null;
        bool returnsInteger = analysis.Method.ReturnType.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;
        // Empty builders: most methods name no region or lock, and the default capacity allocated eight entries for each.
        var acquired = ImmutableArray.CreateBuilder<LockRef>(0);
        var released = ImmutableArray.CreateBuilder<LockRef>(0);
        var required = ImmutableArray.CreateBuilder<LockRef>(0);
        int sleepDrops = 0, faultDrops = 0;
        int entryAtomic = analysis.Contract.EntryDepth(RegionKind.Atomic);
        foreach (var call in analysis.Calls)
        {
            var effects = call.Effects;

            // The sleep that leaves the least of the entry's atomic context speaks for the method.
            if (effects.Sleep == SleepKind.Always
                && DroppedBefore(entryAtomic, call.Before, effects.SleepDropsAtomic) is var dropped && (sleep is null || dropped < sleepDrops))
            {
                sleep = effects.SleepReason ?? effects.Name;
                sleepDrops = dropped;
            }

            if (effects.MayFault && call.Before.Nofault.DefinitelyNot
                && DroppedBefore(entryAtomic, call.Before, effects.FaultDropsAtomic) is var droppedForFault && (fault is null || droppedForFault < faultDrops))
            {
                fault = effects.FaultReason ?? effects.Name;
                faultDrops = droppedForFault;
            }

            if (nofaultAccess is null && returnsInteger && (effects.Annotations.NofaultAccess || effects.NofaultAccessReason is not null))
            {
                nofaultAccess = effects.NofaultAccessReason ?? effects.Name;
                wrappedAccess = effects.WrappedAccess ?? effects.Method;
            }

            if (resolves is null && effects.ResolvesFaults && call.Before.Nofault.Min <= 0)
            {
                resolves = effects.ResolvesReason ?? effects.Name;
            }

            foreach (var use in effects.Releases)
            {
                if (call.Before.FindLock(use.Id) is null && LockResolver.ToReference(use.Id, use.Shared, AcquireWhen.Always) is { } reference)
                {
                    released.Add(reference);
                }
            }

            foreach (var use in effects.Requires)
            {
                if (call.Before.FindLock(use.Id) is not { Definite: true } && LockResolver.ToReference(use.Id, use.Shared, AcquireWhen.Always) is { } reference)
                {
                    required.Add(reference);
                }
            }
        }

        var enters = ImmutableArray.CreateBuilder<RegionKind>(0);
        var exits = ImmutableArray.CreateBuilder<RegionKind>(0);
        if (analysis.ExitState is { } exit)
        {
            // Net of the contract's entry: a [RequiresLock] spinlock dropped and retaken is no effect.
            var contract = analysis.Contract;
            AddNet(RegionKind.Nofault, exit.Nofault.Add(-contract.EntryDepth(RegionKind.Nofault)), enters, exits);
            AddNet(RegionKind.Atomic, exit.Atomic.Add(-contract.EntryDepth(RegionKind.Atomic)), enters, exits);
            foreach (var held in exit.Locks)
            {
                if (held.Definite && !contract.HeldOnEntry(held.Id) && LockResolver.ToReference(held.Id, held.Shared, AcquireWhen.Always) is { } reference)
                {
                    acquired.Add(reference);
                }
            }
        }

        var summary = new MethodSummary(sleep, fault, resolves, enters.ToImmutable(), exits.ToImmutable(), acquired.ToImmutable(), released.ToImmutable(), required.ToImmutable(), nofaultAccess, CalleeChecks.From(analysis), CalleeChecks.ReturnedFrom(analysis), ChecksOnEveryPath(analysis),
            nofaultAccess is not null && ReturnedStatus.OnlyNonNegativeConstants(analysis), wrappedAccess, sleepDrops, faultDrops);
        return summary.IsEmpty ? Empty : summary;
    }

    /// <summary>How many levels of the atomic context the method was entered in are gone where a call sleeps or faults, after the levels the callee itself drops first.</summary>
    private static int DroppedBefore(int entryAtomic, FlowState before, int calleeDrops) =>
        System.Math.Max(0, entryAtomic - (before.Atomic.Max - calleeDrops));

    /// <summary>Every path from the entry to the exit block passes a call that tests for a fatal signal.</summary>
    private static bool ChecksOnEveryPath(MethodAnalysis analysis)
    {
        bool[]? checks = null;
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.ChecksFatalSignal && analysis.Loops.PositionOf(call.Operation) is { } position)
            {
                checks ??= new bool[analysis.Graph.Blocks.Length];
                checks[position.Block] = true;
            }
        }

        return checks is not null && analysis.Loops.EveryPathPasses(0, analysis.Graph.Blocks.Length - 1, checks);
    }

    private static void AddNet(RegionKind kind, DepthRange range, ImmutableArray<RegionKind>.Builder enters, ImmutableArray<RegionKind>.Builder exits)
    {
        if (range.Min != range.Max)
        {
            return;
        }

        for (int i = 0; i < range.Min; i++)
        {
            enters.Add(kind);
        }

        for (int i = 0; i > range.Min; i--)
        {
            exits.Add(kind);
        }
    }
}

/// <summary>
/// Summaries of the user's own source methods, computed on demand from their control-flow graph
/// with the same <see cref="FlowAnalysis"/>, cached per compilation (and options), thread-safe,
/// recursion-safe, bounded in depth and size. This is the only place that asks the compilation for a
/// semantic model, and it keeps a bounded number of them.
/// </summary>
internal sealed class SummaryCache
{
    private const int MaxDepth = 8;
    private const int MaxEntries = 20000;
    private const int MaxModels = 64;

    // The passes of callees summarised before their own turn, until that turn takes them. An entry
    // normally leaves when taken; the bound matters only for methods whose own turn never comes or
    // came first (a rule skipped for the tree, a host running some of the rules).
    private const int MaxPasses = 256;

    private readonly CompilationEngine engine;
    private readonly ConcurrentDictionary<IMethodSymbol, MethodSummary> cache = new(CompilationEngine.ConcurrencyLevel, 64, SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, KeptPass> passes = new(CompilationEngine.ConcurrencyLevel, 64, SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> models = new();

    // The sizes of the tables, kept by hand: ConcurrentDictionary.Count takes every lock of the
    // table, and it was asked on every summary computed and every body read.
    private int cacheCount;
    private int passCount;
    private int modelCount;

    public SummaryCache(CompilationEngine engine) => this.engine = engine;

    public MethodSummary? Get(IMethodSymbol method, AnalysisRequest request)
    {
        method = KeyOf(method);
        if (cache.TryGetValue(method, out var cached))
        {
            return cached;
        }

        if (request.Depth >= MaxDepth || request.IsSummarising(method))
        {
            request.Cut();
            return null;
        }

        var summarising = request.ForSummaryOf(method);
        var summary = MethodSummary.Empty;
        MethodAnalysis? pass = null;
        bool ownTurnRuns = false;

        // The cheap pre-scan first: a body that calls nothing annotated (directly or through its
        // callees) has an empty summary, and no graph is built for it.
        if (BodyOf(method, summarising) is { } body)
        {
            bool touches = engine.TouchesAnnotatedApi(body, summarising);
            if ((touches || CalleeChecks.MayEstablish(method, body)) && CompilationEngine.GraphOf(body, request.CancellationToken) is { } graph)
            {
                pass = FlowAnalysis.Run(engine, summarising, graph, method);
                summary = SummaryOf(pass);

                // The method's own turn analyses it on the same test (see CompilationEngine.Compute). A
                // private method's own turn publishes its summary, so a caller that gets here came
                // first and the turn is still to come; for any other, it may have come already.
                ownTurnRuns = (touches || engine.GetAnnotations(method).HasAny) && method.DeclaredAccessibility == Accessibility.Private;
            }
        }

        request.Join(summarising);

        // A summary that saw a cut cycle depends on the order of discovery: keep it out of the cache.
        // Without a cut, the pass is the one any chain of callers, or none, would compute.
        if (!summarising.Incomplete)
        {
            Publish(method, summary);
            if (ownTurnRuns)
            {
                Keep(method, pass!, request.CancellationToken);
            }
        }

        return summary;
    }

    /// <summary>A summary computed from the method's own pass, for the callers still to come.</summary>
    public void Publish(IMethodSymbol method, MethodSummary summary)
    {
        if (Volatile.Read(ref cacheCount) < MaxEntries && cache.TryAdd(KeyOf(method), summary))
        {
            Interlocked.Increment(ref cacheCount);
        }
    }

    /// <summary>
    /// The pass a caller's summary computed for <paramref name="method"/>, for its own turn (once);
    /// <c>null</c> when there is none, or it was computed for a request that may be cancelled apart.
    /// </summary>
    public MethodAnalysis? TakePass(IMethodSymbol method, AnalysisRequest request)
    {
        // Most turns find nothing: a read that takes no lock before the removal that does.
        method = KeyOf(method);
        if (!passes.ContainsKey(method) || !passes.TryRemove(method, out var kept))
        {
            return null;
        }

        Interlocked.Decrement(ref passCount);
        return kept.CancellationToken == request.CancellationToken ? kept.Pass : null;
    }

    private void Keep(IMethodSymbol method, MethodAnalysis pass, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref passCount) > MaxPasses)
        {
            // Racy by design, as for the models: the bound only keeps passes nobody takes from piling up.
            passes.Clear();
            Volatile.Write(ref passCount, 1);
        }

        if (!passes.TryAdd(method, new KeptPass(pass, cancellationToken)))
        {
            Interlocked.Decrement(ref passCount);
        }
    }

    private static IMethodSymbol KeyOf(IMethodSymbol method) => method.PartialImplementationPart ?? method.OriginalDefinition;

    /// <summary>
    /// The user memory the helper may fault on, when its parameters name it (<see cref="HelperUserRange"/>):
    /// asked only by the code fix that runs a helper with faults disabled, so computed when asked, from a
    /// pass of its own, rather than for every summary the rules read.
    /// </summary>
    public HelperUserRange? UserRangeOf(IMethodSymbol method, AnalysisRequest request)
    {
        method = KeyOf(method);
        if (BodyOf(method, request) is not { } body || !engine.TouchesAnnotatedApi(body, request)
            || CompilationEngine.GraphOf(body, request.CancellationToken) is not { } graph)
        {
            return null;
        }

        // Like the summary: a pass that ran out of budget claims nothing.
        var analysis = FlowAnalysis.Run(engine, request, graph, method);
        return analysis.Converged ? HelperUserRange.From(analysis) : null;
    }

    // A helper whose pass ran out of budget claims no effects: its callers stay silent about it rather than guess.
    internal static MethodSummary SummaryOf(MethodAnalysis analysis) => analysis.Converged ? MethodSummary.From(analysis) : MethodSummary.Empty;

    [SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1030:Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer", Justification = "Interprocedural summaries of the user's own methods need their bodies; the models are cached here, bounded, as roslyn-analyzers' interprocedural analysis does.")]
    /// <summary>The operation body of a source method (through the bounded cache of models); <c>null</c> for any other.</summary>
    internal IOperation? BodyOf(IMethodSymbol method, AnalysisRequest request)
    {
        var references = method.DeclaringSyntaxReferences;
        if (references.Length == 0)
        {
            return null;
        }

        var syntax = references[0].GetSyntax(request.CancellationToken);
        if (syntax is not (BaseMethodDeclarationSyntax or AccessorDeclarationSyntax))
        {
            return null;
        }

        if (!models.TryGetValue(syntax.SyntaxTree, out var model))
        {
            if (Interlocked.Increment(ref modelCount) > MaxModels)
            {
                // Racy by design: the bound only keeps the cache from holding every model of the compilation.
                models.Clear();
                Volatile.Write(ref modelCount, 1);
            }

            model = models.GetOrAdd(syntax.SyntaxTree, engine.Compilation.GetSemanticModel(syntax.SyntaxTree));
        }

        return model.GetOperation(syntax, request.CancellationToken) is IMethodBodyBaseOperation body ? body : null;
    }

    /// <summary>A callee's pass kept for its own turn, and the cancellation of the request that computed it.</summary>
    private readonly struct KeptPass
    {
        public KeptPass(MethodAnalysis pass, CancellationToken cancellationToken)
        {
            Pass = pass;
            CancellationToken = cancellationToken;
        }

        public MethodAnalysis Pass { get; }

        public CancellationToken CancellationToken { get; }
    }
}
