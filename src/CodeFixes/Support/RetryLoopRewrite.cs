using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using UserAccess.Analyzers.Engine;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// The parts shared by the fixes that rewrite to the canonical loop: reading the access statement,
/// choosing the fault-in from the access's annotations, spelling the runtime calls, and replacing a
/// run of statements of one block with the loop.
/// </summary>
internal static class RetryLoopRewrite
{
    /// <summary>
    /// <c>ret = Access(...);</c> or <c>int ret = Access(...);</c> with an int errno access whose
    /// arguments declare nothing; null for anything else. With <paramref name="allowUnusedOutVariables"/>,
    /// <c>out T x</c> arguments are accepted when nothing else in the enclosing block uses <c>x</c>:
    /// the statement moves into a loop body, where such a variable stays in scope for all its uses.
    /// </summary>
    internal static (InvocationExpressionSyntax Access, string Result, bool IsDeclaration)? ReadAccessStatement(SemanticModel model, StatementSyntax statement, InvocationExpressionSyntax access, CancellationToken cancellationToken, bool allowUnusedOutVariables = false, bool returnsErrno = false)
    {
        if (access.DescendantNodes().Any(n => n is AnonymousFunctionExpressionSyntax)
            || access.DescendantNodes().OfType<DeclarationExpressionSyntax>().Any(d => !allowUnusedOutVariables || !IsUnusedOutVariable(model, statement, d, cancellationToken))
            || SyntaxSupport.Method(model, access, cancellationToken) is not { } method
            || method.ReturnType.SpecialType != SpecialType.System_Int32
            || Analyzers.Engine.CompilationEngine.Get(model.Compilation) is not { } engine
            || !(returnsErrno || engine.GetAnnotations(method).ReturnsErrno))
        {
            return null;
        }

        switch (statement)
        {
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } assignment }
                when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == access
                    && model.GetSymbolInfo(target, cancellationToken).Symbol is ILocalSymbol { Type.SpecialType: SpecialType.System_Int32 }:
                return (access, target.Identifier.ValueText, false);
            case LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration
                when declaration.Declaration.Variables[0].Initializer?.Value == access && !declaration.IsConst && declaration.UsingKeyword.RawKind == 0
                    && model.GetDeclaredSymbol(declaration.Declaration.Variables[0], cancellationToken) is ILocalSymbol { Type.SpecialType: SpecialType.System_Int32 }:
                return (access, declaration.Declaration.Variables[0].Identifier.ValueText, true);
            default:
                return null;
        }
    }

    /// <summary><c>out T x</c> or <c>out var x</c> as an argument, <c>x</c> used nowhere in the enclosing block but in <paramref name="statement"/>.</summary>
    private static bool IsUnusedOutVariable(SemanticModel model, StatementSyntax statement, DeclarationExpressionSyntax declaration, CancellationToken cancellationToken)
    {
        if (declaration.Parent is not ArgumentSyntax argument || !argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword)
            || declaration.Designation is not SingleVariableDesignationSyntax designation
            || model.GetDeclaredSymbol(designation, cancellationToken) is not ILocalSymbol local
            || statement.Parent is null)
        {
            return false;
        }

        return !statement.Parent.DescendantNodes()
            .OfType<IdentifierNameSyntax>()
            .Any(name => !statement.Span.Contains(name.Span) && name.Identifier.ValueText == local.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local));
    }

    /// <summary>
    /// <c>PagefaultDisable();</c> (<paramref name="enters"/>) or <c>PagefaultEnable();</c>: a call
    /// statement whose only effect is to enter, or leave, the nofault region.
    /// </summary>
    internal static bool IsNofaultBoundary(EngineFacts facts, StatementSyntax statement, bool enters) =>
        statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } call }
        && LockStep.Of(facts, call) is { Locks.Count: 0, Regions.Count: 1 } step
        && step.Regions[0] == RegionKind.Nofault
        && step.IsAcquire == enters;

    /// <summary>
    /// Statements <paramref name="first"/>..<paramref name="last"/> of the block with the run of lock
    /// statements right before them (<see cref="Acquire"/>) and the run of releases right after
    /// them: the extended range, or null when the releases are not exactly the locks taken (then
    /// the range is not balanced on every path and cannot become a loop body).
    /// </summary>
    internal static (int First, int Last)? LockedRun(EngineFacts facts, BlockSyntax block, int first, int last, bool allowAtomicRegions)
    {
        var taken = new List<LockStep>();
        while (first > 0 && Acquire(facts, block.Statements[first - 1], allowAtomicRegions) is { } step)
        {
            taken.Add(step);
            first--;
        }

        var released = new List<LockStep>();
        while (last + 1 < block.Statements.Count
            && block.Statements[last + 1] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call }
            && LockStep.Of(facts, call) is { IsAcquire: false } release)
        {
            released.Add(release);
            last++;
        }

        return LockStep.SameSet(taken, released) ? (first, last) : null;
    }

    /// <summary>
    /// What a statement takes unconditionally, or through <c>if (XKillable() != 0) return ...;</c>;
    /// a region (a spinlock is also the atomic region) only with <paramref name="allowAtomicRegions"/>,
    /// and never the nofault region.
    /// </summary>
    internal static LockStep? Acquire(EngineFacts facts, StatementSyntax statement, bool allowAtomicRegions)
    {
        if (statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call }
            && LockStep.Of(facts, call) is { IsAcquire: true, When: AcquireWhen.Always } plain
            && Allowed(plain))
        {
            return plain;
        }

        if (statement is IfStatementSyntax { Else: null } ifStatement
            && SyntaxSupport.AlwaysReturns(ifStatement.Statement)
            && ifStatement.Condition is BinaryExpressionSyntax binary && binary.IsKind(SyntaxKind.NotEqualsExpression)
            && binary.Left is InvocationExpressionSyntax killable
            && binary.Right is LiteralExpressionSyntax { Token.ValueText: "0" }
            && LockStep.Of(facts, killable) is { IsAcquire: true, When: AcquireWhen.ReturnsZero } conditional
            && Allowed(conditional))
        {
            return conditional;
        }

        return null;

        bool Allowed(LockStep step) =>
            step.Regions.Count == 0 || (allowAtomicRegions && !step.Regions.Contains(RegionKind.Nofault));
    }

    /// <summary>
    /// The call to the access's fault-in (the engine's choice, the one its diagnostics name: the
    /// <c>[FaultsIn]</c> method of the access's type for its kind), with the access's own pointer
    /// and size, and whether it returns an errno (else the bytes not faulted in). Null when the
    /// arguments cannot be formed from plain expressions.
    /// </summary>
    /// <remarks>
    /// For a helper of the user's (<paramref name="helper"/>), the fault-in of the access it makes, on the
    /// arguments the call passes as its range, spelled as the runtime is named there; the helper is
    /// retried from its start, so a page-granular fault-in becomes its sub-page variant when there is one.
    /// </remarks>
    internal static (ExpressionSyntax Call, bool ReturnsErrno)? FaultInCall(SemanticModel model, InvocationExpressionSyntax access, CancellationToken cancellationToken, HelperUserRange? helper = null)
    {
        if (CompilationEngine.Get(model.Compilation) is not { } engine
            || SyntaxSupport.Method(model, access, cancellationToken) is not { } method
            || model.GetOperation(access, cancellationToken) is not Microsoft.CodeAnalysis.Operations.IInvocationOperation operation)
        {
            return null;
        }

        var userAccess = engine.GetAnnotations(method);
        var pointerName = helper is null ? userAccess.UserAccessPointer : helper.Pointer.Name;
        var sizeName = helper is null ? userAccess.UserAccessSize : helper.Size?.Name;
        if (pointerName is null || engine.FaultInFor(helper?.Access ?? method) is not { } faultIn)
        {
            return null;
        }

        var faultInAnnotations = engine.GetAnnotations(faultIn);
        var faultPointer = faultInAnnotations.FaultsInPointer ?? "uaddr";
        var faultSize = faultInAnnotations.FaultsInSize;
        var pointerArgument = operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == pointerName)?.Value.Syntax as ExpressionSyntax;
        if (pointerArgument is null || !IsPlain(pointerArgument))
        {
            return null;
        }

        var arguments = new List<ArgumentSyntax>();
        foreach (var parameter in faultIn.Parameters)
        {
            if (parameter.Name == faultPointer)
            {
                arguments.Add(Argument(pointerArgument.WithoutTrivia()));
            }
            else if (parameter.Name == faultSize && SizeOf(model, sizeName, operation, pointerArgument, cancellationToken) is { } size)
            {
                arguments.Add(Argument(size));
            }
            else
            {
                return null;
            }
        }

        var argumentList = ArgumentList(SeparatedList(arguments));
        if (helper is not null)
        {
            // The helper is retried from its start: a fault the page-granular probe cannot see would spin.
            var probe = faultIn;
            if (helper.Size is not null && faultInAnnotations is { FaultsInSize: not null, FaultsInSubPage: false } && SubPageVariant(engine, faultIn) is { } variant)
            {
                probe = variant;
            }

            var spelled = CallAt(model, access.SpanStart, probe, argumentList);
            bool errnoResult = engine.GetAnnotations(probe).ReturnsErrno;
            return spelled is null || errnoResult == engine.GetAnnotations(probe).ReturnsBytesNotFaultedIn ? null : (spelled, errnoResult);
        }

        var call = CallSupport.SiblingCall(model, access, faultIn.Name, argumentList, faultIn);
        if (call is null)
        {
            return null;
        }

        bool errno = faultInAnnotations.ReturnsErrno;
        bool count = faultInAnnotations.ReturnsBytesNotFaultedIn;
        return errno == count ? null : (WithForwardProgress(model, access, call, cancellationToken), errno);
    }

    /// <summary>The sub-page variant of a page-granular fault-in: same type, kind and parameter types, <c>[FaultsIn(SubPage = true)]</c>.</summary>
    private static IMethodSymbol? SubPageVariant(CompilationEngine engine, IMethodSymbol probe)
    {
        var kind = engine.GetAnnotations(probe).FaultsInKind;
        foreach (var candidate in probe.ContainingType.GetMembers().OfType<IMethodSymbol>())
        {
            if (engine.GetAnnotations(candidate) is { FaultsInSubPage: true } variant
                && variant.FaultsInKind == kind
                && candidate.Parameters.Length == probe.Parameters.Length
                && candidate.Parameters.Zip(probe.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// A call of a runtime method written where the user's code names the runtime: its simple name
    /// (<c>using static</c>), else its type's name as seen there; null when neither binds to it.
    /// </summary>
    internal static InvocationExpressionSyntax? CallAt(SemanticModel model, int position, IMethodSymbol target, ArgumentListSyntax arguments)
    {
        var simple = InvocationExpression(IdentifierName(target.Name), arguments);
        if (Binds(simple))
        {
            return simple;
        }

        var qualified = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, ParseTypeName(target.ContainingType.ToMinimalDisplayString(model, position)), IdentifierName(target.Name)),
            arguments);
        return Binds(qualified) ? qualified : null;

        bool Binds(InvocationExpressionSyntax call) =>
            SymbolEqualityComparer.Default.Equals(
                (model.GetSpeculativeSymbolInfo(position, call, SpeculativeBindingOption.BindAsExpression).Symbol as IMethodSymbol)?.OriginalDefinition,
                target.OriginalDefinition);
    }

    /// <summary>
    /// The fault-in of a loop that retries an all-or-nothing access of a range (no bytes-not-copied
    /// result: <c>CopyToUserNofault(to, data)</c>) from its start: its sub-page variant
    /// (<c>[FaultsIn(SubPage = true)]</c>, same type and parameters) when it probes page by page, so
    /// that a fault inside a page fails the fault-in too instead of making the loop spin (UA4005).
    /// Otherwise the call unchanged.
    /// </summary>
    internal static ExpressionSyntax WithForwardProgress(SemanticModel model, InvocationExpressionSyntax access, ExpressionSyntax faultIn, CancellationToken cancellationToken)
    {
        if (faultIn is not InvocationExpressionSyntax call
            || CompilationEngine.Get(model.Compilation) is not { } engine
            || SyntaxSupport.Method(model, access, cancellationToken) is not { } method
            || engine.GetAnnotations(method) is not { UserAccessSize: not null, ReturnsBytesNotCopied: false }
            || model.GetSpeculativeSymbolInfo(access.SpanStart, call, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol probe
            || engine.GetAnnotations(probe) is not { FaultsInKind: not null, FaultsInSize: not null, FaultsInSubPage: false })
        {
            return faultIn;
        }

        if (SubPageVariant(engine, probe) is { } candidate
            && CallSupport.SiblingCall(model, access, candidate.Name, call.ArgumentList, candidate) is { } renamed)
        {
            return renamed.WithTriviaFrom(call);
        }

        return faultIn;
    }

    /// <summary>
    /// The size argument of a fault-in for an access: the access's own size argument (a span's
    /// length, an <c>int</c>), or with <paramref name="sizeName"/> null the size of the pointed-to
    /// built-in type (<c>sizeof(uint)</c>). Null when it is neither.
    /// </summary>
    internal static ExpressionSyntax? SizeOf(SemanticModel model, string? sizeName, Microsoft.CodeAnalysis.Operations.IInvocationOperation operation, ExpressionSyntax pointer, CancellationToken cancellationToken)
    {
        if (sizeName is null)
        {
            // sizeof the pointed-to type: a built-in type only, so sizeof needs no unsafe context.
            if (model.GetTypeInfo(pointer, cancellationToken).Type is INamedTypeSymbol { IsGenericType: true } typed
                && typed.TypeArguments[0] is { SpecialType: not SpecialType.None } element
                && element.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16
                    or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64)
            {
                return SizeOfExpression(ParseTypeName(element.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
            }

            return null;
        }

        var argument = operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == sizeName)?.Value.Syntax as ExpressionSyntax;
        if (argument is not null && SliceLength(model, argument, cancellationToken) is { } length)
        {
            return length.WithoutTrivia();
        }

        if (argument is null || !IsPlainOrLiteral(argument))
        {
            return null;
        }

        var type = model.GetTypeInfo(argument, cancellationToken).Type;
        if (type?.SpecialType == SpecialType.System_Int32)
        {
            return argument.WithoutTrivia();
        }

        return type is not null && type.GetMembers("Length").OfType<IPropertySymbol>().Any(p => p.Type.SpecialType == SpecialType.System_Int32)
            ? MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, argument.WithoutTrivia(), IdentifierName("Length"))
            : null;
    }

    /// <summary>
    /// The length of a span cut with <c>span.Slice(start, length)</c> or <c>array.AsSpan(start, length)</c>,
    /// when it is a plain int: the size of a copy into a chunk of a buffer.
    /// </summary>
    private static ExpressionSyntax? SliceLength(SemanticModel model, ExpressionSyntax argument, CancellationToken cancellationToken)
    {
        if (argument is not InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 2 } arguments } slice
            || SyntaxSupport.Method(model, slice, cancellationToken) is not { } method
            || !IsPlain(arguments[1].Expression)
            || model.GetTypeInfo(arguments[1].Expression, cancellationToken).Type?.SpecialType != SpecialType.System_Int32)
        {
            return null;
        }

        var type = method.ContainingType.OriginalDefinition.ToDisplayString();
        bool cuts = (method.Name == "Slice" && type is "System.Span<T>" or "System.ReadOnlySpan<T>")
            || (method.Name == "AsSpan" && type == "System.MemoryExtensions");
        return cuts ? arguments[1].Expression : null;
    }

    /// <summary>
    /// A name, a member chain of names, or a sum or difference of those and literals (<c>buf + written</c>):
    /// free of side effects, so safe to evaluate again in the loop.
    /// </summary>
    internal static bool IsPlain(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax => true,
        ThisExpressionSyntax => true,
        MemberAccessExpressionSyntax access when access.IsKind(SyntaxKind.SimpleMemberAccessExpression) => IsPlain(access.Expression),
        BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression) || binary.IsKind(SyntaxKind.SubtractExpression) =>
            IsPlainOrLiteral(binary.Left) && IsPlainOrLiteral(binary.Right),
        ParenthesizedExpressionSyntax parenthesized => IsPlain(parenthesized.Expression),
        _ => false,
    };

    private static bool IsPlainOrLiteral(ExpressionSyntax expression) =>
        expression is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } || IsPlain(expression);

    /// <summary><c>PagefaultDisable()</c> (<paramref name="enters"/>) or <c>PagefaultEnable()</c>: the access's type's parameterless call that only enters, or leaves, the nofault region, spelled as at the access.</summary>
    internal static ExpressionSyntax? NofaultBoundaryCall(EngineFacts facts, InvocationExpressionSyntax access, bool enters, IMethodSymbol? runtime = null) =>
        RuntimeCall(facts, access, runtime, candidate => candidate.ReturnsVoid
            && facts.AnnotationsOf(candidate) is { Acquires.IsEmpty: true, Releases.IsEmpty: true } annotations
            && (enters ? annotations.Enters : annotations.Exits) is { Length: 1 } region && region[0] == RegionKind.Nofault
            && (enters ? annotations.Exits : annotations.Enters).IsEmpty);

    /// <summary><c>FatalSignalPending()</c>: the access's type's parameterless test for a fatal signal (not any signal), spelled as at the access.</summary>
    internal static ExpressionSyntax? FatalSignalCheck(EngineFacts facts, InvocationExpressionSyntax access, IMethodSymbol? runtime = null) =>
        RuntimeCall(facts, access, runtime, candidate => candidate.ReturnType.SpecialType == SpecialType.System_Boolean
            && facts.AnnotationsOf(candidate) is { FatalSignalCheck: true, FatalSignalCheckAnySignal: false });

    /// <remarks>
    /// With <paramref name="runtime"/> (the access a helper of the user's makes), the call is one of
    /// that access's type, written as the runtime is named at the helper's call.
    /// </remarks>
    private static ExpressionSyntax? RuntimeCall(EngineFacts facts, InvocationExpressionSyntax access, IMethodSymbol? runtime, System.Func<IMethodSymbol, bool> fits)
    {
        if ((runtime ?? SyntaxSupport.Method(facts.Model, access, default)) is not { } method)
        {
            return null;
        }

        foreach (var candidate in method.ContainingType.GetMembers().OfType<IMethodSymbol>())
        {
            if (candidate.IsStatic && candidate.Parameters.Length == 0 && fits(candidate)
                && (runtime is null
                    ? CallSupport.SiblingCall(facts.Model, access, candidate.Name, ArgumentList(), candidate)
                    : CallAt(facts.Model, access.SpanStart, candidate, ArgumentList())) is { } call)
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>
    /// Replaces statements <paramref name="first"/>..<paramref name="last"/> of <paramref name="block"/>
    /// by the loop, declaring the result before it when the access declared it, and followed by
    /// <paramref name="after"/> when given (the access's failure branch, tested on the loop's result).
    /// </summary>
    internal static SyntaxNode Replace(SyntaxNode root, BlockSyntax block, int first, int last, WhileStatementSyntax loop, string? declareResult, SyntaxTriviaList? loopLeading = null, SyntaxTriviaList? loopTrailing = null, StatementSyntax? after = null)
    {
        var leading = loopLeading ?? block.Statements[first].GetLeadingTrivia();
        var trailing = loopTrailing ?? block.Statements[last].GetTrailingTrivia();
        var replacement = new List<StatementSyntax>();
        if (declareResult is not null)
        {
            replacement.Add(LocalDeclarationStatement(VariableDeclaration(PredefinedType(Token(SyntaxKind.IntKeyword)), SingletonSeparatedList(VariableDeclarator(declareResult))))
                .WithLeadingTrivia(leading));
            replacement.Add(loop.WithTrailingTrivia(trailing));
        }
        else
        {
            replacement.Add(loop.WithLeadingTrivia(leading).WithTrailingTrivia(trailing));
        }

        if (after is not null)
        {
            replacement.Add(after);
        }

        var statements = block.Statements.Take(first)
            .Concat(replacement.Select(s => s.WithAdditionalAnnotations(Formatter.Annotation)))
            .Concat(block.Statements.Skip(last + 1));
        return root.ReplaceNode(block, block.WithStatements(List(statements)));
    }

    /// <summary>The additional location named by a property, as a node of <paramref name="root"/>.</summary>
    internal static SyntaxNode? Additional(SyntaxNode root, Diagnostic diagnostic, string key)
    {
        if (!diagnostic.Properties.TryGetValue(key, out var value) || !int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            || index < 0 || index >= diagnostic.AdditionalLocations.Count)
        {
            return null;
        }

        return SyntaxSupport.NodeAt(root, diagnostic.AdditionalLocations[index]);
    }
}
