using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace UserAccess.Analyzers.Engine;

/// <summary>
/// What is known about a pointer's range check beyond the constant size that <see cref="SymbolFact"/>
/// keeps (UA5003): the variable the checked size is (a count of elements of a constant size, as in
/// <c>access_ok(usyms, cnt * sizeof(*usyms))</c>), or that the pointer was derived from another one
/// before a check (<c>prev = dirent - prevReclen</c>). Joins as "must".
/// </summary>
internal readonly struct AccessRange : IEquatable<AccessRange>
{
    // Stored less one so that default(AccessRange), the fact of a pointer no check named, has the same
    // element size (1) as the range the constructor builds for it: an unchanged range compares equal
    // and a write that changes nothing keeps the state it had.
    private readonly long elementSizeAboveOne;

    public AccessRange(ISymbol? sizeSymbol, ISymbol? baseSymbol, ISymbol? baseDistance, bool computed = false, long elementSize = 1)
    {
        SizeSymbol = sizeSymbol;
        Base = baseSymbol;
        BaseDistance = baseDistance;
        Computed = computed;
        elementSizeAboveOne = sizeSymbol is null ? 0 : elementSize - 1;
    }

    /// <summary>An unchecked pointer computed from a plain address (<c>new UserPtr(sp - len)</c>), here or
    /// in a helper that returned it so: no check elsewhere can cover it.</summary>
    public bool Computed { get; }

    /// <summary>The check covered exactly the value of this variable (<c>AccessOk(p, len)</c>) times <see cref="ElementSize"/>.</summary>
    public ISymbol? SizeSymbol { get; }

    /// <summary>The bytes of one of the <see cref="SizeSymbol"/> elements checked: 1 for a length in bytes, 8 for <c>AccessOk(p, n * 8)</c>.</summary>
    public long ElementSize => elementSizeAboveOne + 1;

    /// <summary>The pointer is <c>Base - BaseDistance</c>, or a copy of <c>Base</c> when there is no distance (assigned so, not yet checked).</summary>
    public ISymbol? Base { get; }

    /// <summary>See <see cref="Base"/>.</summary>
    public ISymbol? BaseDistance { get; }

    public bool IsEmpty => SizeSymbol is null && Base is null && BaseDistance is null && !Computed;

    public AccessRange Join(AccessRange other, bool stillChecked) => new(
        stillChecked && SymbolEqualityComparer.Default.Equals(SizeSymbol, other.SizeSymbol) && ElementSize == other.ElementSize ? SizeSymbol : null,
        SymbolEqualityComparer.Default.Equals(Base, other.Base) && SymbolEqualityComparer.Default.Equals(BaseDistance, other.BaseDistance) ? Base : null,
        SymbolEqualityComparer.Default.Equals(Base, other.Base) && SymbolEqualityComparer.Default.Equals(BaseDistance, other.BaseDistance) ? BaseDistance : null,
        Computed && other.Computed,
        ElementSize);

    /// <summary>The same facts without those that name <paramref name="symbol"/> (it was assigned).</summary>
    public AccessRange Forget(ISymbol symbol)
    {
        if (IsEmpty)
        {
            return this;
        }

        bool link = SymbolEqualityComparer.Default.Equals(Base, symbol) || SymbolEqualityComparer.Default.Equals(BaseDistance, symbol);
        return new(
            SymbolEqualityComparer.Default.Equals(SizeSymbol, symbol) ? null : SizeSymbol,
            link ? null : Base,
            link ? null : BaseDistance,
            Computed,
            ElementSize);
    }

    public bool Equals(AccessRange other) =>
        SymbolEqualityComparer.Default.Equals(SizeSymbol, other.SizeSymbol)
        && ElementSize == other.ElementSize
        && SymbolEqualityComparer.Default.Equals(Base, other.Base)
        && SymbolEqualityComparer.Default.Equals(BaseDistance, other.BaseDistance)
        && Computed == other.Computed;

    public override bool Equals(object? obj) => obj is AccessRange other && Equals(other);

    public override int GetHashCode() => SizeSymbol is null ? 0 : 1;
}

/// <summary>Whether a range check covers an access.</summary>
internal enum Coverage
{
    /// <summary>No check covers it on every path, or the access goes past the checked size.</summary>
    Unchecked = 0,

    /// <summary>A dominating check covers it.</summary>
    Inside = 1,

    /// <summary>The check may exist where the engine cannot see it, or its extent is not known: undecidable.</summary>
    Undecidable = 2,
}

/// <summary>
/// The transfer functions of a pointer's range check (<c>access_ok()</c>) and the one place that decides
/// whether a checked range covers an access. A check covers <c>[p, p + size)</c>; the pointer keeps it
/// while it walks the range (<c>p += k</c>, <c>p = p + k</c>, <c>p = new UserPtr(f(p.Address))</c>): a
/// constant size shrinks by a constant step and is lost past its end, any other walk leaves a check of
/// unknown extent. A pointer derived before the check (<c>prev = dirent - n; AccessOk(prev, n + len)</c>)
/// gets the part of the check beyond the distance; a copy made before it (<c>tmp = buf; AccessOk(buf, n)</c>)
/// gets the whole check, while neither is assigned again. A pointer returned by a source helper is what the
/// helper's summary says (<see cref="ReturnedPointer"/>): checked on every return, computed from an
/// address with no check (<c>compat_alloc_user_space()</c> before v2.6.36), or unknown. A pointer loaded
/// from another object's field, or returned by a helper the summary cannot decide, may have been checked
/// where the engine cannot see it.
/// </summary>
internal static class AccessRanges
{
    /// <summary>A successful <c>AccessOk(pointer, size)</c> on this edge.</summary>
    public static FlowState Check(IOperation pointer, IOperation? size, FlowState state)
    {
        if (FlowAnalysis.SymbolOf(pointer) is not { } symbol)
        {
            return state;
        }

        // A constant size (`4`, `sizeof(uint)`, converted to ulong) bounds the check; a variable names it.
        var (covered, sizeSymbol, elementSize) = Extent(size);
        var old = state.GetFact(symbol);
        state = state.SetFact(symbol, old.WithAccess(true, covered, new AccessRange(sizeSymbol, null, null, elementSize: elementSize)));

        // Copies of the pointer made before the check are checked with it.
        foreach (var pair in state.Facts)
        {
            if (pair.Value.Access is { Base: { } copiedFrom, BaseDistance: null } && SymbolEqualityComparer.Default.Equals(copiedFrom, symbol))
            {
                state = state.SetFact(pair.Key, pair.Value.WithAccess(true, covered, new AccessRange(sizeSymbol, null, null, elementSize: elementSize)));
            }
        }

        // prev = dirent - n; AccessOk(prev, n + len): dirent is checked for len.
        if (old.Access is { Base: { } baseSymbol, BaseDistance: { } distance } && size is not null
            && FlowAnalysis.Strip(size) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum)
        {
            IOperation? rest = SameSymbol(sum.RightOperand, distance) ? sum.LeftOperand
                : SameSymbol(sum.LeftOperand, distance) ? sum.RightOperand
                : null;
            if (rest is not null)
            {
                var (restCovered, restSymbol, restElementSize) = Extent(rest);
                var baseFact = state.GetFact(baseSymbol);
                state = state.SetFact(baseSymbol, baseFact.WithAccess(true, restCovered, new AccessRange(restSymbol, null, null, elementSize: restElementSize)));
            }
        }

        return state;
    }

    /// <summary>
    /// On an edge where <paramref name="pointer"/> is NULL: address 0 is a user address, and
    /// <c>access_ok()</c> passes for it, so the pointer is as good as checked there. After
    /// <c>if (v_regs &amp;&amp; !access_ok(v_regs, n)) return -EFAULT;</c> (ppc64 <c>restore_sigcontext()</c>)
    /// the pointer is then checked on both paths that go on.
    /// </summary>
    public static FlowState Null(IOperation pointer, FlowState state) =>
        FlowAnalysis.SymbolOf(pointer) is { } symbol && AlignmentFacts.IsUserPtr(FlowAnalysis.Strip(pointer).Type) && !state.GetFact(symbol).AccessChecked
            ? state.SetFact(symbol, state.GetFact(symbol).WithAccess(true, null, default))
            : state;

    /// <summary>A null user pointer: <c>UserPtr.Null</c>, <c>default</c>, <c>new UserPtr(0)</c>.</summary>
    public static bool IsNullPointer(IOperation operation) => FlowAnalysis.Strip(operation) switch
    {
        IDefaultValueOperation value => AlignmentFacts.IsUserPtr(value.Type),
        IPropertyReferenceOperation { Property: { Name: "Null", IsStatic: true } property } => AlignmentFacts.IsUserPtr(property.Type),
        IObjectCreationOperation { Arguments.Length: 1 } creation => AlignmentFacts.IsUserPtr(creation.Type) && OperandRanges.Constant(creation.Arguments[0].Value) == 0,
        _ => false,
    };

    /// <summary>
    /// The fact an assignment <c>target = value</c> leaves on the target, given <paramref name="fact"/>
    /// (what the value itself carries), and what the assignment makes stale in other facts.
    /// </summary>
    public static FlowState Assign(ISymbol target, IOperation value, SymbolFact fact, FlowState state, Func<IInvocationOperation, ReturnedPointer> returnedBy)
    {
        var before = state;
        state = Forget(target, state);
        var stripped = FlowAnalysis.Strip(value);
        if (!AlignmentFacts.IsUserPtr(stripped.Type) && !AlignmentFacts.IsUserPtr(target switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        }))
        {
            return state.SetFact(target, fact);
        }

        if (FlowAnalysis.SymbolOf(WithoutCasts(stripped)) is { } copied)
        {
            // tmp = buf; AccessOk(buf, count): a copy made before the check is the same pointer, and the
            // check covers it too while neither is assigned again (read_port()'s walking tmp; a typed view
            // of it, f = from.Cast<byte>(), in exact_copy_from_user()).
            return !fact.AccessChecked && fact.Access.IsEmpty && target is ILocalSymbol && !SymbolEqualityComparer.Default.Equals(copied, target)
                ? state.SetFact(target, fact.WithAccess(false, null, new AccessRange(null, copied, null)))
                : state.SetFact(target, fact);
        }

        var origin = Unwrap(stripped);
        if (origin is IInvocationOperation call && returnedBy(call) is { IsKnown: true } returned)
        {
            // A size is kept only for the helper's pointer itself, not for a pointer derived from it.
            return returned.Computed
                ? state.SetFact(target, fact.WithAccess(false, null, ComputedRange))
                : state.SetFact(target, fact.WithAccess(true, ReferenceEquals(WithoutCasts(stripped), call) ? returned.CheckedSize : null, default));
        }

        if (IsUnseenSource(origin))
        {
            return state.SetFact(target, fact.WithAccess(true, null, default));
        }

        // q = p - n: remember the link; a later check of q may cover p.
        if (stripped is IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } minus
            && AlignmentFacts.Root(minus.LeftOperand, out long minusOffset) is { } minuend && minusOffset == 0
            && FlowAnalysis.SymbolOf(minus.RightOperand) is { } distance)
        {
            return state.SetFact(target, fact.WithAccess(false, null, new AccessRange(null, minuend, distance)));
        }

        if (WalkedFrom(stripped, out long step) is { } source)
        {
            var walked = Walk(before.GetFact(source), step);
            return state.SetFact(target, fact.WithAccess(walked.AccessChecked, walked.CheckedSize, walked.Access));
        }

        if (IsComputedAddress(origin))
        {
            return state.SetFact(target, fact.WithAccess(false, null, ComputedRange));
        }

        return state.SetFact(target, fact);
    }

    /// <summary>
    /// What a helper's <c>return</c> of <paramref name="value"/> tells its callers about the pointer:
    /// checked for a size, computed with no check, or unknown (a parameter passed back, another object's
    /// field). <c>null</c>: a null pointer, which says nothing about the other returns.
    /// </summary>
    public static ReturnedPointer? Returned(IOperation value, FlowState state)
    {
        var stripped = FlowAnalysis.Strip(value);
        if (stripped is IDefaultValueOperation || stripped.ConstantValue is { HasValue: true, Value: null })
        {
            return null;
        }

        if (AlignmentFacts.Root(stripped, out long offset) is { } root)
        {
            var fact = state.GetFact(root);
            if (fact.AccessChecked)
            {
                return fact.CheckedSize is not long covered ? new ReturnedPointer(true, null, false)
                    : covered - offset > 0 ? new ReturnedPointer(true, covered - offset, false)
                    : default;
            }

            return fact.Access.Computed ? new ReturnedPointer(false, null, true) : default;
        }

        return IsComputedAddress(Unwrap(stripped)) ? new ReturnedPointer(false, null, true) : default;
    }

    /// <summary><c>p += k</c>, <c>p -= k</c>, <c>p++</c>: the pointer walks its checked range (<paramref name="killed"/>: the state with the target forgotten).</summary>
    public static FlowState Advance(IOperation target, IOperation? step, bool backwards, FlowState before, FlowState killed)
    {
        if (FlowAnalysis.SymbolOf(target) is not { } symbol || !AlignmentFacts.IsUserPtr(FlowAnalysis.Strip(target).Type))
        {
            return killed;
        }

        if (backwards)
        {
            return killed;
        }

        long constant = step is null ? 1 : OperandRanges.Constant(step) ?? -1;
        var walked = Walk(before.GetFact(symbol), constant);
        var fact = killed.GetFact(symbol);
        return killed.SetFact(symbol, fact.WithAccess(walked.AccessChecked, walked.CheckedSize, walked.Access));
    }

    /// <summary>Facts about other symbols that named <paramref name="assigned"/> are stale once it is assigned.</summary>
    public static FlowState Forget(ISymbol assigned, FlowState state)
    {
        foreach (var pair in state.Facts)
        {
            var fact = pair.Value;
            var access = fact.Access.Forget(assigned);
            var range = fact.Range.Forget(assigned);
            if (!access.Equals(fact.Access) || !range.Equals(fact.Range))
            {
                state = state.SetFact(pair.Key, fact.WithRange(range).WithAccess(fact.AccessChecked, fact.CheckedSize, access));
            }
        }

        return state;
    }

    /// <summary>
    /// Whether the checks before the access cover <paramref name="size"/> bytes at <paramref name="pointer"/>
    /// (<c>null</c>: the size is not known). The pointer is a variable plus a constant offset
    /// (<c>(p + 16).Cast&lt;ushort&gt;()</c>), optionally plus an index (<c>(p + i).Cast&lt;byte&gt;()</c>) or an
    /// index of elements of a constant size (<c>(p + i * 8).Cast&lt;ulong&gt;()</c>), or a helper's result,
    /// which <paramref name="returnedBy"/> knows from the helper's summary. <paramref name="sizeValue"/> is the
    /// expression of a size that is not a constant (the length of the span copied): an index and a size
    /// that add up to a constant inside a check of a constant size are inside it (<see cref="LinearSum"/>,
    /// with the locals <paramref name="facts"/> finds set once).
    /// </summary>
    public static Coverage Covers(IOperation pointer, long? size, FlowState state, Func<IInvocationOperation, ReturnedPointer> returnedBy,
        IOperation? sizeValue = null, Func<LoopFacts>? facts = null)
    {
        var current = FlowAnalysis.Strip(pointer);
        ISymbol? index = null;
        IOperation? indexValue = null;
        long indexScale = 1;
        for (int depth = 0; depth < 8; depth++)
        {
            if (current is IInvocationOperation { TargetMethod.Name: "Cast", Instance: { } instance } && AlignmentFacts.IsUserPtr(instance.Type))
            {
                current = FlowAnalysis.Strip(instance);
                continue;
            }

            if (index is null && current is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add && AlignmentFacts.IsUserPtr(add.Type)
                && OperandRanges.Constant(add.RightOperand) is null && Scaled(add.RightOperand, out indexScale) is { } variable)
            {
                index = variable;
                indexValue = add.RightOperand;
                current = FlowAnalysis.Strip(add.LeftOperand);
                continue;
            }

            break;
        }

        if (AlignmentFacts.Root(current, out long offset) is not { } root)
        {
            var source = Unwrap(current);

            // An offset the engine cannot evaluate (kernel/printk.c's buf + (count - 1 - i)) into a range
            // checked for a variable length may well be inside it: undecidable, not unchecked.
            if (FlowAnalysis.SymbolOf(source) is { } checkedBase && state.GetFact(checkedBase) is { AccessChecked: true, CheckedSize: null })
            {
                return Coverage.Undecidable;
            }

            if (source is IInvocationOperation call && returnedBy(call) is { IsKnown: true } returned)
            {
                return returned.Computed ? Coverage.Unchecked : Coverage.Undecidable;
            }

            return IsUnseenSource(source) ? Coverage.Undecidable : Coverage.Unchecked;
        }

        var fact = state.GetFact(root);
        if (!fact.AccessChecked)
        {
            return Coverage.Unchecked;
        }

        if (index is null)
        {
            // A variable size is taken as covering constant offsets: the kernel's structs are smaller than any length it checks.
            // Bytes before the pointer are outside whatever it was checked for.
            return offset >= 0 && (fact.CheckedSize is not long covered || size is not long needed || offset + needed <= covered)
                ? Coverage.Inside
                : Coverage.Unchecked;
        }

        var bound = state.GetFact(index).Range;
        if (fact.CheckedSize is long constantSize)
        {
            return (size is long n && bound.Upper is long upper && offset + upper * indexScale + n <= constantSize)
                || (size is null && indexValue is not null && sizeValue is not null && facts is not null
                    && EndsInside(offset, indexValue, sizeValue, constantSize, state, facts()))
                ? Coverage.Inside
                : Coverage.Unchecked;
        }

        if (fact.Access.SizeSymbol is { } length)
        {
            // buf[i] with i < len inside AccessOk(buf, len): one byte at a time; usyms[i] with i < cnt inside
            // AccessOk(usyms, cnt * 8): one element of at most 8 bytes at a time.
            // An index below a variable that is never above the checked length is inside it too.
            return offset == 0 && indexScale == fact.Access.ElementSize && (size is null || size <= indexScale)
                && bound.Below is { } below
                && (SymbolEqualityComparer.Default.Equals(below, length)
                    || (facts is not null && facts() is { } loops && loops.PositionOf(FlowAnalysis.Strip(pointer)) is { } at && loops.NeverAbove(below, length, at)))
                ? Coverage.Inside
                : Coverage.Unchecked;
        }

        return Coverage.Undecidable;
    }

    /// <summary>
    /// The bytes <c>[offset + index, offset + index + size)</c> lie inside <c>[0, checkedSize)</c>: the index
    /// is at least 0 by the bounds the checks left, and the index and the size add up to a constant that
    /// ends inside the check (the second half of a copy split around a wrap point: <c>d + other</c> for
    /// <c>offset</c> bytes with <c>other = 80 - offset</c> and <c>offset &lt;= 70</c>, inside <c>AccessOk(d, 80)</c>).
    /// </summary>
    private static bool EndsInside(long offset, IOperation index, IOperation size, long checkedSize, FlowState state, LoopFacts facts) =>
        LinearSum.Of(index, facts) is { } start && LinearSum.Of(size, facts) is { } length && start.Plus(length) is { Terms.Count: 0 } end
        && start.LowerBound(state) is long least && offset + least >= 0 && offset + end.Constant <= checkedSize;

    /// <summary>A check of a constant size walked by a constant step keeps the rest; any other walk keeps a check of unknown extent.</summary>
    private static SymbolFact Walk(SymbolFact fact, long step)
    {
        if (!fact.AccessChecked)
        {
            return fact.Access.Computed ? default(SymbolFact).WithAccess(false, null, ComputedRange) : default;
        }

        if (fact.CheckedSize is long covered)
        {
            return step >= 0 && covered - step > 0 ? fact.WithAccess(true, covered - step, default) : default;
        }

        return fact.WithAccess(true, null, default);
    }

    /// <summary><c>p + k</c> (the step <c>k</c>, or -1 when not a constant) or <c>new UserPtr(f(p.Address))</c> (-1): the pointer <c>p</c>.</summary>
    private static ISymbol? WalkedFrom(IOperation value, out long step)
    {
        step = -1;
        if (AlignmentFacts.Root(value, out long offset) is { } root)
        {
            step = offset;
            return root;
        }

        if (value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add && AlignmentFacts.IsUserPtr(add.Type)
            && AlignmentFacts.Root(add.LeftOperand, out long leftOffset) is { } left && leftOffset == 0)
        {
            return left;
        }

        if (value is IObjectCreationOperation { Arguments.Length: 1 } creation && AlignmentFacts.IsUserPtr(creation.Type))
        {
            foreach (var operation in creation.Arguments[0].Value.DescendantsAndSelf())
            {
                if (operation is IPropertyReferenceOperation { Property.Name: "Address", Instance: { } instance } && AlignmentFacts.IsUserPtr(instance.Type)
                    && AlignmentFacts.Root(instance, out long addressOffset) is { } walked && addressOffset == 0)
                {
                    return walked;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A pointer whose check the engine cannot see: a field of another kernel object (stored after a
    /// check elsewhere, like <c>t-&gt;rseq</c>) or the result of a source helper (<c>epoll_put_uevent()</c>).
    /// A field of a struct value is not: such a struct is typically a copy of user memory (an iovec),
    /// the very pointer that must be checked.
    /// </summary>
    private static bool IsUnseenSource(IOperation value) => value switch
    {
        IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol, Instance: { Type.IsReferenceType: true } instance }
            when instance is not IInstanceReferenceOperation => true,
        IInvocationOperation invocation => invocation.TargetMethod.DeclaringSyntaxReferences.Length > 0 && AlignmentFacts.IsUserPtr(invocation.Type),
        _ => false,
    };

    private static readonly AccessRange ComputedRange = new(null, null, null, computed: true);

    /// <summary>
    /// <c>new UserPtr(sp - len)</c>: a pointer made from an address that is no variable and no other
    /// pointer's address, so nothing can have checked it yet.
    /// </summary>
    private static bool IsComputedAddress(IOperation value)
    {
        if (value is not IObjectCreationOperation { Arguments.Length: 1 } creation || !AlignmentFacts.IsUserPtr(creation.Type)
            || AlignmentFacts.Root(creation, out _) is not null)
        {
            return false;
        }

        foreach (var operation in creation.Arguments[0].Value.DescendantsAndSelf())
        {
            if (AlignmentFacts.IsUserPtr(operation.Type) || operation is IMemberReferenceOperation or IInvocationOperation)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The pointer under <c>Cast</c> and <c>Untagged</c>.</summary>
    private static IOperation WithoutCasts(IOperation pointer)
    {
        var current = FlowAnalysis.Strip(pointer);
        for (int depth = 0; depth < 8; depth++)
        {
            switch (current)
            {
                case IInvocationOperation { TargetMethod.Name: "Cast", Instance: { } instance } when AlignmentFacts.IsUserPtr(instance.Type):
                    current = FlowAnalysis.Strip(instance);
                    continue;
                case IPropertyReferenceOperation { Property.Name: "Untagged", Instance: { } instance } when AlignmentFacts.IsUserPtr(instance.Type):
                    current = FlowAnalysis.Strip(instance);
                    continue;
            }

            break;
        }

        return current;
    }

    /// <summary>The pointer under <c>Cast</c>, <c>Untagged</c> and constant offsets.</summary>
    private static IOperation Unwrap(IOperation pointer)
    {
        var current = WithoutCasts(pointer);
        for (int depth = 0; depth < 8 && current is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add && AlignmentFacts.IsUserPtr(add.Type); depth++)
        {
            current = WithoutCasts(add.LeftOperand);
        }

        return current;
    }

    /// <summary>A checked size: a constant, a variable, or a variable count of elements of a constant size (<c>n * 8</c>).</summary>
    private static (long? Constant, ISymbol? Symbol, long ElementSize) Extent(IOperation? size)
    {
        if (size is null)
        {
            return (null, null, 1);
        }

        if (OperandRanges.Constant(size) is long constant)
        {
            return (constant, null, 1);
        }

        return Scaled(size, out long elementSize) is { } symbol ? (null, symbol, elementSize) : (null, null, 1);
    }

    /// <summary><c>n</c> (scale 1), or <c>n * k</c> / <c>k * n</c> with a positive constant <c>k</c>: the variable and its scale.</summary>
    private static ISymbol? Scaled(IOperation operand, out long scale)
    {
        scale = 1;
        if (FlowAnalysis.Strip(operand) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } product)
        {
            var (variable, factor) = OperandRanges.Constant(product.RightOperand) is long right ? (product.LeftOperand, right)
                : OperandRanges.Constant(product.LeftOperand) is long left ? (product.RightOperand, left)
                : (null, 0L);
            if (variable is null || factor <= 0 || FlowAnalysis.SymbolOf(variable) is not { } symbol)
            {
                return null;
            }

            scale = factor;
            return symbol;
        }

        return FlowAnalysis.SymbolOf(operand);
    }

    private static bool SameSymbol(IOperation operation, ISymbol symbol) =>
        SymbolEqualityComparer.Default.Equals(FlowAnalysis.SymbolOf(operation), symbol);
}
