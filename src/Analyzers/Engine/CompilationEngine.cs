using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What one analysis needs besides the graph: the options of the tree and the cancellation token
/// and, for the pass of a callee being summarised, the request whose pass asked for the summary. The
/// chain of callers is the recursion and depth guard; a request never changes once made, save for
/// <see cref="Incomplete"/>, so a pass keeps the context it was computed under.
/// </summary>
internal sealed class AnalysisRequest
{
    public AnalysisRequest(EngineOptions options, CancellationToken cancellationToken)
        : this(options, cancellationToken, null, null, 0)
    {
    }

    private AnalysisRequest(EngineOptions options, CancellationToken cancellationToken, AnalysisRequest? caller, IMethodSymbol? summarised, int depth)
    {
        Options = options;
        CancellationToken = cancellationToken;
        Caller = caller;
        Summarised = summarised;
        Depth = depth;
    }

    public EngineOptions Options { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>The request whose pass asked for this summary; <c>null</c> for a method's own analysis.</summary>
    public AnalysisRequest? Caller { get; }

    /// <summary>The method this request summarises; <c>null</c> for a method's own analysis.</summary>
    public IMethodSymbol? Summarised { get; }

    /// <summary>How many summaries are being computed down this chain (0 for a method's own analysis).</summary>
    public int Depth { get; }

    /// <summary>A summary below was cut by recursion or depth: do not cache what depends on it.</summary>
    public bool Incomplete { get; private set; }

    /// <summary>The request for the pass that summarises <paramref name="method"/> for this one.</summary>
    public AnalysisRequest ForSummaryOf(IMethodSymbol method) => new(Options, CancellationToken, this, method, Depth + 1);

    /// <summary><paramref name="method"/>'s summary is being computed down this chain: asking it again is a cycle.</summary>
    public bool IsSummarising(IMethodSymbol method)
    {
        for (var request = this; request is not null; request = request.Caller)
        {
            if (SymbolEqualityComparer.Default.Equals(request.Summarised, method))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A summary was cut here (a cycle, or the depth bound).</summary>
    public void Cut() => Incomplete = true;

    /// <summary>A summary asked by this request is done: a cut below it is a cut here too.</summary>
    public void Join(AnalysisRequest summary)
    {
        if (summary.Incomplete)
        {
            Incomplete = true;
        }
    }
}

/// <summary>
/// The per-compilation engine shared by all rule analyzers: the annotation types, caches of
/// annotations per symbol, method summaries, and the per-method analysis that every rule reads, so
/// that a method is walked once whatever the number of rules. Stateless between compilations: it
/// lives in a <see cref="ConditionalWeakTable{TKey, TValue}"/> keyed by the compilation.
/// </summary>
internal sealed class CompilationEngine
{
    // The bound on shared analyses kept at once. An entry normally leaves as soon as every rule has
    // read it (see Analyze), so the cache holds only the methods being analysed right now; the bound
    // matters only when some rule never reads an entry (a rule skipped for one tree, a host running a
    // subset of the rules, or running them twice over one compilation).
    private const int MaxCachedAnalyses = 512;

    // The callees whose parameter fetches are kept (each holds its method's analysis): past this many, a
    // callee's fetches are computed for the caller that asks and not kept.
    private const int MaxParameterFetches = 256;

    private static readonly ConditionalWeakTable<Compilation, Holder> Engines = new();

    // Striped wider than the default (one lock per core): every rule thread adds the methods it meets,
    // and on a loaded machine a thread preempted while holding one of two locks stalled the others.
    internal const int ConcurrencyLevel = 32;

    private readonly ConcurrentDictionary<ISymbol, MethodAnnotations> annotations = new(ConcurrencyLevel, 64, SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, LockTraits> lockTraits = new(ConcurrencyLevel, 64, SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, string> guards = new(ConcurrencyLevel, 64, SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<string, EngineOptions> options = new();
    private readonly ConcurrentDictionary<string, SummaryCache> summaries = new();
    private readonly ConcurrentDictionary<SyntaxNode, SharedAnalysis> analyses = new();
    private readonly ConcurrentDictionary<ISymbol, UserFetches> parameterFetches = new(ConcurrencyLevel, 16, SymbolEqualityComparer.Default);
    private ArrayParameterReads? arrayReads;

    // One stack per thread for the walks over operation trees (the pre-scan, the search for lambdas),
    // shared by the walks nested in them through summaries: a walk pushes above what it finds and pops
    // back down to it. Per thread, not per request: a pass handed to another method's turn may walk
    // again later on any thread.
    [ThreadStatic]
    private static Stack<IOperation>? walk;

    // The number of entries in analyses, kept by hand: ConcurrentDictionary.Count takes every lock of
    // the dictionary, and its lock array only grows (to 1024 once the table has been refilled after a
    // Clear), so counting on every call serialised all rule threads and made the cost superlinear.
    private int analysisCount;
    private int parameterFetchCount;
    private long analysisSequence;
    private int trimming;

    // The rule analyzers that registered for this compilation: the readers of each shared analysis.
    private int readers;

    private CompilationEngine(Compilation compilation, KnownAnnotations known)
    {
        Compilation = compilation;
        Known = known;
    }

    public Compilation Compilation { get; }

    public KnownAnnotations Known { get; }

    /// <summary>The engine of a compilation, or <c>null</c> when it does not reference the annotations.</summary>
    public static CompilationEngine? Get(Compilation compilation) =>
        Engines.GetValue(compilation, c => new Holder(KnownAnnotations.TryCreate(c) is { } known ? new CompilationEngine(c, known) : null)).Engine;

    public MethodAnnotations GetAnnotations(IMethodSymbol? method)
    {
        if (method is null)
        {
            return MethodAnnotations.None;
        }

        var key = method.OriginalDefinition;
        if (!MethodAnnotations.MayCarry(key))
        {
            return MethodAnnotations.None;
        }

        return annotations.TryGetValue(key, out var cached) ? cached : annotations.GetOrAdd(key, MethodAnnotations.Read(key, Known));
    }

    /// <summary>
    /// What is known of a lock from the member (field, property or parameter) that holds it and the
    /// lock's type: the page-fault path takes it when either is <c>[TakenInFaultPath]</c> or
    /// <c>useraccess.fault_path_locks</c> names it; it is held for long when either is
    /// <c>[LongHeld]</c> or <c>useraccess.killable_wait_locks</c> names it; holding it is atomic
    /// context when its type's own acquire enters the atomic region.
    /// </summary>
    public LockTraits LockTraitsOf(ISymbol? member, EngineOptions options, ITypeSymbol? type)
    {
        var traits = (member is null ? LockTraits.None : AttributeTraits(member)) | (type is null ? LockTraits.None : AttributeTraits(type));
        if (options.IsFaultPathLock(member) || options.IsFaultPathLock(type))
        {
            traits |= LockTraits.TakenInFaultPath;
        }

        if (options.IsKillableWaitLock(member) || options.IsKillableWaitLock(type))
        {
            traits |= LockTraits.LongHeld;
        }

        return traits;
    }

    /// <summary>The lock a <c>[GuardedBy]</c> field or property names (as an expression at the member would), or <c>null</c>.</summary>
    public string? GuardOf(ISymbol member)
    {
        if (member is not (IFieldSymbol or IPropertySymbol) || Known.GuardedBy is not { } attribute)
        {
            return null;
        }

        var key = member.OriginalDefinition;
        // A member with no attribute at all has no guard: no lookup in the shared table.
        if (key.GetAttributes().IsEmpty)
        {
            return null;
        }

        if (!guards.TryGetValue(key, out var guard))
        {
            guard = string.Empty;
            foreach (var data in key.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute)
                    && data.ConstructorArguments.Length == 1 && data.ConstructorArguments[0].Value is string text)
                {
                    guard = text.Trim();
                    break;
                }
            }

            guard = guards.GetOrAdd(key, guard);
        }

        return guard.Length == 0 ? null : guard;
    }

    private LockTraits AttributeTraits(ISymbol symbol)
    {
        // A parameter or a local is asked about from its own method only, and Roslyn keeps its
        // attributes: caching it would add one entry per lock parameter of the compilation, each
        // insertion taking a lock of the shared table on the hot path of every call's effects.
        if (symbol is IParameterSymbol or ILocalSymbol)
        {
            return ReadLockTraits(symbol.OriginalDefinition);
        }

        return lockTraits.TryGetValue(symbol.OriginalDefinition, out var known)
            ? known
            : lockTraits.GetOrAdd(symbol.OriginalDefinition, ReadLockTraits(symbol.OriginalDefinition));
    }

    private LockTraits ReadLockTraits(ISymbol symbol)
    {
        var traits = symbol is ITypeSymbol type && AcquireEntersAtomic(type) ? LockTraits.AtomicWhileHeld : LockTraits.None;
        foreach (var data in symbol.GetAttributes())
        {
            if (Known.TakenInFaultPath is { } faultPath && SymbolEqualityComparer.Default.Equals(data.AttributeClass, faultPath))
            {
                traits |= LockTraits.TakenInFaultPath;
            }
            else if (Known.LongHeld is { } longHeld && SymbolEqualityComparer.Default.Equals(data.AttributeClass, longHeld))
            {
                traits |= LockTraits.LongHeld;
                foreach (var named in data.NamedArguments)
                {
                    if (named.Key == "RemoteReadersOnly" && named.Value.Value is true)
                    {
                        traits |= LockTraits.RemoteReadersOnly;
                    }
                }
            }
            else if (Known.RemoteMm is { } remote && SymbolEqualityComparer.Default.Equals(data.AttributeClass, remote))
            {
                traits |= LockTraits.RemoteOwner;
            }
        }

        return traits;
    }

    /// <summary>A method of the type (or a base) takes the receiver unconditionally (<c>[Acquires("this")]</c>) and enters the atomic region.</summary>
    private bool AcquireEntersAtomic(ITypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member is not IMethodSymbol method || !GetAnnotations(method).Enters.Contains(RegionKind.Atomic))
                {
                    continue;
                }

                foreach (var acquired in GetAnnotations(method).Acquires)
                {
                    if (acquired.Root == "this" && acquired.Path.Length == 0 && acquired.When == AcquireWhen.Always)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    public EngineOptions GetOptions(AnalyzerConfigOptions treeOptions)
    {
        string key = EngineOptions.KeyOf(treeOptions);
        return key.Length == 0 ? EngineOptions.Empty : options.GetOrAdd(key, _ => EngineOptions.Parse(treeOptions));
    }

    /// <summary>
    /// <paramref name="callee"/> only reads the array passed as its parameter <paramref name="ordinal"/>:
    /// the array holds the same bytes after the call (<see cref="ArrayParameterReads"/>).
    /// </summary>
    public bool OnlyReadsArrayArgument(IMethodSymbol callee, int ordinal, CancellationToken cancellationToken) =>
        ArrayReads.OnlyReads(callee, ordinal, cancellationToken);

    /// <summary>
    /// The first index of the array passed as <paramref name="call"/>'s parameter <paramref name="ordinal"/>
    /// that the call may read (<see cref="ArrayParameterReads.FirstByteRead"/>); <c>null</c>: unknown.
    /// </summary>
    public long? FirstByteReadOfArrayArgument(IInvocationOperation call, int ordinal, CancellationToken cancellationToken) =>
        ArrayReads.FirstByteRead(call, ordinal, cancellationToken);

    private ArrayParameterReads ArrayReads => LazyInitializer.EnsureInitialized(ref arrayReads, () => new ArrayParameterReads(
        (method, token) => IsSummarisable(method) ? Summaries(EngineOptions.Empty).BodyOf(method, new AnalysisRequest(EngineOptions.Empty, token)) : null))!;

    /// <summary>
    /// What a method of the user's fetches through its parameters (<see cref="UserFetches.Refetches"/>), for a
    /// caller that fetched and checked the bytes of a pointer it hands the method: computed on its own pass
    /// when first asked, then kept for the compilation (up to a bound; past it, computed for each caller that
    /// asks). <c>null</c> for a method without a body here.
    /// </summary>
    public UserFetches? ParameterFetchesOf(IMethodSymbol callee, EngineOptions engineOptions, CancellationToken cancellationToken)
    {
        if (parameterFetches.TryGetValue(callee, out var known))
        {
            return known;
        }

        var request = new AnalysisRequest(engineOptions, cancellationToken);
        if (!IsSummarisable(callee) || Summaries(engineOptions).BodyOf(callee, request) is not { } body || GraphOf(body, cancellationToken) is not { } graph)
        {
            return null;
        }

        // A callee that calls nothing annotated (directly or through its own callees) fetches nothing.
        var computed = TouchesAnnotatedApi(body, request)
            ? UserFetches.Compute(FlowAnalysis.Run(this, request, graph, callee), throughParameters: true)
            : UserFetches.Empty;
        if (Volatile.Read(ref parameterFetchCount) >= MaxParameterFetches)
        {
            return computed;
        }

        if (parameterFetches.TryAdd(callee, computed))
        {
            Interlocked.Increment(ref parameterFetchCount);
            return computed;
        }

        return parameterFetches.TryGetValue(callee, out var kept) ? kept : computed;
    }

    /// <summary>A rule analyzer registered for this compilation: one more reader of every method's analysis.</summary>
    public void AddReader() => Interlocked.Increment(ref readers);

    private SummaryCache Summaries(EngineOptions engineOptions) =>
        summaries.GetOrAdd(engineOptions.Key, _ => new SummaryCache(this));

    /// <summary>
    /// The analyses of the method whose operation block this is (the method, then its local
    /// functions), computed once and shared by every rule analyzer; empty when the method calls no
    /// annotated API (directly or through the user's own methods).
    /// </summary>
    public ImmutableArray<MethodAnalysis> Analyze(OperationBlockAnalysisContext context)
    {
        if (context.OwningSymbol is not IMethodSymbol method)
        {
            return ImmutableArray<MethodAnalysis>.Empty;
        }

        IOperation? block = null;
        foreach (var candidate in context.OperationBlocks)
        {
            if (candidate.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block)
            {
                block = candidate;
                break;
            }
        }

        if (block is null)
        {
            return ImmutableArray<MethodAnalysis>.Empty;
        }

        var root = block;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        var engineOptions = GetOptions(context.Options.AnalyzerConfigOptionsProvider.GetOptions(root.Syntax.SyntaxTree));
        // One analyzer serves every rule (the compiler's case): nothing to share the analysis with.
        if (Volatile.Read(ref readers) <= 1)
        {
            return Compute(method, root, engineOptions, context.CancellationToken);
        }

        var key = root.Syntax;
        if (!analyses.TryGetValue(key, out var shared))
        {
            var created = new SharedAnalysis(
                new Lazy<ImmutableArray<MethodAnalysis>>(
                    () => Compute(method, root, engineOptions, context.CancellationToken),
                    LazyThreadSafetyMode.ExecutionAndPublication),
                Interlocked.Increment(ref analysisSequence));
            shared = analyses.GetOrAdd(key, created);
            if (ReferenceEquals(shared, created) && Interlocked.Increment(ref analysisCount) > MaxCachedAnalyses)
            {
                Trim();
            }
        }

        try
        {
            return shared.Value.Value;
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            // Another rule's run was cancelled while computing the shared analysis: ours is not.
            Remove(key, shared);
            return Compute(method, root, engineOptions, context.CancellationToken);
        }
        finally
        {
            // Once every rule of the compilation has read it, no one will ask again: drop it, so the
            // cache holds only the methods in flight instead of every graph seen so far.
            if (Interlocked.Increment(ref shared.Reads) >= Volatile.Read(ref readers))
            {
                Remove(key, shared);
            }
        }
    }

    /// <summary>
    /// The analyses of one method as it is now written, for the code fixes: the method, property
    /// accessor, constructor or local function declared by <paramref name="declaration"/> (or
    /// containing it), then its local functions and lambdas, as <see cref="Analyze"/> gives the rules.
    /// Computed afresh on <paramref name="model"/>, so a fix that runs after another fix of the same
    /// method sees the rewritten code; not cached. Empty when the method touches no annotated API.
    /// </summary>
    public ImmutableArray<MethodAnalysis> AnalyzeMethod(SemanticModel model, SyntaxNode declaration, AnalyzerConfigOptions? treeOptions, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(model.Compilation, Compilation)
            || model.GetDeclaredSymbol(declaration, cancellationToken) is not IMethodSymbol method
            || model.GetOperation(declaration, cancellationToken) is not { } root
            || root.Parent is not null)
        {
            return ImmutableArray<MethodAnalysis>.Empty;
        }

        var engineOptions = treeOptions is null ? EngineOptions.Empty : GetOptions(treeOptions);
        return Compute(method, root, engineOptions, cancellationToken);
    }

    /// <summary>
    /// The user memory a helper of the user's may fault on, when its parameters name it; <c>null</c>
    /// otherwise. Computed when asked (the code fixes ask), not cached.
    /// </summary>
    public HelperUserRange? UserRangeOf(IMethodSymbol helper, EngineOptions options, CancellationToken cancellationToken) =>
        Summaries(options).UserRangeOf(helper, new AnalysisRequest(options, cancellationToken));

    /// <summary>
    /// The fault-in helper for an access of this kind: the <c>[FaultsIn]</c> method of the access's
    /// type for the same access kind, the shortest name first (<c>FaultInWriteable</c> before its
    /// sub-page variant), or <c>null</c>. The rules name it in their diagnostics and the fixes call it.
    /// </summary>
    public IMethodSymbol? FaultInFor(IMethodSymbol access)
    {
        var kind = GetAnnotations(access).UserAccessKind;
        if (kind is null || access.ContainingType is null)
        {
            return null;
        }

        IMethodSymbol? best = null;
        foreach (var member in access.ContainingType.GetMembers())
        {
            if (member is IMethodSymbol candidate && GetAnnotations(candidate).FaultsInKind == kind
                && (best is null || candidate.Name.Length < best.Name.Length
                    || (candidate.Name.Length == best.Name.Length && string.CompareOrdinal(candidate.Name, best.Name) < 0)))
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>
    /// The fault-in for what a call accesses: <see cref="FaultInFor(IMethodSymbol)"/> of the call's own
    /// access, or, for a helper of the user's that wraps a nofault access (futex's
    /// <c>cmpxchg_futex_value_locked()</c>), of the access it wraps, whose <c>-EFAULT</c> it returns.
    /// </summary>
    internal IMethodSymbol? FaultInFor(CallEffects call) =>
        GetAnnotations(call.Method).UserAccessKind is null && call.WrappedAccess is { } wrapped
            ? FaultInFor(wrapped)
            : FaultInFor(call.Method);

    /// <summary>The access kind of what a call accesses: its own, or that of the nofault access it wraps.</summary>
    internal UserAccessKind? AccessKindOf(CallEffects call) =>
        GetAnnotations(call.Method).UserAccessKind ?? (call.WrappedAccess is { } wrapped ? GetAnnotations(wrapped).UserAccessKind : null);

    /// <summary>Removes this entry (not one that replaced it), counting only a real removal.</summary>
    private void Remove(SyntaxNode key, SharedAnalysis entry)
    {
        if (((ICollection<KeyValuePair<SyntaxNode, SharedAnalysis>>)analyses).Remove(new KeyValuePair<SyntaxNode, SharedAnalysis>(key, entry)))
        {
            Interlocked.Decrement(ref analysisCount);
        }
    }

    /// <summary>
    /// Over the bound: drops the oldest entries down to half of it, one thread at a time, amortised
    /// O(log n) per new entry. An entry still being computed is in use and stays unless it is older
    /// than the bound (a faulted or abandoned one); dropping an entry a rule still needs only costs
    /// that rule a recomputation.
    /// </summary>
    private void Trim()
    {
        if (Interlocked.CompareExchange(ref trimming, 1, 0) != 0)
        {
            return;
        }

        try
        {
            long stale = Volatile.Read(ref analysisSequence) - MaxCachedAnalyses;
            var candidates = new List<KeyValuePair<SyntaxNode, SharedAnalysis>>();
            foreach (var pair in analyses)
            {
                if (pair.Value.Value.IsValueCreated || pair.Value.Sequence < stale)
                {
                    candidates.Add(pair);
                }
            }

            candidates.Sort((a, b) => a.Value.Sequence.CompareTo(b.Value.Sequence));
            foreach (var pair in candidates)
            {
                if (Volatile.Read(ref analysisCount) <= MaxCachedAnalyses / 2)
                {
                    break;
                }

                Remove(pair.Key, pair.Value);
            }
        }
        finally
        {
            Volatile.Write(ref trimming, 0);
        }
    }

    private ImmutableArray<MethodAnalysis> Compute(IMethodSymbol method, IOperation root, EngineOptions engineOptions, CancellationToken cancellationToken)
    {
        var request = new AnalysisRequest(engineOptions, cancellationToken);
        var summaries = Summaries(engineOptions);
        var result = ImmutableArray.CreateBuilder<MethodAnalysis>();

        // A caller summarised this method first: its pass is the one this turn would compute.
        if (summaries.TakePass(method, request) is { } kept)
        {
            AddAnalyses(result, kept, request, 0);
            return result.ToImmutable();
        }

        bool annotated = GetAnnotations(method).HasAny;
        if (!annotated && !TouchesAnnotatedApi(root, request))
        {
            return ImmutableArray<MethodAnalysis>.Empty;
        }

        if (GraphOf(root, cancellationToken) is not { } graph)
        {
            return ImmutableArray<MethodAnalysis>.Empty;
        }

        var analysis = FlowAnalysis.Run(this, request, graph, method);
        Publish(summaries, method, root, analysis, annotated, request);
        AddAnalyses(result, analysis, request, 0);
        return result.ToImmutable();
    }

    /// <summary>
    /// The method's own turn came before any caller asked for its summary: the summary is the one its
    /// callers would compute from this same pass, so it goes into the cache now. Only when no summary
    /// was cut during the pass (the pass is then the same whatever the chain of callers), and only for
    /// a body the summary cache would read itself (a method or accessor declaration). Only for a private
    /// method, whose callers are all in its own type: a public or internal method is an entry point
    /// more often than a callee, and most of the summaries published for them were never read; when a
    /// caller does ask for one, it is computed then, as before.
    /// </summary>
    private void Publish(SummaryCache summaries, IMethodSymbol method, IOperation root, MethodAnalysis analysis, bool annotated, AnalysisRequest request)
    {
        if (request.Incomplete || method.DeclaredAccessibility != Accessibility.Private || !IsSummarisable(method)
            || root.Syntax is not (BaseMethodDeclarationSyntax or AccessorDeclarationSyntax)
            || method.DeclaringSyntaxReferences[0].GetSyntax(request.CancellationToken) != root.Syntax)
        {
            return;
        }

        // The summary's own test: a body that calls nothing annotated and checks no user pointer sums up to nothing.
        bool summarised = !annotated || CalleeChecks.MayEstablish(method, root) || TouchesAnnotatedApi(root, request);

        // The pre-scan just above may summarise callees, and cut one: ask again.
        if (!request.Incomplete)
        {
            summaries.Publish(method, summarised ? SummaryCache.SummaryOf(analysis) : MethodSummary.Empty);
        }
    }

    /// <summary>
    /// The control-flow graph of a method's body, built here rather than asked of the compiler's
    /// driver (<c>OperationBlockAnalysisContext.GetControlFlowGraph</c>): the driver keeps its graphs
    /// in a table keyed by the identity of the operation block, whose first identity hash of each
    /// block cost more than the table saves when the rules are its only reader. The methods the rules
    /// analyse and the callees they summarise get their graphs here, the same way.
    /// </summary>
    internal static ControlFlowGraph? GraphOf(IOperation root, CancellationToken cancellationToken) => root switch
    {
        IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
        IConstructorBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
        IBlockOperation { Parent: null } body => ControlFlowGraph.Create(body, cancellationToken),
        _ => null,
    };

    /// <summary>The method's analysis, then those of its local functions and lambdas (bounded nesting).</summary>
    private void AddAnalyses(ImmutableArray<MethodAnalysis>.Builder result, MethodAnalysis analysis, AnalysisRequest request, int depth)
    {
        result.Add(analysis);
        if (depth >= 4)
        {
            return;
        }

        AddNestedAnalyses(result, analysis.Graph, request, depth);
        AddLambdaAnalyses(result, analysis.Graph, request, depth);
    }

    private void AddNestedAnalyses(ImmutableArray<MethodAnalysis>.Builder result, ControlFlowGraph graph, AnalysisRequest request, int depth)
    {
        foreach (var localFunction in graph.LocalFunctions)
        {
            var nested = graph.GetLocalFunctionControlFlowGraph(localFunction, request.CancellationToken);
            AddAnalyses(result, FlowAnalysis.Run(this, request, nested, localFunction), request, depth + 1);
        }
    }

    private void AddLambdaAnalyses(ImmutableArray<MethodAnalysis>.Builder result, ControlFlowGraph graph, AnalysisRequest request, int depth)
    {
        var stack = walk ??= new Stack<IOperation>();
        int floor = stack.Count;
        try
        {
            foreach (var block in graph.Blocks)
            {
                foreach (var operation in block.Operations)
                {
                    stack.Push(operation);
                }

                if (block.BranchValue is { } branchValue)
                {
                    stack.Push(branchValue);
                }
            }

            while (stack.Count > floor)
            {
                var operation = stack.Pop();
                if (operation is IFlowAnonymousFunctionOperation lambda)
                {
                    var nested = graph.GetAnonymousFunctionControlFlowGraph(lambda, request.CancellationToken);
                    AddAnalyses(result, FlowAnalysis.Run(this, request, nested, lambda.Symbol), request, depth + 1);
                    continue;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }
        finally
        {
            PopTo(stack, floor);
        }
    }

    /// <summary>The cheap pre-scan: does any call in the block have annotations, an option, or a non-empty summary?</summary>
    internal bool TouchesAnnotatedApi(IOperation root, AnalysisRequest request)
    {
        var stack = walk ??= new Stack<IOperation>();
        int floor = stack.Count;
        stack.Push(root);
        try
        {
            while (stack.Count > floor)
            {
                var operation = stack.Pop();
                IMethodSymbol? target = operation switch
                {
                    IInvocationOperation invocation => invocation.TargetMethod,
                    IObjectCreationOperation creation => creation.Constructor,
                    _ => null,
                };
                if (target is not null && IsInteresting(target, request))
                {
                    return true;
                }

                // A [GuardedBy] member is read or written here (UA2004), even with no annotated call around it.
                if (operation is IFieldReferenceOperation or IPropertyReferenceOperation && GuardOf(((IMemberReferenceOperation)operation).Member) is not null)
                {
                    return true;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }

            return false;
        }
        finally
        {
            PopTo(stack, floor);
        }
    }

    private static void PopTo(Stack<IOperation> stack, int floor)
    {
        while (stack.Count > floor)
        {
            stack.Pop();
        }
    }

    private bool IsInteresting(IMethodSymbol target, AnalysisRequest request) =>
        GetAnnotations(target).HasAny
        || request.Options.IsMightSleep(target)
        || (IsSummarisable(target) && Summaries(request.Options).Get(target, request) is { IsEmpty: false });

    private bool IsSummarisable(IMethodSymbol method) =>
        !method.IsAbstract
        && !method.IsExtern
        && method.MethodKind is MethodKind.Ordinary or MethodKind.Constructor or MethodKind.PropertyGet or MethodKind.PropertySet
        && method.DeclaringSyntaxReferences.Length > 0
        && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, Compilation.Assembly);

    /// <summary>
    /// The effects of one call: its annotations (metadata and source methods alike), the options, and
    /// for the user's own source methods their summary. Locks are resolved against the call's receiver
    /// and arguments.
    /// </summary>
    public CallEffects? GetEffects(IOperation operation, IMethodSymbol target, ImmutableArray<IArgumentOperation> arguments, IOperation? instance, AnalysisRequest request, ILocalAliases? aliases = null)
    {
        // using (...) calls Dispose through IDisposable: find the implementation on the resource's type.
        if (target.ContainingType is { TypeKind: TypeKind.Interface } && instance is not null
            && FlowAnalysis.Strip(instance).Type is { } resourceType
            && resourceType.FindImplementationForInterfaceMember(target) is IMethodSymbol implementation)
        {
            target = implementation;
        }

        var own = GetAnnotations(target);
        bool configuredSleep = request.Options.IsMightSleep(target);
        MethodSummary? summary = IsSummarisable(target) ? Summaries(request.Options).Get(target, request) : null;
        if (!own.HasAny && !configuredSleep && (summary is null || summary.IsEmpty))
        {
            return null;
        }

        var effects = new CallEffects(operation, target, own, NameOf(operation, target, instance))
        {
            Arguments = arguments,
            Instance = instance,
            MayFault = own.MightFault,
            ResolvesFaults = own.ResolvesFaults,
            ChecksFatalSignal = own.FatalSignalCheck || summary is { ChecksFatalSignal: true },
            Enters = own.Enters,
            Exits = own.Exits,
        };

        if (own.MightSleep)
        {
            effects.Sleep = SleepKind.Always;
            if (own.SleepFlagsParameter is { } flagsParameter)
            {
                // Kmalloc(n, Gfp.Atomic) does not sleep: decide from a constant argument; a variable one errs to silence.
                var flags = FlowAnalysis.ArgumentFor(target, arguments, flagsParameter);
                long? value = flags?.ConstantValue is { HasValue: true } constant ? FlowAnalysis.ToLong(constant.Value) : null;
                if (value is not long v || (v & own.SleepFlags) == 0)
                {
                    effects.Sleep = SleepKind.None;
                }
            }
        }

        if (configuredSleep)
        {
            effects.Sleep = SleepKind.Always;
        }

        effects.EstablishedOnSuccess = summary is { Established.IsEmpty: false }
            ? summary.Established
            : CalleeChecks.FromAnnotations(target, own, arguments, aliases);
        effects.ReturnedPointer = summary?.ReturnedPointer ?? default;
        effects.Acquires = ResolveAll(own.Acquires, target, arguments, instance, request.Options, aliases);
        effects.Releases = ResolveAll(own.Releases, target, arguments, instance, request.Options, aliases);
        effects.Requires = ResolveAll(own.Requires, target, arguments, instance, request.Options, aliases);
        effects.AnalysedHoldingRequired = summary is not null && !own.Requires.IsEmpty;

        if (summary is not null && !summary.IsEmpty)
        {
            if (effects.Sleep == SleepKind.None && summary.SleepReason is not null)
            {
                effects.Sleep = SleepKind.Always;
                effects.SleepReason = summary.SleepReason;
                effects.SleepDropsAtomic = summary.SleepDropsAtomic;
            }

            if (!effects.MayFault && summary.FaultReason is not null)
            {
                effects.MayFault = true;
                effects.FaultReason = summary.FaultReason;
                effects.FaultDropsAtomic = summary.FaultDropsAtomic;
            }

            effects.NofaultAccessReason = summary.NofaultAccessReason;
            effects.HidesAccessFailure = summary.HidesAccessFailure;
            effects.WrappedAccess = summary.WrappedAccess;

            if (!effects.ResolvesFaults && summary.ResolvesReason is not null)
            {
                effects.ResolvesFaults = true;
                effects.ResolvesReason = summary.ResolvesReason;
            }

            if (own.Enters.IsEmpty && own.Exits.IsEmpty)
            {
                effects.Enters = summary.Enters;
                effects.Exits = summary.Exits;
            }

            if (own.Acquires.IsEmpty && own.Releases.IsEmpty)
            {
                effects.Acquires = ResolveAll(summary.Acquired, target, arguments, instance, request.Options, aliases);
                effects.Releases = ResolveAll(summary.Released, target, arguments, instance, request.Options, aliases);
            }

            if (own.Requires.IsEmpty)
            {
                effects.Requires = ResolveAll(summary.Required, target, arguments, instance, request.Options, aliases);
            }
        }

        // Waiting for a lock that the fault path takes is fault handling (mmap_read_lock in a nofault
        // region); a trylock does not wait (the fault handler itself trylocks in atomic context).
        if (!effects.ResolvesFaults)
        {
            foreach (var acquired in effects.Acquires)
            {
                if (acquired.Id.TakenInFaultPath && acquired.When != AcquireWhen.ReturnsTrue)
                {
                    effects.ResolvesFaults = true;
                    break;
                }
            }
        }

        return effects;
    }

    private ImmutableArray<LockUse> ResolveAll(ImmutableArray<LockRef> references, IMethodSymbol target, ImmutableArray<IArgumentOperation> arguments, IOperation? instance, EngineOptions engineOptions, ILocalAliases? aliases)
    {
        if (references.IsEmpty)
        {
            return ImmutableArray<LockUse>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<LockUse>(references.Length);
        foreach (var reference in references)
        {
            if (LockResolver.Resolve(reference, target, arguments, instance, this, engineOptions, aliases) is { } id)
            {
                builder.Add(new LockUse(id, reference.Shared, reference.When));
            }
        }

        return builder.Count == builder.Capacity ? builder.MoveToImmutable() : builder.ToImmutable();
    }

    /// <summary>The call as the code writes it: <c>MmapReadLock</c>, <c>lk.Lock</c>, <c>mm.MmapLock.DownRead</c>.</summary>
    public static string NameOf(IOperation operation, IMethodSymbol target, IOperation? instance)
    {
        if (operation is IObjectCreationOperation)
        {
            return "new " + target.ContainingType?.Name;
        }

        if (instance is { IsImplicit: false, Syntax: { } syntax })
        {
            var text = syntax.ToString();
            if (text.Length <= 40 && text.IndexOf('\n') < 0)
            {
                return text + "." + target.Name;
            }
        }

        return target.Name;
    }

    /// <summary>One method's shared analysis, the order it was created in, and how many rules read it.</summary>
    private sealed class SharedAnalysis
    {
        public int Reads;

        public SharedAnalysis(Lazy<ImmutableArray<MethodAnalysis>> value, long sequence)
        {
            Value = value;
            Sequence = sequence;
        }

        public Lazy<ImmutableArray<MethodAnalysis>> Value { get; }

        public long Sequence { get; }
    }

    private sealed class Holder
    {
        public Holder(CompilationEngine? engine) => Engine = engine;

        public CompilationEngine? Engine { get; }
    }
}
