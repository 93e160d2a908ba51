using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// A retry loop that "faults in" a written word by reading it (futex before d0725992c8a6 "futex: Fix
/// the write access fault problem for real": <c>ret = get_user(dummy, uaddr2);</c>): on a read-only
/// mapping the read succeeds while the write keeps failing, and the loop spins. The kernel's fix, and
/// this one, replaces the read by the fault-in for what the access does
/// (<c>ret = fault_in_user_writeable(uaddr2);</c>), of the same pointer, keeping the code's own test
/// of its result; the local the read filled goes when nothing else uses it.
/// </summary>
/// <remarks>
/// Declined: a fault-in that counts bytes (the code tests and returns the read's errno), a value the
/// read filled that is used afterwards (or not a local), a lock or region held at the read (the
/// fault-in sleeps and takes the mmap lock), a fault-in whose arguments cannot be formed or that
/// does not bind there.
/// </remarks>
internal static class ReadProbe
{
    internal static FixPlan Plan(FixContext context, SyntaxNode probeNode)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        var accessNode = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.AccessLocation) ?? SyntaxSupport.NodeAt(root, diagnostic.Location);
        if (probeNode.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { } probe
            || accessNode?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { } access)
        {
            return DeclineReason.CodeChanged;
        }

        if (context.Facts(probe) is not { } facts)
        {
            return DeclineReason.NotAnalysed;
        }

        if (facts.CallAt(access) is not { } accessCall
            || SyntaxSupport.Method(model, probe, cancellationToken) is not { } probeMethod
            || model.GetOperation(probe, cancellationToken) is not IInvocationOperation probeOperation)
        {
            return DeclineReason.CodeChanged;
        }

        if (facts.FaultInFor(accessCall) is not { } faultIn)
        {
            return DeclineReason.NoFaultIn;
        }

        var faultInAnnotations = facts.AnnotationsOf(faultIn);
        if (!faultInAnnotations.ReturnsErrno)
        {
            return DeclineReason.FaultInCountsBytes;
        }

        if (facts.StateBefore(probe) is not { } before)
        {
            return DeclineReason.NotAnalysed;
        }

        if (!before.Nofault.DefinitelyNot || !before.Atomic.DefinitelyNot)
        {
            return DeclineReason.InRegion;
        }

        if (!before.Locks.IsEmpty)
        {
            return DeclineReason.LockHeldAcrossFaultIn;
        }

        // The fault-in's arguments: the read's pointer, and the size of the word it reads.
        var pointer = probeOperation.Arguments.FirstOrDefault(a => a.Parameter?.Name == facts.AnnotationsOf(probeMethod).UserAccessPointer)?.Value.Syntax as ExpressionSyntax;
        var arguments = new List<ArgumentSyntax>();
        foreach (var parameter in faultIn.Parameters)
        {
            if (pointer is not null && parameter.Name == (faultInAnnotations.FaultsInPointer ?? "uaddr"))
            {
                arguments.Add(Argument(pointer.WithoutTrivia()));
            }
            else if (pointer is not null && parameter.Name == faultInAnnotations.FaultsInSize
                && RetryLoopRewrite.SizeOf(model, null, probeOperation, pointer, cancellationToken) is { } size)
            {
                arguments.Add(Argument(size));
            }
            else
            {
                return DeclineReason.FaultInArgumentsUnknown;
            }
        }

        if (CallSupport.SiblingCall(model, probe, faultIn.Name, ArgumentList(SeparatedList(arguments)), faultIn) is not { } call)
        {
            return DeclineReason.DoesNotBind;
        }

        if (DeclarationsToRemove(context, facts.Declaration, probe) is not { } unused)
        {
            return DeclineReason.ResultUsedLater;
        }

        return FixPlan.Rewrite(() => Rewrite(root, probe, call, unused));
    }

    /// <summary>
    /// The declarators of the locals the read fills that nothing else uses (they would be unused after
    /// it goes); null when a value it reads is used afterwards, or it fills something else than a local.
    /// </summary>
    private static List<VariableDeclaratorSyntax>? DeclarationsToRemove(FixContext context, SyntaxNode member, InvocationExpressionSyntax probe)
    {
        var (model, cancellationToken) = (context.Model, context.CancellationToken);
        var flow = model.AnalyzeDataFlow(probe);
        if (flow is null || !flow.Succeeded)
        {
            return null;
        }

        var unused = new List<VariableDeclaratorSyntax>();
        foreach (var argument in probe.ArgumentList.Arguments.Where(a => a.RefKindKeyword.IsKind(SyntaxKind.OutKeyword)))
        {
            // out _ and out var _: nothing is filled.
            if (argument.Expression is DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax }
                || (argument.Expression is IdentifierNameSyntax { Identifier.ValueText: "_" } && model.GetSymbolInfo(argument.Expression, cancellationToken).Symbol is null))
            {
                continue;
            }

            var local = argument.Expression switch
            {
                DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax designation } => model.GetDeclaredSymbol(designation, cancellationToken) as ILocalSymbol,
                IdentifierNameSyntax name => model.GetSymbolInfo(name, cancellationToken).Symbol as ILocalSymbol,
                _ => null,
            };

            if (local is null || flow.DataFlowsOut.Contains(local, SymbolEqualityComparer.Default))
            {
                return null;
            }

            bool usedElsewhere = VariableReferences.In(model, member, local, cancellationToken).Any(r => !probe.Span.Contains(r.Name.Span));
            if (argument.Expression is DeclarationExpressionSyntax)
            {
                // Declared by the read itself: it goes with it, so nothing else may name it.
                if (usedElsewhere)
                {
                    return null;
                }

                continue;
            }

            if (!usedElsewhere
                && local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is VariableDeclaratorSyntax declarator
                && declarator.Parent?.Parent is LocalDeclarationStatementSyntax declaration && StatementRemoval.CanRemove(declaration)
                && (declarator.Initializer is null || declarator.Initializer.Value is LiteralExpressionSyntax))
            {
                unused.Add(declarator);
            }
        }

        return unused;
    }

    private static SyntaxNode Rewrite(SyntaxNode root, InvocationExpressionSyntax probe, InvocationExpressionSyntax faultIn, List<VariableDeclaratorSyntax> unused)
    {
        var blocks = unused.Select(d => d.Parent?.Parent?.Parent).OfType<BlockSyntax>();
        var tracked = root.TrackNodes(unused.Cast<SyntaxNode>().Concat(blocks).Append(probe));
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(probe)!, faultIn.WithTriviaFrom(probe).WithAdditionalAnnotations(Formatter.Annotation));
        foreach (var declarator in unused)
        {
            var current = tracked.GetCurrentNode(declarator)!;
            if (current.Parent is not VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax { Parent: BlockSyntax block } statement })
            {
                tracked = tracked.RemoveNode(current, SyntaxRemoveOptions.KeepNoTrivia)!;
                continue;
            }

            bool opensBlock = block.Statements.IndexOf(statement) == 0;
            var originalBlock = (BlockSyntax)declarator.Parent!.Parent!.Parent!;
            tracked = StatementRemoval.Remove(tracked, statement, 1);
            if (opensBlock && tracked.GetCurrentNode(originalBlock) is { Statements.Count: > 0 } newBlock)
            {
                // The declaration opened the block: the blank line that set it apart goes with it.
                var next = newBlock.Statements[0];
                tracked = tracked.ReplaceNode(next, next.WithLeadingTrivia(WithoutBlankLines(next.GetLeadingTrivia())));
            }
        }

        return tracked;
    }

    /// <summary>Leading trivia without the empty lines before its first comment or the statement itself.</summary>
    private static SyntaxTriviaList WithoutBlankLines(SyntaxTriviaList leading)
    {
        int lastBlank = -1;
        for (int i = 0; i < leading.Count && (leading[i].IsKind(SyntaxKind.WhitespaceTrivia) || leading[i].IsKind(SyntaxKind.EndOfLineTrivia)); i++)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                lastBlank = i;
            }
        }

        return TriviaList(leading.Skip(lastBlank + 1));
    }
}
