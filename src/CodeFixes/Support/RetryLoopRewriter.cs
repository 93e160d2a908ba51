using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// The one rewrite into the canonical retry loop (<see cref="CanonicalLoop"/>) of UA1002, UA2002 and
/// UA4001. Each fix only recognises its shape into a <see cref="RetryLoopShape"/>; this validates it
/// with the engine's facts (nothing held before the loop, nothing declared by a moved statement used
/// after it), chooses the fault-in (the user's own when it resolves the access's fault, else the one
/// for the access's kind), declines with a <see cref="DeclineReason"/> when it cannot, and builds the
/// loop in place of the replaced statements, comments staying with the statements that keep their role.
/// </summary>
internal static class RetryLoopRewriter
{
    /// <summary>The runtime's <c>FAULT_FLAG_*</c> type: the fixup's argument that says whether it faults in for writing.</summary>
    private const string FaultFlagsType = "UserAccess.Runtime.FaultFlags";

    /// <summary>The rewrite of <paramref name="shape"/>, or why there is none.</summary>
    internal static FixPlan Plan(EngineFacts facts, RetryLoopShape shape, CancellationToken cancellationToken)
    {
        var model = facts.Model;

        // The fault-in runs with everything released: nothing may be held before the loop.
        if (CanonicalLoop.WhyNotAfter(facts, shape.Start) is { } reason)
        {
            return reason;
        }

        // The statements move into the loop body or disappear: nothing they declare may be used after
        // them (the access's own out variables were checked with it).
        if (shape.Moved.Any(s => s.DescendantNodes().OfType<SingleVariableDesignationSyntax>().Any()))
        {
            return DeclineReason.OutVariableUsedAfter;
        }

        (ExpressionSyntax Call, bool ReturnsErrno)? faultIn = null;
        if (shape.FaultIn is { } users && UsersFaultIn(facts, shape, users, cancellationToken) is { } reused)
        {
            // In the loop the user's fault-in is retried with the access: it must guarantee progress.
            faultIn = (RetryLoopRewrite.WithForwardProgress(model, shape.Access, reused.Call, cancellationToken), reused.ReturnsErrno);
        }
        else if (shape.FaultInAcquires.Count == 0)
        {
            faultIn = RetryLoopRewrite.FaultInCall(model, shape.Access, cancellationToken, shape.Helper);
        }

        if (faultIn is null)
        {
            // A fixup under its lock whose own call cannot be reused names no fault-in the loop could take.
            return shape.FaultInAcquires.Count > 0 ? DeclineReason.ReadFaultInOfWrittenWord
                : AccessMethod(facts, shape, cancellationToken) is not { } accessMethod || facts.FaultInFor(accessMethod) is null ? DeclineReason.NoFaultIn
                : DeclineReason.FaultInArgumentsUnknown;
        }

        if (CanonicalLoop.For(facts, shape.Access, shape.Start.SpanStart, shape.Helper?.Access) is not { } loop)
        {
            return DeclineReason.DoesNotBind;
        }

        var found = faultIn.Value;
        return FixPlan.Rewrite(() => Build(loop, shape, found));
    }

    private static SyntaxNode Build(CanonicalLoop loop, RetryLoopShape shape, (ExpressionSyntax Call, bool ReturnsErrno) faultIn)
    {
        var endOfLine = CanonicalLoop.EndOfLineOf(shape.AccessStatement);

        // A statement that keeps its role in the loop keeps its comments; the blank lines before the
        // first one stay before the loop. A statement that only disappears (a retry loop replaced) leaves
        // its own trivia to the loop.
        bool startCarried = shape.Start == shape.Disable || shape.Acquires.Contains(shape.Start)
            || shape.FaultInAcquires.Contains(shape.Start) || shape.FaultInStatements.Contains(shape.Start);
        var loopLeading = startCarried ? CanonicalLoop.SplitBlankLines(shape.Start).BlankLines : shape.Start.GetLeadingTrivia();
        var loopTrailing = shape.First == shape.Last && !startCarried ? shape.Start.GetTrailingTrivia() : SyntaxFactory.TriviaList(endOfLine);

        loop.Acquires = WithoutBlankLines(shape.Acquires);
        loop.Releases = shape.Releases;
        loop.AccessLeadingTrivia = shape.AccessStatement.GetLeadingTrivia();
        loop.AccessTrailingTrivia = shape.AccessStatement.GetTrailingTrivia();
        loop.Result = shape.Result;
        loop.FaultIn = faultIn.Call;
        loop.FaultInReturnsErrno = faultIn.ReturnsErrno;
        loop.FaultInAcquires = WithoutBlankLines(shape.FaultInAcquires);
        loop.FaultInReleases = shape.FaultInReleases;
        if (shape.Disable is { } disable)
        {
            // The user's own region calls, as written.
            loop.Disable = disable.Expression.WithoutTrivia();
            loop.DisableComments = CanonicalLoop.CommentsOf(disable);
        }

        if (shape.Enable is { } enable)
        {
            loop.Enable = enable.Expression.WithoutTrivia();
            loop.EnableComments = CanonicalLoop.CommentsOf(enable);
        }

        loop.FaultInComments = SyntaxFactory.TriviaList(shape.FaultInStatements.SelectMany(s => CanonicalLoop.CommentsOf(s)));
        loop.RetryCheckComments = shape.RetryCheck is null ? default : CanonicalLoop.CommentsOf(shape.RetryCheck);
        loop.EndOfLine = endOfLine;

        var root = shape.Block.SyntaxTree.GetRoot();
        return RetryLoopRewrite.Replace(
            root, shape.Block, shape.First, shape.Last, loop.Build(), shape.DeclaresResult ? shape.Result : null,
            loopLeading, loopTrailing, shape.Branch?.After(shape.Result, endOfLine));
    }

    private static System.Collections.Generic.IReadOnlyList<StatementSyntax> WithoutBlankLines(System.Collections.Generic.IReadOnlyList<StatementSyntax> statements)
    {
        var result = statements.ToList();
        if (result.Count > 0)
        {
            result[0] = CanonicalLoop.SplitBlankLines(result[0]).Statement;
        }

        return result;
    }

    /// <summary>The method whose fault is to be resolved: the access, or the one a helper of the user's makes.</summary>
    private static IMethodSymbol? AccessMethod(EngineFacts facts, RetryLoopShape shape, CancellationToken cancellationToken) =>
        shape.Helper?.Access ?? SyntaxSupport.Method(facts.Model, shape.Access, cancellationToken);

    /// <summary>
    /// The user's fault-in as the cold path's, when the loop can use it: a fault-in or fixup returning
    /// an <c>int</c> whose result convention is annotated, that needs no lock unless the user's lock
    /// statements come with it, called with plain arguments that the loop body does not write (it now
    /// runs after the access), and that resolves the access's fault (it faults in for writing, or the
    /// access only reads: a retry after a fault-in that cannot resolve the fault would spin). Null otherwise.
    /// </summary>
    private static (ExpressionSyntax Call, bool ReturnsErrno)? UsersFaultIn(EngineFacts facts, RetryLoopShape shape, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        var model = facts.Model;
        if (SyntaxSupport.Method(model, call, cancellationToken) is not { } method
            || method.ReturnType.SpecialType != SpecialType.System_Int32
            || facts.AnnotationsOf(method) is not { } annotations
            || !(annotations.FaultsInKind is not null || annotations.ResolvesFaults)
            || (!annotations.Requires.IsEmpty && shape.FaultInAcquires.Count == 0))
        {
            return null;
        }

        bool errno = annotations.ReturnsErrno;
        if (errno == annotations.ReturnsBytesNotFaultedIn
            || !call.ArgumentList.Arguments.All(a => a.RefKindKeyword.RawKind == 0 && (RetryLoopRewrite.IsPlain(a.Expression) || a.Expression is LiteralExpressionSyntax))
            || !FaultsInForTheAccess(facts, shape, call, annotations, cancellationToken))
        {
            return null;
        }

        // What the moved statements read must still hold after the loop body ran.
        var (first, last) = shape.Body;
        var flow = model.AnalyzeDataFlow(first, last);
        if (flow is null || !flow.Succeeded)
        {
            return null;
        }

        var moved = shape.FaultInAcquires.Concat(shape.FaultInReleases).Cast<SyntaxNode>().Append(call);
        foreach (var name in moved.SelectMany(n => n.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()))
        {
            var symbol = model.GetSymbolInfo(name, cancellationToken).Symbol;
            if (symbol is ILocalSymbol or IParameterSymbol && flow.WrittenInside.Contains(symbol, SymbolEqualityComparer.Default))
            {
                return null;
            }
        }

        return (call.WithoutTrivia(), errno);
    }

    /// <summary>
    /// True when the fault-in resolves a fault of the access: its [FaultsIn] kind, or for a fixup
    /// the constant <c>FaultFlags</c> argument, is a write (that makes the page present and
    /// writable), or is a read and the access only reads.
    /// </summary>
    private static bool FaultsInForTheAccess(EngineFacts facts, RetryLoopShape shape, InvocationExpressionSyntax call, MethodAnnotations annotations, CancellationToken cancellationToken)
    {
        var model = facts.Model;
        bool? forWrite = null;
        if (annotations.FaultsInKind is { } kind)
        {
            forWrite = kind != UserAccessKind.Read;
        }
        else if (model.GetOperation(call, cancellationToken) is IInvocationOperation operation
            && model.Compilation.GetTypeByMetadataName(FaultFlagsType) is { } flagsType
            && flagsType.GetMembers("Write").OfType<IFieldSymbol>().FirstOrDefault() is { HasConstantValue: true, ConstantValue: int write }
            && operation.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.Type, flagsType)) is { } flags
            && flags.Value.ConstantValue is { HasValue: true, Value: int value })
        {
            forWrite = (value & write) != 0;
        }

        return forWrite switch
        {
            true => true,
            false => facts.AnnotationsOf(AccessMethod(facts, shape, cancellationToken)).UserAccessKind == UserAccessKind.Read,
            null => false,
        };
    }
}
