using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using UserAccess.Analyzers.Engine;
using UserAccess.Analyzers.Tests.Infrastructure;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// Never crash, never hang: every shipped analyzer runs over code built to stress the engine (deep
/// nesting, a 10,000-term expression, very large methods, recursion, generic, partial and async
/// methods, local functions and lambdas that use the runtime) and over corpus files with statements
/// deleted or swapped. No analyzer may throw, and a method whose pass runs out of budget must carry
/// no diagnostic. Sizes are what the compiler accepts and what two cores analyse in seconds.
/// </summary>
public class EngineStressTests
{
    /// <summary>Mutants per corpus file (a statement deleted, or swapped with the next one).</summary>
    private const int MutantsPerFile = 12;

    public static TheoryData<string> StressSources()
    {
        var data = new TheoryData<string>();
        foreach (var name in Sources.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    private static readonly IReadOnlyDictionary<string, Func<string>> Sources = new Dictionary<string, Func<string>>
    {
        ["NestedBlocks"] = () => Method("static int Run(KernelSpinlock lk, UserPtr<uint> p, int n)", Nest(2000, "{\n", "}\n", "lk.Lock(); GetUser(out uint v, p); lk.Unlock();\n") + "return 0;\n"),
        ["NestedIfs"] = () => Method("static int Run(KernelSpinlock lk, UserPtr<uint> p, int n)", Nest(600, "if (n > 3) {\nlk.Lock();\n", "lk.Unlock();\n}\n", "GetUser(out uint v, p);\n") + "return 0;\n"),
        ["NestedLoops"] = () => Method("static int Run(UserPtr<uint> p, int n)", Nest(40, i => $"for (int i{i} = 0; i{i} < n; i{i}++) {{\nPagefaultDisable();\nint r{i} = GetUser(out uint v{i}, p);\nPagefaultEnable();\nif (r{i} != 0) continue;\n", "}\n", string.Empty) + "return 0;\n"),
        ["LongExpression"] = () => Method("static long Run(UserPtr<uint> p, long a)", "GetUser(out uint v, p);\nlong x = " + string.Join(" + ", Enumerable.Repeat("a", 10000)) + ";\nreturn x;\n"),
        ["LongConditional"] = () => Method("static int Run(KernelSpinlock lk, int a)", "lk.Lock();\nbool b = " + string.Join(" && ", Enumerable.Range(0, 3000).Select(i => "a != " + i)) + ";\nif (b) lk.Unlock(); else lk.Unlock();\nreturn 0;\n"),
        ["LargeMethod"] = () => Method("static int Run(KernelSpinlock lk, KernelMutex m, UserPtr<uint> p, Mm mm, int n)", string.Concat(Enumerable.Range(0, 500).Select(i => (i % 5) switch
        {
            0 => "lk.Lock(); lk.Unlock();\n",
            1 => $"int r{i} = GetUser(out uint v{i}, p); if (r{i} != 0) return r{i};\n",
            2 => $"if (n > {i}) {{ m.Lock(); n--; m.Unlock(); }}\n",
            3 => $"PagefaultDisable(); int c{i} = CopyFromUserNofault(new byte[4], p); PagefaultEnable(); if (c{i} != 0) n++;\n",
            _ => "MmapReadLock(mm); MmapReadUnlock(mm);\n",
        })) + "return n;\n"),
        ["Recursion"] = () => Usings + @"
class Driver
{
    static int Down(KernelSpinlock lk, Mm mm, int n) => n == 0 ? Up(lk, mm, n) : Down(lk, mm, n - 1);
    static int Up(KernelSpinlock lk, Mm mm, int n) { if (n > 0) return Down(lk, mm, n); MmapReadLock(mm); MmapReadUnlock(mm); return Self(lk, mm, n); }
    static int Self(KernelSpinlock lk, Mm mm, int n) { lk.Lock(); int r = n > 0 ? Self(lk, mm, n - 1) : Down(lk, mm, n); lk.Unlock(); return r; }
    static void Run(KernelSpinlock lk, Mm mm) { lk.Lock(); Down(lk, mm, 3); lk.Unlock(); }
" + string.Concat(Enumerable.Range(0, 40).Select(i => $"    static int Chain{i}(KernelSpinlock lk, Mm mm, int n) => n > 0 ? Chain{(i + 1) % 40}(lk, mm, n - 1) : Up(lk, mm, n);\n")) + "}\n",
        ["GenericPartialAsync"] = () => Usings + @"
using System.Threading.Tasks;
partial class Driver<T> where T : unmanaged
{
    private partial int Read(UserPtr<T> p, out T value);
    private partial int Read(UserPtr<T> p, out T value) { PagefaultDisable(); int r = GetUser(out value, p); PagefaultEnable(); return r; }
    async Task<int> ReadLater(KernelSpinlock lk, UserPtr<T> p) { lk.Lock(); await Task.Yield(); int r = GetUser(out T v, p); lk.Unlock(); return r; }
    static U Echo<U>(U u) where U : unmanaged => u;
    int Run(KernelMutex m, UserPtr<T> p)
    {
        m.Lock();
        int Local(int n) { PagefaultDisable(); int r = GetUser(out T v, p); PagefaultEnable(); return n > 0 ? Local(n - 1) : r; }
        Func<int> lambda = () => { m.Lock(); int r = GetUser(out T v, p); m.Unlock(); return r; };
        Func<int, Task<int>> asyncLambda = async n => { await Task.Delay(n); return Read(p, out _); };
        int result = Local(3) + lambda() + Echo(1);
        m.Unlock();
        return result;
    }
}
",
        ["OverBudget"] = () => Method("static int Run(KernelSpinlock lk, Mm mm, int n)", "lk.Lock(); MmapReadLock(mm); MmapReadUnlock(mm); lk.Unlock();\n"
            + string.Concat(Enumerable.Range(0, 301).Select(i => $"int a{i} = 0;\n"))
            + "while (n-- > 0) {\n" + string.Concat(Enumerable.Range(1, 300).Reverse().Select(i => $"a{i} = a{i - 1};\n")) + "a0 = -EFAULT;\n}\n"
            + "return " + string.Join(" + ", Enumerable.Range(0, 301).Select(i => "a" + i)) + ";\n"),
    };

    [Theory]
    [MemberData(nameof(StressSources))]
    public async Task NoAnalyzerThrowsAndOverBudgetMethodsAreSilent(string name)
    {
        var compilation = Compile(Sources[name](), name + ".cs");
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{name} does not compile:\n" + string.Join("\n", errors.Take(5)));

        var result = await AnalyzerRunner.RunAsync(compilation, AnalyzerCatalog.Analyzers, includeCompilerDiagnostics: false);
        result.ThrowIfAnalyzerFailed(name);

        var unconverged = UnconvergedMethods(compilation);
        foreach (var span in unconverged)
        {
            var inside = result.AnalyzerDiagnostics.Where(d => span.Contains(d.Location.SourceSpan)).ToList();
            Assert.True(inside.Count == 0, $"{name}: a method over the budget has diagnostics:\n" + string.Join("\n", inside));
        }

        if (name == "OverBudget")
        {
            Assert.NotEmpty(unconverged);
        }
    }

    [Theory]
    [MemberData(nameof(HalfTypedCodeTests.CorpusSourceFiles), MemberType = typeof(HalfTypedCodeTests))]
    public async Task NoAnalyzerThrowsOnDeletedOrSwappedStatements(string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Root, file));
        var root = CSharpSyntaxTree.ParseText(text).GetRoot();
        var statements = root.DescendantNodes().OfType<StatementSyntax>().Where(s => s is not BlockSyntax && s.Parent is BlockSyntax).ToList();
        if (statements.Count == 0)
        {
            return;
        }

        double step = Math.Max(1.0, (double)statements.Count / MutantsPerFile);
        var mutants = new List<(string Description, string Text)>();
        for (double at = 0; at < statements.Count && mutants.Count < MutantsPerFile; at += step)
        {
            var statement = statements[(int)at];
            var span = statement.FullSpan;
            bool swap = mutants.Count % 2 == 1;
            var block = (BlockSyntax)statement.Parent!;
            int index = block.Statements.IndexOf(statement);
            if (swap && index + 1 < block.Statements.Count)
            {
                var next = block.Statements[index + 1].FullSpan;
                var mutated = text.Substring(0, span.Start) + text.Substring(next.Start, next.Length) + text.Substring(span.Start, span.Length) + text.Substring(next.End);
                mutants.Add(($"swapped statement at {span.Start}", mutated));
            }
            else
            {
                mutants.Add(($"deleted statement at {span.Start}", text.Remove(span.Start, span.Length)));
            }
        }

        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(mutants, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (mutant, ct) =>
        {
            var result = await AnalyzerRunner.RunAsync(Compile(mutant.Text, file), AnalyzerCatalog.Analyzers, includeCompilerDiagnostics: false, cancellationToken: ct);
            foreach (var failure in result.Failures)
            {
                failures.Add($"{mutant.Description}: {failure.Analyzer.GetType().Name}: {failure.Exception.GetType().Name}: {failure.Exception.Message}");
            }

            foreach (var diagnostic in result.DriverFailures)
            {
                failures.Add($"{mutant.Description}: {diagnostic}");
            }
        });

        Assert.True(failures.IsEmpty, $"Analyzers threw on mutants of {file}:\n" + string.Join("\n", failures.OrderBy(f => f).Take(20)));
    }

    private static string Method(string signature, string body) => Usings + "class Driver\n{\n    " + signature + "\n    {\n" + body + "    }\n}\n";

    private static string Nest(int depth, string open, string close, string innermost) => Nest(depth, _ => open, close, innermost);

    private static string Nest(int depth, Func<int, string> open, string close, string innermost)
    {
        var text = new StringBuilder();
        for (int i = 0; i < depth; i++)
        {
            text.Append(open(i));
        }

        text.Append(innermost);
        for (int i = 0; i < depth; i++)
        {
            text.Append(close);
        }

        return text.ToString();
    }

    private static Compilation Compile(string text, string path)
        => SimulatorCompilation.Create("Stress", new[] { SimulatorCompilation.Parse(text, path) });

    /// <summary>The spans of the method bodies whose engine pass did not converge.</summary>
    private static List<Microsoft.CodeAnalysis.Text.TextSpan> UnconvergedMethods(Compilation compilation)
    {
        var engine = CompilationEngine.Get(compilation)!;
        var spans = new List<Microsoft.CodeAnalysis.Text.TextSpan>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (model.GetOperation(declaration) is not Microsoft.CodeAnalysis.Operations.IMethodBodyOperation body || model.GetDeclaredSymbol(declaration) is not { } method)
                {
                    continue;
                }

                var analysis = FlowAnalysis.Run(engine, new AnalysisRequest(EngineOptions.Empty, CancellationToken.None), ControlFlowGraph.Create(body), method);
                if (!analysis.Converged)
                {
                    spans.Add(declaration.Span);
                }
            }
        }

        return spans;
    }
}
