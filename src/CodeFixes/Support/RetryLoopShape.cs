using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using UserAccess.Analyzers.Engine;

namespace UserAccess.CodeFixes.Support;

/// <summary>
/// What a fix recognised in the user's code for <see cref="RetryLoopRewriter"/>: which statements of
/// which block the canonical loop replaces, and the user's parts it is built from (the locks, the
/// region calls, the access, the fault-in the user wrote, the failure branch). Only syntax: the
/// rewriter validates it with the engine's facts.
/// </summary>
internal sealed class RetryLoopShape
{
    /// <summary>The shape made of statements <paramref name="first"/>..<paramref name="last"/> of <paramref name="block"/>, around <paramref name="access"/>.</summary>
    internal RetryLoopShape(BlockSyntax block, int first, int last, StatementSyntax accessStatement, InvocationExpressionSyntax access, string result, bool declaresResult)
    {
        Block = block;
        First = first;
        Last = last;
        AccessStatement = accessStatement;
        Access = access;
        Result = result;
        DeclaresResult = declaresResult;
    }

    /// <summary>The block whose statements the loop replaces.</summary>
    internal BlockSyntax Block { get; }

    /// <summary>The index of the first statement replaced: nothing may be held before it.</summary>
    internal int First { get; }

    /// <summary>The index of the last statement replaced.</summary>
    internal int Last { get; }

    /// <summary>The first statement replaced.</summary>
    internal StatementSyntax Start => Block.Statements[First];

    /// <summary>The statement that makes the access (an assignment, a declaration, or the <c>if</c> testing it).</summary>
    internal StatementSyntax AccessStatement { get; }

    /// <summary>The access, an <c>int</c> errno call.</summary>
    internal InvocationExpressionSyntax Access { get; }

    /// <summary>The local that holds the access's result in the loop.</summary>
    internal string Result { get; }

    /// <summary>The result is declared before the loop (<c>int ret;</c>): the replaced statements declared it, or it is new.</summary>
    internal bool DeclaresResult { get; }

    /// <summary>For an access made inside a helper of the user's, the user memory it touches (what is faulted in).</summary>
    internal HelperUserRange? Helper { get; set; }

    /// <summary>The user's lock statements, in order, that go into the loop body before the region.</summary>
    internal IReadOnlyList<StatementSyntax> Acquires { get; set; } = new StatementSyntax[0];

    /// <summary>The user's release statements, in order, that go into the loop body after the region.</summary>
    internal IReadOnlyList<StatementSyntax> Releases { get; set; } = new StatementSyntax[0];

    /// <summary>The user's own <c>PagefaultDisable();</c>, kept as written with its comments; null: the runtime's.</summary>
    internal ExpressionStatementSyntax? Disable { get; set; }

    /// <summary>The user's own <c>PagefaultEnable();</c>.</summary>
    internal ExpressionStatementSyntax? Enable { get; set; }

    /// <summary>The fault-in the user wrote (a prefault, or fault handling inside the region), reused when it can resolve the access's fault.</summary>
    internal InvocationExpressionSyntax? FaultIn { get; set; }

    /// <summary>The user's lock statements around <see cref="FaultIn"/> (a fixup under the mmap lock), kept on the cold path.</summary>
    internal IReadOnlyList<StatementSyntax> FaultInAcquires { get; set; } = new StatementSyntax[0];

    /// <summary>Their releases.</summary>
    internal IReadOnlyList<StatementSyntax> FaultInReleases { get; set; } = new StatementSyntax[0];

    /// <summary>The statements of the user's fault handling that the loop rebuilds: their comments go with its fault-in.</summary>
    internal IReadOnlyList<StatementSyntax> FaultInStatements { get; set; } = new StatementSyntax[0];

    /// <summary>The user's own <c>if (ret != -EFAULT) break;</c> (a retry loop being replaced): its comments go with the loop's.</summary>
    internal StatementSyntax? RetryCheck { get; set; }

    /// <summary>The access's failure branch, which follows the loop tested on its result.</summary>
    internal FailureBranch? Branch { get; set; }

    /// <summary>The statements of the loop body as the user wrote them, first to last, in <see cref="Block"/> or the loop it replaces.</summary>
    internal (StatementSyntax First, StatementSyntax Last) Body =>
        ((StatementSyntax?)Acquires.FirstOrDefault() ?? (StatementSyntax?)Disable ?? AccessStatement,
         (StatementSyntax?)Releases.LastOrDefault() ?? (StatementSyntax?)Enable ?? AccessStatement);

    /// <summary>The user's statements the rewrite moves into the loop or drops, besides the access statement.</summary>
    internal IEnumerable<StatementSyntax> Moved =>
        Acquires.Concat(Releases).Concat(FaultInAcquires).Concat(FaultInReleases).Concat(FaultInStatements)
            .Concat(new[] { Disable, Enable, RetryCheck }.OfType<StatementSyntax>());
}
