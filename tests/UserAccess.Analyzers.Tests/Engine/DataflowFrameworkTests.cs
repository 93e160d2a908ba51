using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;
using UserAccess.Analyzers.Tests.Infrastructure;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1001SleepInAtomicAnalyzer>;

namespace UserAccess.Analyzers.Tests.Engine;

/// <summary>
/// The engine's pass as a framework: the budget (a method whose pass does not converge is silent), the
/// queryable result (the state before an operation), and the join laws of the state's domain.
/// </summary>
public class DataflowFrameworkTests
{
    /// <summary>
    /// A loop that moves an errno one local further on each iteration (<c>a2 = a1; a1 = a0; a0 = -EFAULT;</c>):
    /// the loop head's state changes once per local, so with enough locals the pass runs out of budget.
    /// The sleeping call under the spinlock comes before the loop.
    /// </summary>
    private static string ChainedLoop(int locals)
    {
        var text = new StringBuilder(Usings).Append(@"
class Driver
{
    static void Run(KernelSpinlock lk, Mm mm, int n)
    {
        lk.Lock();
        {|#0:MmapReadLock(mm)|};
        MmapReadUnlock(mm);
        lk.Unlock();
");
        for (int i = 0; i <= locals; i++)
        {
            text.Append("        int a").Append(i).Append(" = 0;\n");
        }

        text.Append("        while (n-- > 0)\n        {\n");
        for (int i = locals; i > 0; i--)
        {
            text.Append("            a").Append(i).Append(" = a").Append(i - 1).Append(";\n");
        }

        text.Append("            a0 = -EFAULT;\n        }\n\n        Consume(");
        text.Append(string.Join(", ", Enumerable.Range(0, locals + 1).Select(i => "a" + i)));
        text.Append(");\n    }\n\n    static void Consume(params int[] values) { }\n}\n");
        return text.ToString();
    }

    [Fact]
    public Task MethodOverTheBudgetIsSilent()
        => VerifyCS.VerifyAnalyzerAsync(ChainedLoop(300).Replace("{|#0:", string.Empty).Replace("(mm)|}", "(mm)"));

    [Fact]
    public Task SameMethodWithinTheBudgetIsReported()
        => VerifyCS.VerifyAnalyzerAsync(
            ChainedLoop(3),
            VerifyCS.Diagnostic().At(0).WithArguments("MmapReadLock", string.Empty, "entered by 'lk.Lock'"));

    [Fact]
    public void PassOverTheBudgetSaysItDidNotConverge()
    {
        var (analysis, _) = Analyze(ChainedLoop(300), "Run");
        Assert.False(analysis.Converged);
        Assert.Empty(analysis.Calls);
        Assert.Null(analysis.ExitState);
        Assert.Null(analysis.StateBefore(analysis.Graph.Blocks[1].Operations.First()));
    }

    [Fact]
    public void StateBeforeAnOperation()
    {
        var (analysis, root) = Analyze(Usings + @"
class Driver
{
    static void Run(KernelSpinlock lk, Mm mm)
    {
        lk.Lock();
        MmapReadLock(mm);
        lk.Unlock();
        MmapReadUnlock(mm);
    }
}", "Run");
        Assert.True(analysis.Converged);
        var calls = root.Descendants().OfType<IInvocationOperation>().ToList();
        var read = calls.Single(c => c.TargetMethod.Name == "MmapReadLock");
        var unread = calls.Single(c => c.TargetMethod.Name == "MmapReadUnlock");

        // Asked with the method's own operation tree (as a code fix has it), not the graph's.
        var before = analysis.StateBefore(read);
        Assert.NotNull(before);
        Assert.True(before!.Atomic.Definitely);
        Assert.Single(before.Locks);

        var after = analysis.StateBefore(unread);
        Assert.NotNull(after);
        Assert.True(after!.Atomic.DefinitelyNot);

        // The graph's own operations answer too, and agree with the recorded call sites (equal
        // states: they are recorded again on the first question, not kept by the rules' pass).
        foreach (var call in analysis.Calls)
        {
            Assert.Equal(call.Before, analysis.StateBefore(call.Operation));
        }
    }

    [Fact]
    public void JoinsOfDifferentCallResultsRefineNothing()
    {
        // `ret` holds the result of one of two trylocks: testing it says nothing about which lock is held.
        var (analysis, _) = Analyze(Usings + @"
class Driver
{
    static void Run(KernelMutex a, KernelMutex b, bool which)
    {
        bool ret;
        if (which) ret = a.TryLock(); else ret = b.TryLock();
        if (ret)
        {
            Touch();
        }
    }

    static void Touch() { }
}", "Run");
        var touch = analysis.Graph.Blocks.SelectMany(b => b.Operations).SelectMany(o => o.DescendantsAndSelf()).OfType<IInvocationOperation>().Single(c => c.TargetMethod.Name == "Touch");
        var state = analysis.StateBefore(touch);
        Assert.NotNull(state);
        Assert.Empty(state!.Locks);
    }

    // The locks a variable tells apart (out: if (vma) up_read()) and the paths a flag keeps apart: the joins
    // that carry a lock's guards obey the same laws, and a test of the guard holds the lock on one edge only.
    [Fact]
    public void JoinsOfGuardedLocksAreOrderIndependent()
    {
        var (analysis, _) = Analyze(Usings + @"
class Vma { }

class Driver
{
    static Vma? FindVma(Mm mm, int n) => null;

    static int Run(Mm mm, KernelMutex m, int n, bool locked)
    {
        Vma? vma = null;
        bool held = false;
        if (n > 0)
        {
            MmapReadLock(mm);
            vma = FindVma(mm, n);
            if (vma == null)
            {
                MmapReadUnlock(mm);
                return -EFAULT;
            }
        }
        if (locked)
        {
            m.Lock();
            held = true;
        }
        Touch();
        if (held)
            m.Unlock();
        if (vma != null)
            MmapReadUnlock(mm);
        return 0;
    }

    static void Touch() { }
}", "Run");
        var touch = analysis.Graph.Blocks.SelectMany(b => b.Operations).SelectMany(o => o.DescendantsAndSelf()).OfType<IInvocationOperation>().Single(c => c.TargetMethod.Name == "Touch");
        var before = analysis.StateBefore(touch);
        Assert.NotNull(before);
        Assert.All(before!.Locks, held => Assert.False(held.Definite));
        Assert.Contains(before.Locks, held => held.Guards.Any(guard => guard.Symbol.Name == "vma" && guard.HeldWhenNonZero));
        Assert.Empty(analysis.ExitState!.Locks);

        var states = analysis.BlockInputs.Where(s => s is not null).Select(s => s!).Concat(analysis.Calls.Select(c => c.Before)).ToList();
        var domain = FlowStateDomain.Instance;
        foreach (var a in states)
        {
            foreach (var b in states)
            {
                var joined = domain.Join(a, b);
                Assert.True(domain.AreEqual(joined, domain.Join(b, a)));
                Assert.True(domain.LessOrEqual(a, joined));
                Assert.True(domain.LessOrEqual(b, joined));
                foreach (var c in states)
                {
                    Assert.True(domain.AreEqual(domain.Join(joined, c), domain.Join(a, domain.Join(b, c))));
                }
            }
        }
    }

    [Fact]
    public void StateDomainJoinIsOrderIndependent()
    {
        var (analysis, _) = Analyze(Usings + @"
class Driver
{
    static int Run(KernelSpinlock lk, KernelMutex m, UserPtr<uint> p, int n)
    {
        int ret = 0;
        for (int i = 0; i < n; i++)
        {
            if ((i & 1) == 0) { lk.Lock(); PagefaultDisable(); }
            else { m.Lock(); ret = -EFAULT; }
            if (AccessOk(p, 4)) ret = GetUser(out uint v, p);
            if ((i & 1) == 0) { PagefaultEnable(); lk.Unlock(); } else m.Unlock();
        }

        return ret;
    }
}", "Run");
        var states = analysis.BlockInputs.Where(s => s is not null).Select(s => s!).Concat(analysis.Calls.Select(c => c.Before)).ToList();
        var domain = FlowStateDomain.Instance;
        foreach (var a in states)
        {
            foreach (var b in states)
            {
                var joined = domain.Join(a, b);
                Assert.True(domain.AreEqual(joined, domain.Join(b, a)));
                Assert.True(domain.LessOrEqual(a, joined));
                Assert.True(domain.LessOrEqual(b, joined));
                foreach (var c in states.Take(8))
                {
                    Assert.True(domain.AreEqual(domain.Join(joined, c), domain.Join(a, domain.Join(b, c))));
                }
            }
        }
    }

    private static (MethodAnalysis Analysis, IOperation Root) Analyze(string source, string methodName) => EngineRun.Analyze(source, methodName);
}
