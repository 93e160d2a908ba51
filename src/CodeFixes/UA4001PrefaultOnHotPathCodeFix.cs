using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UserAccess.Analyzers;
using UserAccess.CodeFixes.Support;

namespace UserAccess.CodeFixes;

/// <summary>
/// UA4001: a fault-in that runs before every nofault access of the same buffer (the prefault on the
/// hot path). The nofault region and the prefault become the canonical retry loop
/// (<see cref="CanonicalLoop"/>): the region (<c>PagefaultDisable(); ret = access; PagefaultEnable();</c>)
/// and the user's locks around it inside the loop, and only after <c>if (ret != -EFAULT) break;</c> and
/// the fatal-signal check, on the cold path, the user's own prefault call with the same arguments, its
/// failure ending the loop: <c>ret = F(...); if (ret != 0) break;</c> for a [ReturnsErrno] fault-in,
/// <c>if (F(...) != 0) { ret = -EFAULT; break; }</c> for a [ReturnsBytesNotFaultedIn] one.
/// </summary>
/// <remarks>
/// The shapes it restructures, all consecutive statements of one block:
/// <list type="number">
/// <item>The prefault and the check of its result, then the region:
/// <c>if (FaultInWriteable(to, n) != 0) return -EFAULT;</c> or
/// <c>ret = FaultInUserWriteable(uaddr); if (ret != 0) return ret;</c>, then
/// <c>PagefaultDisable(); int ret = Access(...); PagefaultEnable();</c>, an errno access. The user's
/// lock statements right around the region (spinlocks, killable locks) stay around it in the loop.
/// The result is declared before the loop (<c>int ret;</c>) when the access or the prefault declared it.</item>
/// <item>The same at the top of a <c>while (true)</c> retry loop that is exactly prefault, check
/// (which may also leave with <c>break</c>), region and <c>if (ret != -EFAULT) break;</c>: the loop is
/// replaced.</item>
/// <item>A fixup under the lock it needs: <c>MmapReadLock(mm); int fixup = FixupUserFault(...);
/// MmapReadUnlock(mm); if (fixup != 0) return fixup;</c> moves as a whole to the cold path, the fixup's
/// result going to the access's result.</item>
/// </list>
/// The shape goes to <see cref="RetryLoopRewriter"/>, with the prefault as the user's fault-in: it is
/// reused when it resolves the access's fault (a retry after a fault-in that cannot resolve it would
/// spin); otherwise the fault-in for the access's kind takes its place (shapes 1 and 2; a fixup under a
/// lock is then declined).
/// A copy whose result is the bytes not copied, in a loop that walks the user buffer (the pre-2021
/// <c>generic_perform_write()</c>, prefault at the top and <c>goto again</c> on a copy of nothing), is
/// rewritten by <see cref="CopyRetry.RewritePrefault"/> to the v6.14 loop: the prefault goes, and the
/// "copied nothing" test faults in from where the copy stopped and retries while that makes progress.
/// Declined: other copies (their retry must resume where the copy stopped); any statement between the prefault's check and the region (the loop would
/// repeat it, or it would no longer run after the prefault whose result or effect it may rely on); a
/// prefault result used anywhere else; a check that is not <c>!= 0</c>, or that leaves other than by
/// returning that result or <c>-EFAULT</c>; regions that are not exactly disable, access, enable;
/// locks released in a different set than taken (a fixup whose unlock is on its error path); the
/// access's <c>out</c> variables used after it; anything held before the prefault (locks, regions,
/// or state that cannot be known locally); a region inside any other loop, a retry loop that does
/// more than the four parts, or a function with <c>goto</c> (an outer retry would go round the new
/// loop again after its fault-in failed, for ever); and a function whose new error return would make
/// a non-killable wait a UA2001 diagnostic.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UA4001PrefaultOnHotPathCodeFix)), Shared]
public sealed class UA4001PrefaultOnHotPathCodeFix : UserAccessCodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.PrefaultOnHotPath);

    /// <inheritdoc/>
    protected override string Title => "Rewrite to the canonical retry loop (fault in only after the access failed)";

    internal override string EquivalenceKey => EquivalenceKeys.UA4001CanonicalRetryLoop;

    internal override FixPlan Plan(FixContext context)
    {
        var (root, model, diagnostic, cancellationToken) = (context.Root, context.Model, context.Diagnostic, context.CancellationToken);
        var prefaultNode = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.FaultInLocation) ?? SyntaxSupport.NodeAt(root, diagnostic.Location);
        var accessNode = RetryLoopRewrite.Additional(root, diagnostic, DiagnosticProperties.AccessLocation);
        var prefault = prefaultNode?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        var access = accessNode?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
        if (prefault is null || access is null || context.Facts(access) is not { } facts
            || SyntaxSupport.Method(model, access, cancellationToken) is not { } accessMethod)
        {
            return DeclineReason.CodeChanged;
        }

        if (facts.AnnotationsOf(accessMethod).ReturnsBytesNotCopied)
        {
            return CopyRetry.RewritePrefault(context, facts, prefault, access);
        }

        var accessStatement = access.FirstAncestorOrSelf<StatementSyntax>();
        if (accessStatement?.Parent is not BlockSyntax block
            || SyntaxSupport.ContainingFunction(block) is not var (member, body)
            || SyntaxSupport.ContainingFunction(prefault) is not var (prefaultMember, _) || prefaultMember != member)
        {
            return DeclineReason.NotAStatementOfABlock;
        }

        if (body.DescendantNodes().Any(n => n is GotoStatementSyntax or LabeledStatementSyntax))
        {
            return DeclineReason.GotoRetry;
        }

        if (RetryLoopRewrite.ReadAccessStatement(model, accessStatement, access, cancellationToken, allowUnusedOutVariables: true) is not var (_, result, declared)
            || SyntaxSupport.StoreToLocal(model, accessStatement, cancellationToken) is not (_, { } resultSymbol))
        {
            return DeclineReason.AccessNotAStatement;
        }

        // The region, exactly: PagefaultDisable(); the access; PagefaultEnable(); with the user's
        // locks around it.
        int index = block.Statements.IndexOf(accessStatement);
        if (index == 0 || index + 1 >= block.Statements.Count
            || !RetryLoopRewrite.IsNofaultBoundary(facts, block.Statements[index - 1], enters: true)
            || !RetryLoopRewrite.IsNofaultBoundary(facts, block.Statements[index + 1], enters: false)
            || RetryLoopRewrite.LockedRun(facts, block, index - 1, index + 1, allowAtomicRegions: true) is not var (first, last))
        {
            return DeclineReason.RegionDoesMore;
        }

        // The prefault and its check, right before that.
        if (ReadPrefault(facts, block, first, prefault, resultSymbol, cancellationToken, out var whyNot) is not { } unit)
        {
            return whyNot;
        }

        // Shape 2: the region is the body of a retry loop that is nothing else.
        WhileStatementSyntax? retryLoop = null;
        if (block.Parent is WhileStatementSyntax { Condition: LiteralExpressionSyntax condition } loopStatement
            && condition.IsKind(SyntaxKind.TrueLiteralExpression)
            && loopStatement.Parent is BlockSyntax
            && unit.First == 0 && last + 2 == block.Statements.Count
            && IsRetryCheck(model, block.Statements[last + 1], resultSymbol, cancellationToken))
        {
            // The result outlives the loop: it is declared outside it.
            if (declared || unit.DeclaresResult)
            {
                return DeclineReason.ResultUsedLater;
            }

            retryLoop = loopStatement;
        }
        else if (unit.ExitsByBreak || block.AncestorsAndSelf().TakeWhile(n => n != body).Any(n => n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax))
        {
            // A break would now leave the new loop, not the user's; and a loop around the region may
            // itself retry on -EFAULT, going round the new loop forever after its fault-in failed.
            return unit.ExitsByBreak && block.Parent is WhileStatementSyntax ? DeclineReason.LoopDoesMore : DeclineReason.InsideAnotherLoop;
        }

        // The loop takes the prefault's place, or the retry loop's.
        var (replacedBlock, replacedFirst, replacedLast) = retryLoop is { Parent: BlockSyntax outer }
            ? (outer, outer.Statements.IndexOf(retryLoop), outer.Statements.IndexOf(retryLoop))
            : (block, unit.First, last);
        return RetryLoopRewriter.Plan(facts, new RetryLoopShape(replacedBlock, replacedFirst, replacedLast, accessStatement, access, result, retryLoop is null && (declared || unit.DeclaresResult))
        {
            Acquires = block.Statements.Skip(first).Take(index - 1 - first).ToList(),
            Releases = block.Statements.Skip(index + 2).Take(last - index - 1).ToList(),
            Disable = (ExpressionStatementSyntax)block.Statements[index - 1],
            Enable = (ExpressionStatementSyntax)block.Statements[index + 1],
            FaultIn = unit.Call,
            FaultInAcquires = unit.Acquires,
            FaultInReleases = unit.Releases,
            FaultInStatements = unit.Rebuilt,
            RetryCheck = retryLoop is null ? null : block.Statements[last + 1],
        }, cancellationToken);
    }

    /// <summary>The prefault and the check of its result, as <see cref="ReadPrefault"/> found them.</summary>
    private sealed class Prefault
    {
        public Prefault(int first, InvocationExpressionSyntax call, IReadOnlyList<StatementSyntax> acquires, IReadOnlyList<StatementSyntax> releases, IReadOnlyList<StatementSyntax> rebuilt, bool declaresResult, bool exitsByBreak)
        {
            First = first;
            Call = call;
            Acquires = acquires;
            Releases = releases;
            Rebuilt = rebuilt;
            DeclaresResult = declaresResult;
            ExitsByBreak = exitsByBreak;
        }

        /// <summary>The index of its first statement in the block.</summary>
        public int First { get; }

        public InvocationExpressionSyntax Call { get; }

        /// <summary>The user's lock statements around the call (a fixup under the mmap lock), kept as they are.</summary>
        public IReadOnlyList<StatementSyntax> Acquires { get; }

        public IReadOnlyList<StatementSyntax> Releases { get; }

        /// <summary>The call statement and the check, which the loop rebuilds: their comments go with its fault-in.</summary>
        public IReadOnlyList<StatementSyntax> Rebuilt { get; }

        /// <summary>The call statement declares the access's result (<c>int ret = FaultIn...;</c>).</summary>
        public bool DeclaresResult { get; }

        /// <summary>The check leaves with <c>break</c> (only inside the retry loop being replaced).</summary>
        public bool ExitsByBreak { get; }
    }

    /// <summary>
    /// The statements right before <paramref name="runFirst"/>: <c>if (F(...) != 0) exit</c>, or
    /// <c>[locks] v = F(...); [releases] if (v != 0) exit</c> (<c>int v = ...</c> too), F the prefault;
    /// null for anything else.
    /// </summary>
    private static Prefault? ReadPrefault(EngineFacts facts, BlockSyntax block, int runFirst, InvocationExpressionSyntax prefault, ILocalSymbol result, CancellationToken cancellationToken, out DeclineReason whyNot)
    {
        var model = facts.Model;
        whyNot = DeclineReason.StatementBetween;
        if (runFirst > 0 && block.Statements[runFirst - 1] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax release }
            && LockStep.Of(facts, release) is { IsAcquire: false })
        {
            // The fixup's lock released after the check of its result: its error path releases it too.
            whyNot = DeclineReason.ReleasedOnErrorPath;
            return null;
        }

        if (runFirst == 0
            || block.Statements[runFirst - 1] is not IfStatementSyntax { Else: null } check
            || check.Condition is not BinaryExpressionSyntax test || !test.IsKind(SyntaxKind.NotEqualsExpression)
            || model.GetConstantValue(test.Right, cancellationToken) is not { HasValue: true, Value: 0 })
        {
            return null;
        }

        if (test.Left == prefault)
        {
            whyNot = DeclineReason.BranchNotAnErrorPath;
            return ReadExit(model, check.Statement, null, result, cancellationToken) is { } byBreak
                ? new Prefault(runFirst - 1, prefault, new StatementSyntax[0], new StatementSyntax[0], new StatementSyntax[] { check }, false, byBreak)
                : null;
        }

        // v = F(...); or int v = F(...); in the same block, inside the run of its locks.
        StatementSyntax? callStatement = prefault.Parent switch
        {
            AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax statement } assignment
                when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == prefault && assignment.Left is IdentifierNameSyntax => statement,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax statement } } }
                when !statement.IsConst && statement.UsingKeyword.RawKind == 0 => statement,
            _ => null,
        };
        var variable = callStatement switch
        {
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: var left } } => model.GetSymbolInfo(left, cancellationToken).Symbol as ILocalSymbol,
            LocalDeclarationStatementSyntax declaration => model.GetDeclaredSymbol(declaration.Declaration.Variables[0], cancellationToken) as ILocalSymbol,
            _ => null,
        };
        if (callStatement?.Parent != block || variable is null || variable.Type.SpecialType != SpecialType.System_Int32
            || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(test.Left, cancellationToken).Symbol, variable))
        {
            return null;
        }

        int at = block.Statements.IndexOf(callStatement);
        if (RetryLoopRewrite.LockedRun(facts, block, at, at, allowAtomicRegions: false) is not var (first, last) || last != runFirst - 2)
        {
            // The fixup's lock released on its error path too (or not at all around it).
            whyNot = DeclineReason.ReleasedOnErrorPath;
            return null;
        }

        bool declares = callStatement is LocalDeclarationStatementSyntax;
        if (!SymbolEqualityComparer.Default.Equals(variable, result))
        {
            // The prefault's own result disappears with it: it must be declared here and used
            // nowhere else (a declaration left behind would be unused).
            var unit = new SyntaxNode[] { callStatement, check };
            if (!declares || block.DescendantNodes().OfType<IdentifierNameSyntax>().Any(name =>
                !unit.Any(u => u.Span.Contains(name.Span)) && name.Identifier.ValueText == variable.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, variable)))
            {
                whyNot = DeclineReason.ResultUsedLater;
                return null;
            }
        }

        if (ReadExit(model, check.Statement, variable, result, cancellationToken) is not { } exitsByBreak)
        {
            whyNot = DeclineReason.BranchNotAnErrorPath;
            return null;
        }

        return new Prefault(
            first,
            prefault,
            block.Statements.Skip(first).Take(at - first).ToList(),
            block.Statements.Skip(at + 1).Take(last - at).ToList(),
            new[] { callStatement, check },
            declares && SymbolEqualityComparer.Default.Equals(variable, result),
            exitsByBreak);
    }

    /// <summary>
    /// How the check leaves: <c>return v;</c> or <c>return -EFAULT;</c> (false); <c>break;</c> when v
    /// is the result, or <c>{ ret = v or -EFAULT; break; }</c> (true); null for anything else.
    /// </summary>
    private static bool? ReadExit(SemanticModel model, StatementSyntax exit, ILocalSymbol? variable, ILocalSymbol result, CancellationToken cancellationToken)
    {
        var statements = exit is BlockSyntax block ? block.Statements.ToList() : new List<StatementSyntax> { exit };
        bool IsFailure(ExpressionSyntax? value) =>
            value is not null
            && (SyntaxSupport.IsNegativeErrno(model, value, "EFAULT", cancellationToken)
                || (variable is not null && value is IdentifierNameSyntax && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(value, cancellationToken).Symbol, variable)));

        if (statements.Count == 1 && statements[0] is ReturnStatementSyntax { Expression: var value } && IsFailure(value))
        {
            return false;
        }

        if (statements.Count == 1 && statements[0] is BreakStatementSyntax && SymbolEqualityComparer.Default.Equals(variable, result))
        {
            return true;
        }

        if (statements.Count == 2 && statements[1] is BreakStatementSyntax
            && statements[0] is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax target, Right: var assigned } assignment }
            && assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && IsFailure(assigned)
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target, cancellationToken).Symbol, result))
        {
            return true;
        }

        return null;
    }

    /// <summary><c>if (ret != -EFAULT) break;</c>, braced or not.</summary>
    private static bool IsRetryCheck(SemanticModel model, StatementSyntax statement, ILocalSymbol result, CancellationToken cancellationToken) =>
        statement is IfStatementSyntax { Else: null, Condition: BinaryExpressionSyntax test } check
        && test.IsKind(SyntaxKind.NotEqualsExpression)
        && test.Left is IdentifierNameSyntax
        && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(test.Left, cancellationToken).Symbol, result)
        && SyntaxSupport.IsNegativeErrno(model, test.Right, "EFAULT", cancellationToken)
        && (check.Statement is BreakStatementSyntax || (check.Statement is BlockSyntax { Statements.Count: 1 } braced && braced.Statements[0] is BreakStatementSyntax));
}
