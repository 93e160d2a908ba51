using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// The user fetches of a method and what became of their values: one forward pass of
/// <see cref="FetchState"/> over the method's graph (run on first use, only when two fetches read
/// through the same pointer), and the questions a double fetch is made of, asked at the later fetch.
/// </summary>
internal sealed class UserFetches
{
    private const int MaxFetches = 32;

    /// <summary>No fetches: a method that fetches nothing, or whose pass did not converge.</summary>
    public static readonly UserFetches Empty = new(ImmutableArray<UserFetch>.Empty, ImmutableArray<PointerHandOff>.Empty, new FetchRecorder(), null, null, new HashSet<IOperation>());

    private readonly FetchRecorder recorder;
    private readonly MethodAnalysis? analysis;
    private readonly Dictionary<IOperation, FetchWalk>? walks;

    // The fetches and the writes to user memory: what they return is a status (0, -EFAULT, the bytes not
    // copied), not a value of the copy they are handed.
    private readonly HashSet<IOperation> statusCalls;

    private UserFetches(ImmutableArray<UserFetch> all, ImmutableArray<PointerHandOff> handOffs, FetchRecorder recorder, MethodAnalysis? analysis, Dictionary<IOperation, FetchWalk>? walks, HashSet<IOperation> statusCalls)
    {
        this.statusCalls = statusCalls;
        All = all;
        HandOffs = handOffs;
        this.recorder = recorder;
        this.analysis = analysis;
        this.walks = walks;
    }

    /// <summary>The fetches of the method, in the order of its calls; empty when no two read through the same pointer or walk from the same start, or the pass did not converge.</summary>
    public ImmutableArray<UserFetch> All { get; }

    /// <summary>The calls that hand a method of the user's the pointer a fetch read through (<see cref="PointerHandOff"/>).</summary>
    public ImmutableArray<PointerHandOff> HandOffs { get; }

    /// <summary>
    /// The fetches of <paramref name="analysis"/>'s method. With <paramref name="throughParameters"/>, what a
    /// caller asks of a method it hands a pointer to (<see cref="Refetches"/>): the pass runs when a fetch reads
    /// through a parameter, even alone.
    /// </summary>
    public static UserFetches Compute(MethodAnalysis analysis, bool throughParameters = false)
    {
        if (!analysis.Converged)
        {
            return Empty;
        }

        // Most methods fetch nothing: the lists are made at the first fetch.
        ImmutableArray<UserFetch>.Builder? all = null;
        Dictionary<IOperation, UserFetch>? byCall = null;
        foreach (var call in analysis.Calls)
        {
            if ((all is null || all.Count < MaxFetches) && UserFetch.Of(call) is { } fetch && !(byCall?.ContainsKey(call.Operation) ?? false))
            {
                all ??= ImmutableArray.CreateBuilder<UserFetch>();
                byCall ??= new Dictionary<IOperation, UserFetch>();
                all.Add(fetch);
                byCall.Add(call.Operation, fetch);
            }
        }

        if (all is null || byCall is null)
        {
            return Empty;
        }

        // One fetch is asked about only when the method may hand its pointer on: most methods do not.
        if (all.Count < 2 && !throughParameters && !System.Linq.Enumerable.Any(AddressArguments(analysis)))
        {
            return Empty;
        }

        for (int i = 0; i < all.Count; i++)
        {
            all[i] = byCall[all[i].Call.Operation] = all[i].WithOrigin(analysis.Graph);
        }

        var handOffs = throughParameters ? ImmutableArray<PointerHandOff>.Empty : HandOffsOf(analysis, all);
        if (all.Count < 2 && handOffs.IsEmpty && !throughParameters)
        {
            return Empty;
        }

        var walks = Walks(analysis, all);
        if (throughParameters ? !System.Linq.Enumerable.Any(all, fetch => fetch.Root is IParameterSymbol) : !HaveSharedRoot(all) && !HaveSharedStart(walks) && handOffs.IsEmpty)
        {
            return Empty;
        }

        for (int i = 0; i < all.Count; i++)
        {
            all[i] = byCall[all[i].Call.Operation] = all[i].WithArraySize(analysis.Graph);
        }

        var userWrites = new HashSet<IOperation>();
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Annotations.UserAccessKind == UserAccessKind.Write)
            {
                userWrites.Add(call.Operation);
            }
        }

        var handedAt = new HashSet<IOperation>();
        foreach (var handOff in handOffs)
        {
            handedAt.Add(handOff.Call.Operation);
        }

        var transfer = new FetchTransfer(byCall, userWrites, handedAt);
        var result = ForwardDataflow<FetchState>.Run(analysis.Graph, FetchStateDomain.Instance, transfer, FetchState.Entry, CancellationToken.None);
        if (!result.Converged)
        {
            return Empty;
        }

        var recorder = new FetchRecorder { Graph = analysis.Graph, RecordsTests = !handOffs.IsEmpty };
        transfer.Recorder = recorder;
        foreach (var block in analysis.Graph.Blocks)
        {
            if (result.BlockInputs[block.Ordinal] is { } input)
            {
                recorder.Block = block.Ordinal;
                transfer.Transfer(block, input);
            }
        }

        var statusCalls = new HashSet<IOperation>(userWrites);
        statusCalls.UnionWith(byCall.Keys);
        return new UserFetches(all.ToImmutable(), handOffs, recorder, analysis, walks, statusCalls);
    }

    /// <summary>
    /// The calls to methods of the user's (with a body in this compilation, not a user access of their own)
    /// with an argument that is a fetch's root, or made from it at a constant offset.
    /// </summary>
    private static ImmutableArray<PointerHandOff> HandOffsOf(MethodAnalysis analysis, ImmutableArray<UserFetch>.Builder all)
    {
        ImmutableArray<PointerHandOff>.Builder? handOffs = null;
        foreach (var (call, argument) in AddressArguments(analysis))
        {
            if (AlignmentFacts.Root(argument.Value, out long offset) is not { } named)
            {
                continue;
            }

            var (root, fromRoot) = UserFetch.Origin(named, offset, analysis.Graph);
            if (System.Linq.Enumerable.Any(all, fetch => SymbolEqualityComparer.Default.Equals(fetch.Root, root)))
            {
                (handOffs ??= ImmutableArray.CreateBuilder<PointerHandOff>()).Add(
                    new PointerHandOff(call, call.Effects.Method, argument.Parameter!.Ordinal, root, fromRoot, FlowAnalysis.Strip(argument.Value).Syntax.ToString()));
            }
        }

        return handOffs?.ToImmutable() ?? ImmutableArray<PointerHandOff>.Empty;
    }

    /// <summary>
    /// The by-value arguments that may carry a user address (a <c>UserPtr</c>, or the <c>ulong</c> one is made
    /// from) to a method of the user's: one with a body in this compilation that is not a user access itself.
    /// </summary>
    private static IEnumerable<(CallSite Call, IArgumentOperation Argument)> AddressArguments(MethodAnalysis analysis)
    {
        foreach (var call in analysis.Calls)
        {
            if (call.Effects.Method.DeclaringSyntaxReferences.Length == 0 || call.Effects.Annotations.UserAccessKind is not null
                || call.Operation is not IInvocationOperation invocation)
            {
                continue;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { RefKind: RefKind.None } && argument.ArgumentKind == ArgumentKind.Explicit
                    && FlowAnalysis.Strip(argument.Value).Type is { } type
                    && (AlignmentFacts.IsUserPtr(type) || type.SpecialType is SpecialType.System_UInt64 or SpecialType.System_Int64))
                {
                    yield return (call, argument);
                }
            }
        }
    }

    /// <summary>
    /// The fetches made on every path to <paramref name="later"/> (not <paramref name="later"/> itself)
    /// through the same pointer variable, not assigned since, and what became of each value by then.
    /// </summary>
    public IEnumerable<(UserFetch Earlier, FetchMark Mark)> EarlierFetches(UserFetch later)
    {
        if (!recorder.Before.TryGetValue(later.Call.Operation, out var state))
        {
            yield break;
        }

        foreach (var earlier in All)
        {
            if (!ReferenceEquals(earlier, later) && state.Fetched.TryGetValue(earlier.Call.Operation, out var mark) && mark.OnEveryPath && mark.RootKept
                && SymbolEqualityComparer.Default.Equals(earlier.Root, later.Root))
            {
                yield return (earlier, mark);
            }
        }
    }

    /// <summary>The fetches made on every path to <paramref name="handOff"/> through its pointer, not assigned since, and what became of each value by then.</summary>
    public IEnumerable<(UserFetch Earlier, FetchMark Mark)> EarlierFetches(PointerHandOff handOff)
    {
        if (!recorder.Before.TryGetValue(handOff.Call.Operation, out var state))
        {
            yield break;
        }

        foreach (var earlier in All)
        {
            if (state.Fetched.TryGetValue(earlier.Call.Operation, out var mark) && mark.OnEveryPath && mark.RootKept
                && SymbolEqualityComparer.Default.Equals(earlier.Root, handOff.Root))
            {
                yield return (earlier, mark);
            }
        }
    }

    /// <summary>An argument of <paramref name="handOff"/>'s call may hold <paramref name="earlier"/>'s value (or one computed from it): the callee can compare with it.</summary>
    public bool HandsValueOf(PointerHandOff handOff, UserFetch earlier) =>
        recorder.Handed.TryGetValue(handOff.Call.Operation, out var values) && values.Contains(earlier.Call.Operation);

    /// <summary>
    /// The user bytes the branches that test <paramref name="fetch"/>'s value read, as offsets from its root,
    /// when every such branch reads the copy at constants or through locals computed from it at constants
    /// (<c>iocnum = BitConverter.ToUInt32(khdr, 0) &amp; 0xFF; if (VerifyAdapter(iocnum, out iocp) &lt; 0)</c>:
    /// the header's first four bytes); <c>null</c> when a branch reads it otherwise, or the copy is not an
    /// array whose index 0 holds the first byte read (a value fetched whole is tested whole).
    /// </summary>
    public List<(long From, long To)>? TestedBytes(UserFetch fetch)
    {
        if (analysis is null || fetch.Size is not long size || !fetch.CopyStartsAtIndexZero
            || !recorder.Tests.TryGetValue(fetch.Call.Operation, out var tests))
        {
            return null;
        }

        var call = fetch.Call.Operation;
        var ranges = new List<(long From, long To)>();
        foreach (var (condition, state) in tests)
        {
            foreach (var operation in condition.DescendantsAndSelf())
            {
                if (operation is IFlowCaptureReferenceOperation)
                {
                    // A value carried in a capture cannot be placed in the copy.
                    return null;
                }

                if (!FetchTransfer.IsRead(operation) || FlowAnalysis.SymbolOf(operation) is not { } read || !state.ValuesOf(read).Contains(call))
                {
                    continue;
                }

                if (SymbolEqualityComparer.Default.Equals(read, fetch.Destination))
                {
                    if ((recorder.BytesAt.TryGetValue(operation, out var bytes) ? bytes : CopyBytes.Of(operation)) is not { } placed)
                    {
                        return null;
                    }

                    ranges.Add((fetch.Offset + placed.From, fetch.Offset + System.Math.Min(placed.To ?? size, size)));
                }
                else if (Derived(read, fetch.Destination) is { } derived)
                {
                    foreach (var placed in derived)
                    {
                        ranges.Add((fetch.Offset + placed.From, fetch.Offset + System.Math.Min(placed.To ?? size, size)));
                    }
                }
                else
                {
                    return null;
                }
            }
        }

        return ranges;
    }

    /// <summary>
    /// The fetches through the parameter of ordinal <paramref name="ordinal"/> (or a pointer made from it),
    /// when the method never writes that parameter: what the method reads of the memory a caller hands it.
    /// Asked of a method computed with <c>throughParameters</c>.
    /// </summary>
    public IEnumerable<UserFetch> Refetches(int ordinal)
    {
        if (analysis is null)
        {
            yield break;
        }

        foreach (var fetch in All)
        {
            if (fetch.Root is IParameterSymbol { Ordinal: var at } parameter && at == ordinal
                && !System.Linq.Enumerable.Any(CopyBytes.WritesOf(parameter, analysis.Graph)))
            {
                yield return fetch;
            }
        }
    }

    /// <summary>
    /// <paramref name="later"/> reads the user bytes <paramref name="earlier"/> read: the same offset, or a
    /// range that starts at or before them and is at least long enough to cover them (its length a
    /// constant, or an expression with a constant lower bound: <c>24 + count * 32</c>), or one whose length
    /// the earlier value sets and can reach them (<see cref="ReachesWhenSizedBy"/>).
    /// </summary>
    public bool Rereads(UserFetch later, UserFetch earlier) => Rereads(later, earlier.Offset, earlier.Size) || ReachesWhenSizedBy(later, earlier);

    /// <summary>
    /// <paramref name="later"/>'s length is computed from the value <paramref name="earlier"/> fetched, which
    /// the user chose: a copy that starts at or before the earlier bytes reads them again for a length the
    /// user can pick, unless its largest length stops short of them (<c>btf_parse_hdr()</c> before
    /// 4a6998aff82a: <c>hdr_len</c> fetched at offset 4, then <c>min(hdr_len, sizeof(*hdr))</c> bytes copied
    /// from 0, the copied <c>hdr_len</c> used).
    /// </summary>
    private bool ReachesWhenSizedBy(UserFetch later, UserFetch earlier) =>
        earlier.Size is long known && later.Offset <= earlier.Offset && later.Size is null && IsSizedBy(later, earlier)
        && (!recorder.AtMost.TryGetValue(later.Call.Operation, out long most) || later.Offset + most >= earlier.Offset + known);

    /// <summary><see cref="Rereads(UserFetch, UserFetch)"/> of the <paramref name="size"/> bytes at <paramref name="offset"/> from <paramref name="later"/>'s root.</summary>
    public bool Rereads(UserFetch later, long offset, long? size)
    {
        if (later.Offset == offset)
        {
            return true;
        }

        return size is long known && later.Offset < offset
            && LengthAtLeast(later) is long length && later.Offset + length >= offset + known;
    }

    /// <summary>A lower bound of the number of bytes <paramref name="fetch"/> reads: its constant size, or the bound of its length expression; <c>null</c> when none is known.</summary>
    public long? LengthAtLeast(UserFetch fetch) =>
        recorder.AtLeast.TryGetValue(fetch.Call.Operation, out long length) ? length : null;

    /// <summary>The length of <paramref name="later"/> is computed from the value <paramref name="earlier"/> fetched: the kernel sized the second copy by the first.</summary>
    public bool IsSizedBy(UserFetch later, UserFetch earlier) =>
        recorder.SizedBy.TryGetValue(later.Call.Operation, out var values) && values.Contains(earlier.Call.Operation);

    /// <summary>
    /// The value <paramref name="later"/> fetched (or one computed from it) is read on a path that made the
    /// fetch, and its copy of the bytes <paramref name="earlier"/> read still holds them there. A copy made
    /// again in one branch and read after the branches meet is read (<c>ethtool_get_rxnfc()</c> copies the
    /// whole struct again only when FLOW_RSS is set, then hands it to the driver after the <c>if</c>).
    /// </summary>
    /// <param name="later">The later fetch, whose value is asked about.</param>
    /// <param name="earlier">The earlier fetch, whose bytes the later one read again.</param>
    /// <param name="firstByteRead">
    /// Where a method of the user's starts reading an array it is handed (<see cref="ArrayParameterReads.FirstByteRead"/>):
    /// the fixed <c>do_add_counters()</c> hands its second copy whole to a walk that reads only the counters past the header.
    /// </param>
    public bool IsUsed(UserFetch later, UserFetch earlier, System.Func<IInvocationOperation, int, long?> firstByteRead) => IsUsed(later, earlier, 0, firstByteRead);

    /// <summary>
    /// The fetches whose walk read, on its loop's first round, the address <paramref name="later"/>'s walk
    /// reads on its first (<see cref="FetchWalk.SameFirstAddress"/>), whose loop every path to the later loop
    /// enters (a loop that runs no round on a path reads nothing twice there), and whose value a branch checked
    /// on every round before the loop fetched again and on every path from its last round to
    /// <paramref name="later"/>: the first walk checked what the second one uses. With each, the shift that
    /// makes an offset from the earlier fetch's pointer one from the later's.
    /// </summary>
    public IEnumerable<(UserFetch Earlier, long Shift)> WalkedBefore(UserFetch later)
    {
        if (walks is null || analysis is null || !walks.TryGetValue(later.Call.Operation, out var second)
            || !recorder.Before.TryGetValue(later.Call.Operation, out var state) || !recorder.Blocks.TryGetValue(later.Call.Operation, out int laterBlock))
        {
            yield break;
        }

        foreach (var earlier in All)
        {
            var call = earlier.Call.Operation;
            if (!ReferenceEquals(earlier, later) && walks.TryGetValue(call, out var first) && recorder.Blocks.TryGetValue(call, out int earlierBlock)
                && state.Fetched.TryGetValue(call, out var mark) && mark.Checked
                && analysis.Loops.Dominates(new GraphPosition(first.Loop.Header, 0), new GraphPosition(second.Loop.Header, 0))
                && recorder.Before.TryGetValue(call, out var round) && (!round.Fetched.TryGetValue(call, out var previous) || previous.Checked)
                && FetchWalk.SameFirstAddress(analysis.Loops, first, second, later, earlierBlock, laterBlock))
            {
                yield return (earlier, later.Offset - earlier.Offset);
            }
        }
    }

    /// <summary><see cref="IsUsed(UserFetch, UserFetch, System.Func{IInvocationOperation, int, long?})"/>, with <paramref name="shift"/> added to an offset from <paramref name="earlier"/>'s pointer to make it one from <paramref name="later"/>'s.</summary>
    public bool IsUsed(UserFetch later, UserFetch earlier, long shift, System.Func<IInvocationOperation, int, long?> firstByteRead) =>
        IsUsed(later, earlier.Offset + shift, earlier.Size, firstByteRead);

    /// <summary><see cref="IsUsed(UserFetch, UserFetch, System.Func{IInvocationOperation, int, long?})"/> of the <paramref name="size"/> bytes at <paramref name="from"/> from <paramref name="later"/>'s root (any of its value when the size is not known).</summary>
    public bool IsUsed(UserFetch later, long from, long? size, System.Func<IInvocationOperation, int, long?> firstByteRead)
    {
        if (!recorder.Uses.TryGetValue(later.Call.Operation, out var marks))
        {
            return false;
        }

        foreach (var (mark, symbol, reference, bytes) in marks)
        {
            if (size is not long known)
            {
                return true;
            }

            if (!mark.Overwrites(from, from + known))
            {
                // A whole struct copied again into a local with the size fetched first, of which only other
                // fields are read: the bytes fetched twice are never read from the second copy. A copy the
                // caller gets (perf_copy_attr()'s attr, whose size field perf_event_open() reads) is used.
                if (later.CopyStartsAtIndexZero && later.Destination is ILocalSymbol { RefKind: RefKind.None } copy
                    && (SymbolEqualityComparer.Default.Equals(symbol, copy)
                        ? (bytes ?? HandedFrom(reference, firstByteRead)) is { } read && read.Misses(from - later.Offset, from - later.Offset + known)
                        : Derived(symbol, copy) is { } ranges && ranges.TrueForAll(range => range.Misses(from - later.Offset, from - later.Offset + known))))
                {
                    continue;
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <see cref="IsUsed(UserFetch, long, long?, System.Func{IInvocationOperation, int, long?})"/> on positive
    /// evidence only: a copy in an array is used when a read placed at constants (directly, or through a local
    /// computed from it) takes some of the <paramref name="size"/> bytes at <paramref name="from"/> while they
    /// still hold what was fetched; a read the engine cannot place (the copy handed to a method whose result is
    /// kept) does not count. A value fetched whole (<c>GetUser(out n, p)</c>) is used by any read.
    /// </summary>
    public bool IsReadAt(UserFetch later, long from, long size, System.Func<IInvocationOperation, int, long?> firstByteRead)
    {
        if (!later.CopyStartsAtIndexZero || later.Destination is not ILocalSymbol { RefKind: RefKind.None } copy)
        {
            return IsUsed(later, from, size, firstByteRead);
        }

        if (!recorder.Uses.TryGetValue(later.Call.Operation, out var marks))
        {
            return false;
        }

        long start = from - later.Offset;
        foreach (var (mark, symbol, reference, bytes) in marks)
        {
            if (mark.Overwrites(from, from + size))
            {
                continue;
            }

            if (SymbolEqualityComparer.Default.Equals(symbol, copy)
                ? (bytes ?? HandedFrom(reference, firstByteRead)) is { } read && !read.Misses(start, start + size)
                : Derived(symbol, copy) is { } ranges && !ranges.TrueForAll(range => range.Misses(start, start + size)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The bytes a method of the user's reads of the copy handed to it whole (<c>AddCounters(priv, paddc, 40)</c>): from its first read on.</summary>
    private static CopyBytes? HandedFrom(IOperation reference, System.Func<IInvocationOperation, int, long?> firstByteRead)
    {
        var parent = reference.Parent;
        while (parent is IConversionOperation { IsImplicit: true })
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation call } && firstByteRead(call, parameter.Ordinal) is long first
            ? CopyBytes.Onwards(first)
            : null;
    }

    /// <summary>The bytes of the copy a local computed from it holds (<see cref="CopyBytes.Behind"/>); <c>null</c> for any other variable.</summary>
    private List<CopyBytes>? Derived(ISymbol symbol, ISymbol copy) =>
        analysis is not null && symbol is ILocalSymbol { RefKind: RefKind.None }
            ? CopyBytes.Behind(symbol, copy, analysis.Graph, read => HandedToStatusCall(read) ? CopyBytes.Onwards(long.MaxValue)
                : recorder.BytesAt.TryGetValue(read, out var bytes) ? bytes : CopyBytes.Of(read))
            : null;

    /// <summary><paramref name="read"/> is an argument of a fetch or a write to user memory (<c>r = CopyFromUser(a, argp);</c>): the variable given the call's result holds none of the copy's bytes.</summary>
    private bool HandedToStatusCall(IOperation read)
    {
        for (var current = read.Parent; current is not null and not IExpressionStatementOperation; current = current.Parent)
        {
            if (statusCalls.Contains(current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A branch after <paramref name="later"/> compares its value with <paramref name="earlier"/>'s before
    /// anything used it ("Sanity check the second copy", "Ensure desc has not changed between the two reads"),
    /// or tests again the field of the second copy whose first copy was tested before the second was made
    /// ("we need to check whether FLOW_RSS is still requested", ethtool_get_rxnfc()), unless it tests it against
    /// what a call made of the first copy (the buggy do_add_counters() checks the first count against the
    /// length, then the re-fetched one against the table the first copy's name found). A test where the
    /// copy may hold either fetch (after a branch that copied again) is a test of the second copy only.
    /// </summary>
    public bool IsRevalidated(UserFetch later, UserFetch earlier) => IsRevalidated(later, earlier, 0);

    /// <summary><see cref="IsRevalidated(UserFetch, UserFetch)"/>, with <paramref name="shift"/> added to an offset from <paramref name="earlier"/>'s pointer to make it one from <paramref name="later"/>'s.</summary>
    public bool IsRevalidated(UserFetch later, UserFetch earlier, long shift)
    {
        if (recorder.Revalidated.Contains((later.Call.Operation, earlier.Call.Operation)))
        {
            return true;
        }

        if (!recorder.RecheckedBytes.TryGetValue(later.Call.Operation, out var rechecked)
            || !recorder.CheckedBytes.TryGetValue(earlier.Call.Operation, out var checkedFirst))
        {
            return false;
        }

        foreach (var (from, to, fetched) in checkedFirst)
        {
            if (!fetched.ContainsKey(later.Call.Operation)
                && rechecked.Exists(test => test.From == from + shift && test.To == to + shift && !test.MadeByCall.Contains(earlier.Call.Operation)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What <paramref name="earlier"/>'s copy holds where <paramref name="later"/> is made (the kernel's
    /// double-fetch fix compares the bytes the first copy checked with the second copy, so they must
    /// still be there): kept as read, replaced by a new array, or changed. A reference to the copy (or
    /// an alias or view of it) made after <paramref name="earlier"/> and before <paramref name="later"/>
    /// on some path (anywhere on a loop through <paramref name="later"/>) that may write it changes it;
    /// <paramref name="onlyReads"/> says whether a method only reads the array passed as a parameter.
    /// </summary>
    public FetchedCopy CopyAt(UserFetch earlier, UserFetch later, System.Func<IMethodSymbol, int, bool> onlyReads)
    {
        var first = earlier.Call.Operation;
        var second = later.Call.Operation;
        if (analysis is null || !recorder.Before.TryGetValue(second, out var state) || !recorder.Blocks.TryGetValue(second, out int laterBlock)
            || !state.Fetched.TryGetValue(first, out var mark) || !mark.OnEveryPath)
        {
            return FetchedCopy.Changed;
        }

        var loops = analysis.Loops.LoopsContaining(laterBlock);
        var holders = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { earlier.Destination };
        foreach (var reference in recorder.References)
        {
            if (!reference.Values.Contains(first) || !reference.Fetched.ContainsKey(first) || Contains(second, reference.Operation))
            {
                continue;
            }

            if (FlowAnalysis.SymbolOf(reference.Operation) is { } holder)
            {
                holders.Add(holder);
            }

            bool before = !reference.Fetched.ContainsKey(second) || loops.Exists(loop => loop.Contains(reference.Block));
            if (before && (reference.Overwrites || CopyWrites.MayWrite(reference.Operation, onlyReads)))
            {
                return FetchedCopy.Changed;
            }
        }

        // A lambda or local function may run anywhere it is handed: one that names the copy may write it.
        foreach (var holder in holders)
        {
            if (analysis.NamedByAFunction(holder))
            {
                return FetchedCopy.Changed;
            }
        }

        // A new array in the variable on some path (kfib = new byte[size] when the header asks for more),
        // or memdup_user() storing the later copy in it: the first copy is intact until then.
        bool replacedOnSomePath = recorder.Replacements.Exists(replacement =>
            replacement.Gone.Contains(first) && SymbolEqualityComparer.Default.Equals(replacement.Symbol, earlier.Destination)
            && replacement.Fetched.ContainsKey(first) && (!replacement.Fetched.ContainsKey(second) || loops.Exists(loop => loop.Contains(replacement.Block))));
        bool storesNewArray = second.Type is IArrayTypeSymbol && second.Parent is ISimpleAssignmentOperation
            && SymbolEqualityComparer.Default.Equals(later.Destination, earlier.Destination);
        var held = state.ValuesOf(earlier.Destination);
        return held.IsEmpty ? (replacedOnSomePath ? FetchedCopy.Replaced : FetchedCopy.Changed)
            : held.Count == 1 && held.Contains(first) ? (replacedOnSomePath || storesNewArray ? FetchedCopy.Replaced : FetchedCopy.Kept)
            : FetchedCopy.Changed;
    }

    private static bool Contains(IOperation root, IOperation operation)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (ReferenceEquals(current, root))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The walks of the fetches that walk a user buffer (<see cref="FetchWalk"/>), by call; <c>null</c> when fewer than two do.</summary>
    private static Dictionary<IOperation, FetchWalk>? Walks(MethodAnalysis analysis, ImmutableArray<UserFetch>.Builder all)
    {
        Dictionary<IOperation, FetchWalk>? walks = null;
        foreach (var fetch in all)
        {
            if (FetchWalk.Of(analysis.Loops, fetch) is { } walk)
            {
                walks ??= new Dictionary<IOperation, FetchWalk>();
                walks.Add(fetch.Call.Operation, walk);
            }
        }

        return walks is { Count: > 1 } ? walks : null;
    }

    private static bool HaveSharedStart(Dictionary<IOperation, FetchWalk>? walks)
    {
        if (walks is null)
        {
            return false;
        }

        var starts = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var walk in walks.Values)
        {
            if (!starts.Add(walk.Start))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HaveSharedRoot(ImmutableArray<UserFetch>.Builder all)
    {
        for (int i = 0; i < all.Count; i++)
        {
            for (int j = i + 1; j < all.Count; j++)
            {
                if (SymbolEqualityComparer.Default.Equals(all[i].Root, all[j].Root))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>What the recording pass of <see cref="FetchTransfer"/> notes: per fetch, the state before it, its length's bound and sources, its uses and re-validations.</summary>
internal sealed class FetchRecorder
{
    /// <summary>The method's graph, where the writes of a variable are looked up; <c>null</c> when nothing is recorded.</summary>
    public ControlFlowGraph? Graph { get; set; }

    /// <summary>The block the recording pass is in.</summary>
    public int Block { get; set; }

    /// <summary>The state just before each fetch call.</summary>
    public Dictionary<IOperation, FetchState> Before { get; } = new();

    /// <summary>The block of each fetch call.</summary>
    public Dictionary<IOperation, int> Blocks { get; } = new();

    /// <summary>
    /// Each reference to a variable holding fetched values (or the copy an overwrite writes), with its
    /// block, the fetches whose values the variable may hold and those made on some path there.
    /// </summary>
    public List<(IOperation Operation, bool Overwrites, int Block, ImmutableHashSet<IOperation> Values, ImmutableDictionary<IOperation, FetchMark> Fetched)> References { get; } = new();

    /// <summary>Each new array given to a variable that held fetched values: its block, the values gone, the fetches made on some path there.</summary>
    public List<(ISymbol Symbol, int Block, ImmutableHashSet<IOperation> Gone, ImmutableDictionary<IOperation, FetchMark> Fetched)> Replacements { get; } = new();

    /// <summary>Whether <see cref="Tests"/> is kept: only a method that hands a fetch's pointer on asks it.</summary>
    public bool RecordsTests { get; set; }

    /// <summary>Per fetch, the branch conditions that test its value (or one computed from it), each with the state before it.</summary>
    public Dictionary<IOperation, List<(IOperation Condition, FetchState State)>> Tests { get; } = new();

    /// <summary>The fetches whose values the arguments of each pointer hand-off may hold.</summary>
    public Dictionary<IOperation, ImmutableHashSet<IOperation>> Handed { get; } = new();

    /// <summary>A lower bound of each fetch's length.</summary>
    public Dictionary<IOperation, long> AtLeast { get; } = new();

    /// <summary>An upper bound of each fetch's length, where it is not a constant and one is known.</summary>
    public Dictionary<IOperation, long> AtMost { get; } = new();

    /// <summary>The fetches whose values each fetch's length is computed from.</summary>
    public Dictionary<IOperation, ImmutableHashSet<IOperation>> SizedBy { get; } = new();

    /// <summary>
    /// Each read of a fetch's value on a path that made the fetch: what had been overwritten there, the
    /// variable read, and the bytes of it the read takes when they are constant (<see cref="CopyBytes.Of"/>).
    /// </summary>
    public Dictionary<IOperation, List<(FetchMark Mark, ISymbol Symbol, IOperation Reference, CopyBytes? Bytes)>> Uses { get; } = new();

    /// <summary>The bytes each read of a variable holding fetched values takes, where the recording pass could place them.</summary>
    public Dictionary<IOperation, CopyBytes?> BytesAt { get; } = new();

    /// <summary>(later, earlier): a branch compared the later fetch's value with the earlier one's.</summary>
    public HashSet<(IOperation Later, IOperation Earlier)> Revalidated { get; } = new();

    /// <summary>
    /// Per fetch, the user bytes a branch read from its copy at a constant index (<c>BitConverter.ToUInt32(info, 4)</c>),
    /// and the fetches made on some path to that branch.
    /// </summary>
    public Dictionary<IOperation, List<(long From, long To, ImmutableDictionary<IOperation, FetchMark> Fetched)>> CheckedBytes { get; } = new();

    /// <summary>
    /// The same, read where nothing had used the copy yet: the fetch's value checked before its use; with the
    /// fetches whose value the test holds only through a call (<see cref="Carries"/>), against which it
    /// re-validates nothing.
    /// </summary>
    public Dictionary<IOperation, List<(long From, long To, ImmutableHashSet<IOperation> MadeByCall)>> RecheckedBytes { get; } = new();

    public void Fetch(UserFetch fetch, FetchState state, FetchTransfer transfer)
    {
        var call = fetch.Call.Operation;
        Before[call] = state;
        Blocks[call] = Block;
        if (fetch.Size is long size)
        {
            AtLeast[call] = size;
        }
        else if (fetch.SizeValue is { } length && FetchTransfer.LowerBound(length, state, CheckedUpper(fetch.Call.Before)) is long bound)
        {
            AtLeast[call] = bound;
        }

        if (fetch.SizeValue is { } sizeValue)
        {
            SizedBy[call] = transfer.ValuesIn(sizeValue, state);
            if (fetch.Size is null && FetchTransfer.UpperBound(sizeValue, state, CheckedUpper(fetch.Call.Before)) is long most)
            {
                AtMost[call] = most;
            }
        }
    }

    /// <summary>A call that hands on a fetch's pointer (<see cref="PointerHandOff"/>): the state before it, and the fetched values its arguments may hold.</summary>
    public void HandOff(IInvocationOperation call, FetchState state, FetchTransfer transfer)
    {
        Before[call] = state;
        Blocks[call] = Block;
        var values = ImmutableHashSet<IOperation>.Empty;
        foreach (var argument in call.Arguments)
        {
            values = values.Union(transfer.ValuesIn(argument.Value, state));
        }

        Handed[call] = values;
    }

    /// <summary>The largest value the checks before a call left a variable (<c>if (outsize &gt; EC_MAX_MSG_BYTES) return -EINVAL;</c>).</summary>
    private static System.Func<ISymbol, long?> CheckedUpper(FlowState before) =>
        symbol => before.GetFact(symbol).Range is { PastRoot: null, Upper: long upper } ? upper : null;

    /// <summary>A read of <paramref name="symbol"/> at <paramref name="reference"/>: a use of the fetched values it may hold.</summary>
    public void Use(ISymbol symbol, IOperation reference, FetchState state)
    {
        var values = state.ValuesOf(symbol);
        if (!values.IsEmpty)
        {
            References.Add((reference, false, Block, values, state.Fetched));
        }

        foreach (var call in values)
        {
            if (state.Fetched.TryGetValue(call, out var mark))
            {
                if (!Uses.TryGetValue(call, out var marks))
                {
                    Uses[call] = marks = new List<(FetchMark, ISymbol, IOperation, CopyBytes?)>();
                }

                marks.Add((mark, symbol, reference, BytesAt[reference] = CopyBytes.Of(reference, start => FetchTransfer.LowerBound(start, state, null))));
            }
        }
    }

    /// <summary>
    /// <paramref name="symbol"/> is given <paramref name="value"/>: a new array (<c>kfib = new byte[size];</c>,
    /// or the copy <c>memdup_user()</c> returns) takes the fetched copies it held out of it.
    /// </summary>
    public void Assign(ISymbol symbol, IOperation value, FetchState state)
    {
        var held = state.ValuesOf(symbol);
        if (!held.IsEmpty && FlowAnalysis.Strip(value) is IArrayCreationOperation or IInvocationOperation { Type: IArrayTypeSymbol })
        {
            Replacements.Add((symbol, Block, held, state.Fetched));
        }
    }

    /// <summary><c>BitConverter.TryWriteBytes(copy.AsSpan(k, n), value)</c>: the kernel writes its own value into the copy.</summary>
    public void Overwrite(ISymbol copy, IOperation write, FetchState state)
    {
        var values = state.ValuesOf(copy);
        if (!values.IsEmpty)
        {
            References.Add((write, true, Block, values, state.Fetched));
        }
    }

    /// <summary>
    /// A comparison (an equality or relational operator, or a test call such as <c>SequenceEqual</c>)
    /// with one fetch's value on one side and another's on the other, before anything used the later
    /// value: a clamp of an output size after the request was handled protects nothing.
    /// </summary>
    public void Condition(IOperation condition, FetchState state, FetchTransfer transfer)
    {
        foreach (var call in RecordsTests ? transfer.ValuesIn(condition, state) : ImmutableHashSet<IOperation>.Empty)
        {
            if (state.Fetched.ContainsKey(call))
            {
                if (!Tests.TryGetValue(call, out var tests))
                {
                    Tests[call] = tests = new List<(IOperation, FetchState)>();
                }

                tests.Add((condition, state));
            }
        }

        ImmutableHashSet<IOperation>? madeByCall = null;
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (FetchTransfer.BytesRead(operation) is var (copy, from, length))
            {
                madeByCall ??= OnlyThroughCalls(condition, state, transfer);
                Tested(copy, from, length, madeByCall, state, transfer);
            }

            var sides = new List<IOperation>();
            if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan
                or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } binary)
            {
                sides.Add(binary.LeftOperand);
                sides.Add(binary.RightOperand);
            }
            else if (operation is IInvocationOperation test && IsTestCall(test))
            {
                if (test.Instance is { } instance)
                {
                    sides.Add(instance);
                }

                foreach (var argument in test.Arguments)
                {
                    sides.Add(argument.Value);
                }
            }

            if (sides.Count < 2)
            {
                continue;
            }

            var values = new ImmutableHashSet<IOperation>[sides.Count];
            for (int i = 0; i < sides.Count; i++)
            {
                values[i] = transfer.ValuesIn(sides[i], state);
            }

            for (int i = 0; i < sides.Count; i++)
            {
                foreach (var later in values[i])
                {
                    if (!state.Fetched.TryGetValue(later, out var mark) || mark.Used || Contains(condition, later))
                    {
                        continue;
                    }

                    for (int j = 0; j < sides.Count; j++)
                    {
                        if (i == j || values[j].Contains(later))
                        {
                            continue;
                        }

                        foreach (var earlier in values[j])
                        {
                            if (Carries(sides[j], earlier, state, transfer))
                            {
                                Revalidated.Add((later, earlier));
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="side"/> of a comparison holds <paramref name="earlier"/>'s value itself or a value
    /// computed from it, not what a call made of it: the table <c>xt_find_table_lock()</c> looks up by the
    /// name in the first copy tells nothing of the count the kernel checked (<c>do_add_counters()</c> before
    /// CVE-2006-0039's fix compares the second copy's count with that table's).
    /// </summary>
    private bool Carries(IOperation side, IOperation earlier, FetchState state, FetchTransfer transfer)
    {
        if (Graph is null || transfer.FetchOf(earlier) is not { } fetch)
        {
            return true;
        }

        var pending = new Stack<IOperation>();
        pending.Push(side);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (FetchTransfer.IsRead(current) && FlowAnalysis.SymbolOf(current) is { } symbol)
            {
                if (state.ValuesOf(symbol).Contains(earlier)
                    && (SymbolEqualityComparer.Default.Equals(symbol, fetch.Destination) || !CopyBytes.ComputedByCall(symbol, fetch.Destination, Graph)))
                {
                    return true;
                }
            }
            else if (current is IFlowCaptureReferenceOperation)
            {
                // A value the graph captured from an earlier block: the engine cannot tell what it holds.
                return true;
            }
            else if (current is not IInvocationOperation call || CopyBytes.ReadsValue(call.TargetMethod))
            {
                foreach (var child in current.ChildOperations)
                {
                    pending.Push(child);
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A call that compares its arguments: one that returns a <c>bool</c> (<c>SequenceEqual</c>), or an integer
    /// the branch compares with zero (the kernel's <c>memcmp(&amp;dd, dd_config, sizeof(dd))</c>).
    /// </summary>
    private static bool IsTestCall(IInvocationOperation call)
    {
        if (call.TargetMethod.ReturnType.SpecialType == SpecialType.System_Boolean)
        {
            return true;
        }

        if (!OperandRanges.IsInteger(call.TargetMethod.ReturnType))
        {
            return false;
        }

        IOperation current = call;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current.Parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan or BinaryOperatorKind.GreaterThan } comparison
            && OperandRanges.Constant(ReferenceEquals(comparison.LeftOperand, current) ? comparison.RightOperand : comparison.LeftOperand) == 0;
    }

    /// <summary>A branch read bytes <c>[from, from + length)</c> of a copy: the user bytes of the fetches it may hold.</summary>
    /// <summary>The fetches whose value <paramref name="condition"/> holds only through what a call made of it.</summary>
    private ImmutableHashSet<IOperation> OnlyThroughCalls(IOperation condition, FetchState state, FetchTransfer transfer)
    {
        var made = ImmutableHashSet<IOperation>.Empty;
        foreach (var earlier in transfer.ValuesIn(condition, state))
        {
            if (!Carries(condition, earlier, state, transfer))
            {
                made = made.Add(earlier);
            }
        }

        return made;
    }

    private void Tested(IOperation copy, long from, long length, ImmutableHashSet<IOperation> madeByCall, FetchState state, FetchTransfer transfer)
    {
        var symbol = FlowAnalysis.SymbolOf(copy);
        foreach (var call in transfer.ValuesIn(copy, state))
        {
            if (state.Fetched.TryGetValue(call, out var mark) && transfer.FetchOf(call) is { CopyStartsAtIndexZero: true } fetch
                && SymbolEqualityComparer.Default.Equals(fetch.Destination, symbol))
            {
                long start = fetch.Offset + from;
                long end = start + length;
                if (!CheckedBytes.TryGetValue(call, out var tests))
                {
                    CheckedBytes[call] = tests = new();
                }

                tests.Add((start, end, state.Fetched));
                if (!mark.Used)
                {
                    if (!RecheckedBytes.TryGetValue(call, out var rechecked))
                    {
                        RecheckedBytes[call] = rechecked = new List<(long From, long To, ImmutableHashSet<IOperation> MadeByCall)>();
                    }

                    rechecked.Add((start, end, madeByCall));
                }
            }
        }
    }

    private static bool Contains(IOperation root, IOperation operation)
    {
        foreach (var descendant in root.DescendantsAndSelf())
        {
            if (ReferenceEquals(descendant, operation))
            {
                return true;
            }
        }

        return false;
    }
}
