using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// The kernel's fix of a double fetch into a buffer (a header copied and checked, then the whole
/// struct copied again from the same address): right after the second copy, the part the first copy
/// read is compared with the start of the second, and the function fails with <c>-EINVAL</c> when
/// user space changed it in between ("Ensure desc has not changed between the two reads" in
/// vop_ioctl(); the aacraid and cros_ec fixes compare the checked fields the same way). The error
/// path is the second copy's own, with <c>-EINVAL</c> for its <c>-EFAULT</c>:
/// <code>
/// if (!header.AsSpan().SequenceEqual(whole.AsSpan(0, header.Length)))
/// {
///     ret = -EINVAL;
///     goto exit;
/// }
/// </code>
/// A second copy into the same buffer writes over the first: the header is saved just before it
/// (<c>var sccbHeader = sccb.AsSpan(0, 8).ToArray();</c>) and that is compared; a buffer allocated anew
/// between the copies has the header saved right after the first copy instead. A field fetched alone
/// and then copied again with its struct is written over the copy instead (the dedupe ioctl's fix).
/// </summary>
internal static class DoubleFetchRecheck
{
    /// <summary>The re-check after the second copy (or the first value written over its copy), or why it cannot be written exactly.</summary>
    internal static FixPlan Plan(FixContext context, SyntaxNode member, InvocationExpressionSyntax firstCall, InvocationExpressionSyntax secondCall)
    {
        var (root, model, cancellationToken) = (context.Root, context.Model, context.CancellationToken);
        var facts = context.Facts(secondCall);
        if (Buffer(facts, model, secondCall, cancellationToken) is not var (second, secondStart, secondLength) || secondStart != 0)
        {
            return DeclineReason.FetchIntoABuffer;
        }

        if (Buffer(facts, model, firstCall, cancellationToken) is not var (first, firstStart, firstLength))
        {
            return OverwriteWithFirstValue(root, facts, member, firstCall, secondCall, second);
        }

        if (first is not ILocalSymbol firstArray || firstStart != 0 || secondLength is null)
        {
            return DeclineReason.FetchIntoABuffer;
        }

        // The first copy holds what was read until the second (or until its array is replaced by a new
        // one, into which the second copy goes): the engine follows the copy through aliases, views and
        // the helpers it is handed to.
        bool sameBuffer = SymbolEqualityComparer.Default.Equals(first, second);
        var held = facts?.FetchAt(firstCall) is { } firstFetch && facts.FetchAt(secondCall) is { } laterFetch
            ? facts.CopyAt(firstFetch, laterFetch, cancellationToken)
            : FetchedCopy.Changed;
        bool replaced = held == FetchedCopy.Replaced;
        if (held == FetchedCopy.Changed || (replaced && !sameBuffer))
        {
            return DeclineReason.FirstCopyChanged;
        }

        // Copied into the same buffer, the bytes past a shorter second copy still hold the first: the
        // saved header compares with exactly what the buffer holds, whatever the second copy's length.
        long? headerLength = firstLength is null
            ? (VariableReferences.In(model, member, firstArray, cancellationToken).Any(r => r.Use != ReferenceUse.Read) ? null : DeclaredLength(model, firstArray, cancellationToken))
            : ConstantLength(model, firstLength, cancellationToken);
        bool mayBeShorter = (!sameBuffer || replaced) && (facts?.FetchAt(secondCall) is not { } secondFetch
            || facts.Analysis.Fetches.LengthAtLeast(secondFetch) is not long least || least < headerLength);

        // memdup_user() returns exactly what it copied: a copy shorter than the header that was checked
        // is tested by its length before the bytes are compared (vop_ioctl()'s mic_desc_size() is never
        // shorter than the descriptor, but that is the helper's contract, not something the code shows).
        // A buffer allocated anew between the copies is compared whole over the header, so only its own
        // length has to hold the header: bytes it holds past a shorter copy are what the code reads anyway.
        bool lengthTested = mayBeShorter && (replaced || model.GetOperation(secondCall, cancellationToken) is IInvocationOperation { Type: IArrayTypeSymbol });
        // Into the same buffer, never replaced, the saved header is the first copy's own bytes, of its own
        // length: no constant length is needed (ethtool_get_rxnfc()'s info_size depends on the command).
        bool savedAsCopied = sameBuffer && !replaced;
        if ((headerLength is null && !savedAsCopied) || (mayBeShorter && !lengthTested))
        {
            return DeclineReason.SecondCopyShorter;
        }

        if (FailureCheck(model, secondCall, second, cancellationToken) is not var (check, block))
        {
            return DeclineReason.FirstFetchNotReusable;
        }

        // The re-check goes right after the second copy's failure test, which may end its block (the
        // second copy made in one branch, as ethtool_get_rxnfc()'s FLOW_RSS one is).
        int next = block.Statements.IndexOf(check) + 1;
        var following = next < block.Statements.Count ? block.Statements[next] : null;
        int position = following?.SpanStart ?? check.Span.End;
        if (InvalidBranch(model, member, check.Statement, position, cancellationToken) is not { } branch)
        {
            return DeclineReason.NoErrorPathToCopy;
        }

        var firstName = IdentifierName(first.Name);
        var header = firstLength is null
            ? InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, firstName, IdentifierName("AsSpan")))
            : InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, firstName, IdentifierName("AsSpan")),
                ArgumentList(SeparatedList(new[] { Argument(Number(0)), Argument(firstLength.WithoutTrivia()) })));
        var length = firstLength?.WithoutTrivia() ?? MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, firstName, IdentifierName("Length"));
        if (model.GetSpeculativeSymbolInfo(position, Compare(header, second, length), SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol { Name: "SequenceEqual" })
        {
            return DeclineReason.DoesNotBind;
        }

        StatementSyntax? save = null;
        var readFirst = secondCall.FirstAncestorOrSelf<StatementSyntax>();
        // A first length that is not a constant may change before the second copy (info_size set anew
        // for the whole struct): the header is saved as soon as the first copy is tested, with the
        // length that copy used.
        bool saveAfterFirstCheck = replaced || (sameBuffer && firstLength is not null && ConstantLength(model, firstLength, cancellationToken) is null);
        if (saveAfterFirstCheck)
        {
            // The buffer is allocated anew before the second copy: what was checked is saved as soon as
            // the first copy is tested, while the buffer still holds it. The kernel's fix (fa00c437eef8)
            // re-checks the header's size fields against the first copy's; comparing the whole header
            // is stronger, and is what vop_ioctl()'s fix (9bf292bfca94) does.
            readFirst = FailureCheck(model, firstCall, first, cancellationToken) is var (firstCheck, firstBlock)
                && (replaced ? firstBlock == block : block.AncestorsAndSelf().Contains(firstBlock))
                && firstBlock.Statements.IndexOf(firstCheck) + 1 is var afterCheck && afterCheck < firstBlock.Statements.Count
                ? firstBlock.Statements[afterCheck]
                : null;
        }

        if (sameBuffer)
        {
            // The second copy writes over the first: what was checked is saved just before it.
            string saved = first.Name + "Header";
            if (readFirst?.Parent is not BlockSyntax saveBlock || !block.AncestorsAndSelf().Contains(saveBlock) || !model.LookupSymbols(readFirst.SpanStart, name: saved).IsEmpty || !model.LookupSymbols(position, name: saved).IsEmpty)
            {
                return DeclineReason.DoesNotBind;
            }

            save = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"), SingletonSeparatedList(VariableDeclarator(Identifier(saved))
                .WithInitializer(EqualsValueClause(InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, header, IdentifierName("ToArray"))))))));
            var savedName = IdentifierName(saved);
            header = InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, savedName, IdentifierName("AsSpan")));
            length = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, savedName, IdentifierName("Length"));
        }

        ExpressionSyntax changed = PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, Compare(header, second, length));
        if (lengthTested)
        {
            var copied = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(second.Name), IdentifierName("Length"));
            changed = BinaryExpression(SyntaxKind.LogicalOrExpression, BinaryExpression(SyntaxKind.LessThanExpression, copied, length), changed);
        }

        var recheck = IfStatement(changed, branch);
        StatementSyntax anchor = following ?? check;
        return FixPlan.Rewrite(() =>
        {
            var tracked = save is null ? root.TrackNodes(anchor) : root.TrackNodes(anchor, readFirst!);
            if (save is not null)
            {
                tracked = GuardInsertion.InsertBefore(tracked, tracked.GetCurrentNode(readFirst!)!, new[] { save });
            }

            return following is null
                ? GuardInsertion.InsertAfter(tracked, tracked.GetCurrentNode(anchor)!, recheck)
                : GuardInsertion.InsertBefore(tracked, tracked.GetCurrentNode(anchor)!, new[] { recheck });
        });
    }

    /// <summary><c>header.SequenceEqual(second.AsSpan(0, length))</c>: the checked bytes against the start of the second copy.</summary>
    private static InvocationExpressionSyntax Compare(ExpressionSyntax header, ISymbol second, ExpressionSyntax length)
    {
        var start = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(second.Name), IdentifierName("AsSpan")),
            ArgumentList(SeparatedList(new[] { Argument(Number(0)), Argument(length) })));
        return InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, header, IdentifierName("SequenceEqual")), ArgumentList(SingletonSeparatedList(Argument(start))));
    }

    /// <summary>
    /// A header field fetched alone, then the struct that holds it (ioctl_file_dedupe_range(), fixed by
    /// 10eec60ce791 "vfs: ioctl: prevent double-fetch in dedupe ioctl": <c>same-&gt;dest_count = count;</c>):
    /// right after the second read and its failure check, the value read first is written over its
    /// bytes in the copy, so everything after reads the value that was checked:
    /// <c>BitConverter.TryWriteBytes(same.AsSpan(16, 2), count);</c>. The engine gives where the field
    /// lies in the copy (the reads' offsets from the same pointer) and that the copy covers it.
    /// </summary>
    private static FixPlan OverwriteWithFirstValue(SyntaxNode root, EngineFacts? facts, SyntaxNode member, InvocationExpressionSyntax firstCall, InvocationExpressionSyntax secondCall, ISymbol copy)
    {
        var model = facts?.Model;
        if (facts is null || model is null || facts.FetchAt(firstCall) is not { Size: long size } firstFetch || facts.FetchAt(secondCall) is not { CopyStartsAtIndexZero: true } secondFetch
            || firstFetch.Destination is not ILocalSymbol { RefKind: RefKind.None, IsConst: false } value || Width(value.Type) != size || size < 2
            || !SymbolEqualityComparer.Default.Equals(firstFetch.Root, secondFetch.Root)
            || copy.Kind is not (SymbolKind.Local or SymbolKind.Parameter) || (copy is ILocalSymbol { RefKind: not RefKind.None } or IParameterSymbol { RefKind: not RefKind.None })
            || copy switch { ILocalSymbol local => local.Type, IParameterSymbol parameter => parameter.Type, _ => null } is not IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte })
        {
            return DeclineReason.FetchIntoABuffer;
        }

        long from = firstFetch.Offset - secondFetch.Offset;
        if (from < 0 || facts.Analysis.Fetches.LengthAtLeast(secondFetch) is not long least || least < from + size)
        {
            return DeclineReason.SecondCopyShorter;
        }

        // The value is the one checked: only the first read writes it, or a constant the code settles
        // on past the checks (perf_copy_attr(): size = PERF_ATTR_SIZE_VER0 for 0, VER5 past the zeroed
        // tail), which the kernel's fix writes over the copy as it is.
        if (VariableReferences.In(model, member, value, CancellationToken.None).Any(r => r.Use != ReferenceUse.Read
                && !(r.Use == ReferenceUse.Write && (firstCall.Span.Contains(r.Name.Span) || AssignsAConstant(model, r.Name))))
            || FailureCheck(model, secondCall, copy, CancellationToken.None) is not var (check, block) || block.Statements.IndexOf(check) + 1 is var next && next >= block.Statements.Count)
        {
            return DeclineReason.FirstFetchNotReusable;
        }

        var place = block.Statements[next];
        var field = InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(copy.Name), IdentifierName("AsSpan")),
            ArgumentList(SeparatedList(new[] { Argument(Number(from)), Argument(Number(size)) })));
        var write = InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName("BitConverter"), IdentifierName("TryWriteBytes")),
            ArgumentList(SeparatedList(new[] { Argument(field), Argument(IdentifierName(value.Name)) })));
        if (model.GetSpeculativeSymbolInfo(place.SpanStart, write, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol { ContainingType.Name: "BitConverter" }
            || model.LookupSymbols(place.SpanStart, name: value.Name) is not { Length: 1 } found || !SymbolEqualityComparer.Default.Equals(found[0], value))
        {
            return DeclineReason.DoesNotBind;
        }

        return FixPlan.Rewrite(() => GuardInsertion.InsertBefore(root, place, new[] { ExpressionStatement(write) }));
    }

    /// <summary><c>name = CONSTANT;</c>: a plain assignment of a constant to the variable.</summary>
    private static bool AssignsAConstant(SemanticModel model, IdentifierNameSyntax name) =>
        name.Parent is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: var assigned } assignment
        && assignment.Left == name && model.GetConstantValue(assigned).HasValue;

    /// <summary>
    /// The <c>if</c> that tests the read for failure, in its block: the read's own <c>if (Copy(...) != 0)</c>,
    /// or the statement after <c>copy = MemdupUser(...);</c> when it is <c>if (copy == null)</c>, or after
    /// <c>ret = Copy(...);</c> when it is <c>if (ret != 0)</c>; no <c>else</c>.
    /// </summary>
    private static (IfStatementSyntax Check, BlockSyntax Block)? FailureCheck(SemanticModel model, InvocationExpressionSyntax call, ISymbol copy, CancellationToken cancellationToken)
    {
        if (call.Parent is BinaryExpressionSyntax { Left: var left, Right: var right } test && left == call
            && test.IsKind(SyntaxKind.NotEqualsExpression) && IsZero(model, right, cancellationToken)
            && test.Parent is IfStatementSyntax { Else: null, Parent: BlockSyntax block } check && check.Condition == test)
        {
            return (check, block);
        }

        if (call.FirstAncestorOrSelf<StatementSyntax>() is { Parent: BlockSyntax outer } statement
            && (statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Right: var assigned } } && assigned == call
                || statement is LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } && variables[0].Initializer?.Value == call)
            && outer.Statements.IndexOf(statement) + 1 is var following && following < outer.Statements.Count
            && outer.Statements[following] is IfStatementSyntax { Else: null } nullCheck
            && SyntaxSupport.Unparenthesize(nullCheck.Condition) is BinaryExpressionSyntax { Left: IdentifierNameSyntax tested, Right: var against } failed
            && model.GetSymbolInfo(tested, cancellationToken).Symbol is { } testedSymbol)
        {
            // The copy a helper returns is tested for null; the status a copy returns, for anything but 0.
            bool copyMissing = failed.IsKind(SyntaxKind.EqualsExpression) && against.IsKind(SyntaxKind.NullLiteralExpression)
                && SymbolEqualityComparer.Default.Equals(testedSymbol, copy);
            bool statusFailed = failed.IsKind(SyntaxKind.NotEqualsExpression) && IsZero(model, against, cancellationToken)
                && testedSymbol is ILocalSymbol { Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 }
                && model.GetOperation(call, cancellationToken) is IInvocationOperation { Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 }
                && SymbolEqualityComparer.Default.Equals(testedSymbol, AssignedBy(model, statement, cancellationToken));
            if (copyMissing || statusFailed)
            {
                return (nullCheck, outer);
            }
        }

        return null;
    }

    /// <summary>The local a statement <c>x = Call(...);</c> or <c>var x = Call(...);</c> stores into.</summary>
    private static ISymbol? AssignedBy(SemanticModel model, StatementSyntax statement, CancellationToken cancellationToken) => statement switch
    {
        ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } } => model.GetSymbolInfo(target, cancellationToken).Symbol,
        LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } => model.GetDeclaredSymbol(variables[0], cancellationToken),
        _ => null,
    };

    /// <summary>
    /// The array a copy writes and where: <c>buf</c> (from 0, its whole length: null) or
    /// <c>buf.AsSpan(start, length)</c>; null for any other destination (a helper's result, a slice).
    /// </summary>
    private static (ISymbol Array, long Start, ExpressionSyntax? Length)? Buffer(EngineFacts? facts, SemanticModel model, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation)
        {
            return null;
        }

        var spans = invocation.Arguments.Where(a => a.Parameter is { RefKind: RefKind.None, Type: INamedTypeSymbol { Name: "Span", Arity: 1 } }).ToList();
        if (spans.Count == 0 && invocation.Type is IArrayTypeSymbol
            && facts?.FetchAt(call) is { CopyStartsAtIndexZero: true, Destination: ILocalSymbol { RefKind: RefKind.None } copy, SizeValue.Syntax: ExpressionSyntax size })
        {
            // memdup_user(): the copy is the array it returns, stored in a local, as long as its length argument.
            return (copy, 0, size);
        }

        if (spans.Count != 1)
        {
            return null;
        }

        switch (Stripped(spans[0].Value))
        {
            case ILocalReferenceOperation { Local: { RefKind: RefKind.None, Type: IArrayTypeSymbol } whole }:
                return (whole, 0, null);
            case IParameterReferenceOperation { Parameter: { RefKind: RefKind.None, Type: IArrayTypeSymbol } whole }:
                return (whole, 0, null);
            case IInvocationOperation { TargetMethod.Name: "AsSpan", Arguments.Length: 3 } slice
                when FlowAnalysis.SymbolOf(Stripped(slice.Arguments[0].Value)) is ILocalSymbol { RefKind: RefKind.None, Type: IArrayTypeSymbol } or IParameterSymbol { RefKind: RefKind.None, Type: IArrayTypeSymbol }
                    && FlowAnalysis.SymbolOf(Stripped(slice.Arguments[0].Value)) is { } array
                    && slice.Arguments[1].Value.ConstantValue is { HasValue: true, Value: int start }
                    && slice.Arguments[2].Value.Syntax is ExpressionSyntax length:
                return (array, start, length);
            default:
                return null;
        }
    }

    private static IOperation Stripped(IOperation value)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }

    /// <summary>The length of an array declared as <c>var buf = new byte[CONSTANT];</c> in the function and never assigned again.</summary>
    private static long? DeclaredLength(SemanticModel model, ILocalSymbol array, CancellationToken cancellationToken) =>
        array.DeclaringSyntaxReferences.Length == 1
        && array.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: ArrayCreationExpressionSyntax { Type.RankSpecifiers: { Count: 1 } ranks, Initializer: null } }
        && ranks[0].Sizes.Count == 1
            ? ConstantLength(model, ranks[0].Sizes[0], cancellationToken)
            : null;

    private static long? ConstantLength(SemanticModel model, ExpressionSyntax length, CancellationToken cancellationToken) =>
        model.GetConstantValue(length, cancellationToken) is { HasValue: true, Value: int value } ? value : null;

    /// <summary>The size in bytes of an integral type; 0 for any other.</summary>
    private static int Width(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Byte or SpecialType.System_SByte => 1,
        SpecialType.System_UInt16 or SpecialType.System_Int16 => 2,
        SpecialType.System_UInt32 or SpecialType.System_Int32 => 4,
        SpecialType.System_UInt64 or SpecialType.System_Int64 => 8,
        _ => 0,
    };

    /// <summary>
    /// The second copy's failure branch with <c>-EINVAL</c> for its <c>-EFAULT</c>
    /// (<c>return -EFAULT;</c>, <c>{ ret = -EFAULT; goto exit; }</c>); for a bare <c>goto out;</c>
    /// (the errno preset in the local the function returns), <c>{ ret = -EINVAL; goto out; }</c>.
    /// Null when the branch does not always leave or has no errno to change.
    /// </summary>
    private static StatementSyntax? InvalidBranch(SemanticModel model, SyntaxNode member, StatementSyntax branch, int position, CancellationToken cancellationToken)
    {
        var last = branch is BlockSyntax { Statements.Count: > 0 } block ? block.Statements.Last() : branch;
        if (last is not (ReturnStatementSyntax or GotoStatementSyntax { RawKind: (int)SyntaxKind.GotoStatement }))
        {
            return null;
        }

        var faults = branch.DescendantNodesAndSelf().OfType<PrefixUnaryExpressionSyntax>()
            .Where(e => SyntaxSupport.IsNegativeErrno(model, e, "EFAULT", cancellationToken)).ToList();
        if (faults.Count > 0)
        {
            return branch.ReplaceNodes(faults, (original, _) => SyntaxSupport.NegativeErrno(model, position, "EINVAL").WithTriviaFrom(original)).WithoutTrivia();
        }

        if (last is not GotoStatementSyntax { Expression: IdentifierNameSyntax label } jump || branch is BlockSyntax { Statements.Count: > 1 }
            || ReturnedAt(model, member, label.Identifier.ValueText, cancellationToken) is not { } result)
        {
            return null;
        }

        return Block(
            ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName(result.Name), SyntaxSupport.NegativeErrno(model, position, "EINVAL"))),
            jump.WithoutTrivia());
    }

    /// <summary>
    /// The local an exit label returns (the kernel's <c>out: ...; return retval;</c>): the statements
    /// from the label on, in its block, run straight to <c>return local;</c> without assigning the
    /// local or jumping anywhere else.
    /// </summary>
    private static ILocalSymbol? ReturnedAt(SemanticModel model, SyntaxNode member, string label, CancellationToken cancellationToken)
    {
        if (member.DescendantNodes().OfType<LabeledStatementSyntax>().Where(l => l.Identifier.ValueText == label).ToList() is not { Count: 1 } labels
            || labels[0].Parent is not BlockSyntax block)
        {
            return null;
        }

        var passed = new System.Collections.Generic.List<StatementSyntax>();
        foreach (var statement in block.Statements.Skip(block.Statements.IndexOf(labels[0])))
        {
            var inner = statement;
            while (inner is LabeledStatementSyntax labeled)
            {
                inner = labeled.Statement;
            }

            if (inner is ReturnStatementSyntax { Expression: IdentifierNameSyntax name })
            {
                return model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol { Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 } local
                    && !passed.Any(p => VariableReferences.In(model, p, local, cancellationToken).Any(r => r.Use != ReferenceUse.Read))
                    ? local
                    : null;
            }

            if (inner.DescendantNodesAndSelf().Any(n => n is ReturnStatementSyntax or GotoStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or ThrowStatementSyntax))
            {
                return null;
            }

            passed.Add(inner);
        }

        return null;
    }

    private static LiteralExpressionSyntax Number(long value) => LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal((int)value));

    private static bool IsZero(SemanticModel model, ExpressionSyntax expression, CancellationToken cancellationToken) =>
        model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: int value } && value == 0;
}
