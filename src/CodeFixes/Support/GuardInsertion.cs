using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// For the fixes that insert an early-return check (<c>if (bad) return -EINVAL;</c>) before a
/// flagged operation: where the check can go (its operands mean the same there as at the
/// operation, and what is held there can be released), how the method writes its early returns
/// (with or without braces), and the insertion itself (blank lines stay above, comments stay with
/// the statement they describe).
/// </summary>
internal static class GuardInsertion
{
    /// <summary>
    /// The statement to insert the check before, with the releases its return must run (what is held
    /// there and how the user releases it are the engine's facts, <see cref="EngineFacts.ReleasesForEarlyReturn(SyntaxNode, bool, out IReadOnlyList{StatementSyntax})"/>). For each
    /// statement of a statement list around <paramref name="operation"/>, outermost first, the
    /// closest place at or above it (moving up over the statements before it in its block, so
    /// above the <c>PagefaultDisable()</c> or lock just before the op) where nothing is held and
    /// the operands are in scope, assigned, and not written from there to the op. When nothing
    /// fits (the operand is computed under a lock or in a region), the place among those where
    /// the fewest resources are held and all of them can be released (outermost, then closest to
    /// the op, on a tie): above a <c>PagefaultDisable()</c> that follows the computation rather
    /// than inside the region, as a kernel engineer would check it. Null when there is none.
    /// With <paramref name="assignsOutParameters"/>, a place where an <c>out</c> parameter is not yet
    /// assigned is taken too: the check's return then assigns it first (<see cref="OutParameterDefaults"/>).
    /// </summary>
    internal static (StatementSyntax Statement, IReadOnlyList<StatementSyntax> Releases)? InsertionPoint(
        FixContext context, SyntaxNode operation, BlockSyntax body, IReadOnlyList<ISymbol> operands, bool assignsOutParameters = false)
    {
        var model = context.Model;
        if (context.Facts(operation) is not { } facts)
        {
            return null;
        }

        // A statement of a block, or the body of an if, else or loop written without braces: the guard goes
        // before it, in a block made for the two (InsertBefore), so that the fix does not depend on whether
        // another fix has put the braces in first.
        var candidates = operation.AncestorsAndSelf()
            .TakeWhile(n => n != body)
            .OfType<StatementSyntax>()
            .Where(s => s.Parent is BlockSyntax || IsEmbedded(s))
            .Reverse()
            .ToList();
        (StatementSyntax, IReadOnlyList<StatementSyntax>)? fallback = null;
        int fallbackHeld = int.MaxValue;
        foreach (var candidate in candidates)
        {
            IReadOnlyList<StatementSyntax> statements = candidate.Parent is BlockSyntax block ? block.Statements : new[] { candidate };
            int last = candidate.Parent is BlockSyntax ? ((BlockSyntax)candidate.Parent).Statements.IndexOf(candidate) : 0;
            for (int first = last; first >= 0; first--)
            {
                var place = statements[first];
                if (place.GetLeadingTrivia().Any(t => t.IsDirective) || !OperandsStable(model, place, statements[last], operands))
                {
                    break;
                }

                if (assignsOutParameters ? UnassignedOutParameters(model, place) is null : !OutParametersAssigned(model, place))
                {
                    continue;
                }

                if (facts.ReleasesForEarlyReturn(place, closesRegions: true, out var releases) is not null)
                {
                    continue;
                }

                if (releases.Count == 0)
                {
                    return (place, releases);
                }

                // Strictly fewer: on a tie the outer statement, and the place closest to the op, stay.
                if (releases.Count < fallbackHeld)
                {
                    fallback = (place, releases);
                    fallbackHeld = releases.Count;
                }
            }
        }

        return fallback;
    }

    /// <summary>Every operand is a local or parameter in scope and assigned at <paramref name="first"/> and not written from there to the end of <paramref name="last"/>.</summary>
    private static bool OperandsStable(SemanticModel model, StatementSyntax first, StatementSyntax last, IReadOnlyList<ISymbol> operands)
    {
        if (operands.Count == 0)
        {
            return true;
        }

        var flow = model.AnalyzeDataFlow(first, last);
        if (flow is null || !flow.Succeeded)
        {
            return false;
        }

        foreach (var operand in operands)
        {
            if (operand is not (ILocalSymbol or IParameterSymbol) || operand is IParameterSymbol { RefKind: RefKind.Out })
            {
                return false;
            }

            if (flow.WrittenInside.Contains(operand, SymbolEqualityComparer.Default)
                || flow.VariablesDeclared.Contains(operand, SymbolEqualityComparer.Default))
            {
                return false;
            }

            var visible = model.LookupSymbols(first.SpanStart, name: operand.Name);
            if (visible.Length != 1 || !SymbolEqualityComparer.Default.Equals(visible[0], operand))
            {
                return false;
            }

            if (operand is ILocalSymbol && !flow.DefinitelyAssignedOnEntry.Contains(operand, SymbolEqualityComparer.Default))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when every <c>out</c> parameter of the function is definitely assigned before
    /// <paramref name="place"/>: a <c>return</c> there must not leave one unassigned (CS0177).
    /// </summary>
    internal static bool OutParametersAssigned(SemanticModel model, StatementSyntax place)
        => UnassignedOutParameters(model, place) is { Count: 0 };

    /// <summary>
    /// The <c>out</c> parameters of the function not definitely assigned before <paramref name="place"/>
    /// (a <c>return</c> there must assign them first: CS0177); null when that cannot be known.
    /// </summary>
    internal static IReadOnlyList<IParameterSymbol>? UnassignedOutParameters(SemanticModel model, StatementSyntax place)
    {
        if (SyntaxSupport.ContainingFunction(place) is not var (member, _)
            || model.GetDeclaredSymbol(member) is not IMethodSymbol method)
        {
            return null;
        }

        var outs = method.Parameters.Where(p => p.RefKind == RefKind.Out).ToList();
        if (outs.Count == 0)
        {
            return outs;
        }

        var flow = model.AnalyzeDataFlow(place);
        return flow is { Succeeded: true }
            ? outs.Where(o => !flow.DefinitelyAssignedOnEntry.Contains(o, SymbolEqualityComparer.Default)).ToList()
            : null;
    }

    /// <summary>
    /// <c>oldval = 0;</c> for each <c>out</c> parameter not assigned before <paramref name="place"/>, so that
    /// a return there compiles (CS0177): the value the kernel's accessors leave on a fault (<c>__get_user</c>
    /// zeroes its destination), <c>default</c> for a type that is not a number.
    /// </summary>
    internal static IReadOnlyList<StatementSyntax> OutParameterDefaults(SemanticModel model, StatementSyntax place) =>
        (UnassignedOutParameters(model, place) ?? new List<IParameterSymbol>())
            .Select(p => (StatementSyntax)ExpressionStatement(AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                IdentifierName(p.Name),
                p.Type.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_Double
                    ? LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))
                    : LiteralExpression(SyntaxKind.DefaultLiteralExpression, Token(SyntaxKind.DefaultKeyword)))))
            .ToList();

    /// <summary>True when the function writes an early return as <c>if (c) return x;</c> without braces.</summary>
    internal static bool BracelessEarlyReturns(BlockSyntax body) => BracelessExits<ReturnStatementSyntax>(body) ?? false;

    /// <summary>
    /// Whether the first <c>if</c> in <paramref name="scope"/> whose body is a single
    /// <typeparamref name="TExit"/> (<c>return</c>, <c>break</c>) writes it without braces; null when there is none.
    /// </summary>
    internal static bool? BracelessExits<TExit>(SyntaxNode scope)
        where TExit : StatementSyntax =>
        scope.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax)
            .OfType<IfStatementSyntax>()
            .Where(i => i.Statement is TExit || (i.Statement is BlockSyntax { Statements.Count: 1 } b && b.Statements[0] is TExit))
            .Select(i => (bool?)(i.Statement is TExit))
            .FirstOrDefault();

    /// <summary><c>if (condition) return value;</c> (braced as the function does), releasing what is held first.</summary>
    internal static IfStatementSyntax Guard(ExpressionSyntax condition, IReadOnlyList<StatementSyntax> releases, ExpressionSyntax value, bool braceless)
    {
        StatementSyntax exit = ReturnStatement(value);
        if (releases.Count > 0 || !braceless)
        {
            exit = Block(releases.Concat(new[] { exit }));
        }

        return IfStatement(condition, exit);
    }

    /// <summary>
    /// Inserts <paramref name="guards"/> before <paramref name="statement"/>: the blank lines above
    /// the statement go above the guards (and one stays between them and the statement), its
    /// comments stay on it.
    /// </summary>
    internal static SyntaxNode InsertBefore(SyntaxNode root, StatementSyntax statement, IReadOnlyList<StatementSyntax> guards)
    {
        if (IsEmbedded(statement))
        {
            // for (...) Access();  →  for (...) { guard; Access(); }
            // The statement keeps the comment on its line.
            var lineEnd = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            lineEnd = lineEnd == default ? EndOfLine("\n") : lineEnd;
            var block = Block(guards.Select(g => g.WithoutTrivia().WithTrailingTrivia(lineEnd)).Concat(new[] { statement.WithoutLeadingTrivia() }))
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithTrailingTrivia(statement.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).Take(1))
                .WithAdditionalAnnotations(Formatter.Annotation);
            return root.ReplaceNode(statement, block);
        }

        var leading = statement.GetLeadingTrivia();
        int blankEnd = 0;
        for (int i = 0; i < leading.Count; i++)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                blankEnd = i + 1;
            }
            else if (!leading[i].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                break;
            }
        }

        var endOfLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (endOfLine == default)
        {
            endOfLine = EndOfLine("\n");
        }

        var blank = leading.Take(blankEnd).ToList();
        var rest = leading.Skip(blankEnd).ToList();
        var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? new[] { leading[leading.Count - 1] }
            : new SyntaxTrivia[0];
        var newGuards = new List<StatementSyntax>();
        for (int i = 0; i < guards.Count; i++)
        {
            var guard = guards[i];
            guard = i == 0
                ? guard.WithLeadingTrivia(blank.Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).Concat(indentation))
                : guard.WithLeadingTrivia(indentation);
            newGuards.Add(guard.WithTrailingTrivia(endOfLine).WithAdditionalAnnotations(Formatter.Annotation));
        }

        var newStatement = statement.WithLeadingTrivia((blank.Count > 0 ? new[] { endOfLine } : new SyntaxTrivia[0]).Concat(rest));
        var tracked = root.TrackNodes(statement);
        var current = tracked.GetCurrentNode(statement)!;
        tracked = tracked.InsertNodesBefore(current, newGuards);
        current = tracked.GetCurrentNode(statement)!;
        return tracked.ReplaceNode(current, newStatement);
    }

    /// <summary>The body of an if, else or loop written without braces.</summary>
    private static bool IsEmbedded(StatementSyntax statement) =>
        statement is not BlockSyntax
        && statement.Parent is IfStatementSyntax or ElseClauseSyntax or WhileStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax or DoStatementSyntax;

    /// <summary>Inserts <paramref name="guard"/> on the line after <paramref name="statement"/>, indented as it is.</summary>
    internal static SyntaxNode InsertAfter(SyntaxNode root, StatementSyntax statement, StatementSyntax guard)
    {
        var leading = statement.GetLeadingTrivia();
        var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? new[] { leading[leading.Count - 1] }
            : new SyntaxTrivia[0];
        var endOfLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (endOfLine == default)
        {
            endOfLine = EndOfLine("\n");
        }

        var placed = guard.WithLeadingTrivia(indentation).WithTrailingTrivia(endOfLine).WithAdditionalAnnotations(Formatter.Annotation);
        return root.InsertNodesAfter(statement, new[] { placed });
    }
}
