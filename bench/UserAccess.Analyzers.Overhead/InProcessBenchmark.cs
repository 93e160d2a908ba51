using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace UserAccess.Analyzers.Overhead;

/// <summary>
/// The analyzers hosted in this process on the Roslyn floor: the compiler's diagnostics of a corpus
/// alone against the same with every rule analyzer (CPU time of the process, which the other work on
/// a shared machine does not inflate as it does wall-clock time), the time each analyzer reports, and
/// one document analysed alone as an editor does after an edit.
/// </summary>
internal static class InProcessBenchmark
{
    /// <summary>The analyzers of the assembly as the compiler loads them: one for every rule, and UA0001's.</summary>
    internal static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(RuleAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
            && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), inherit: false).Length > 0)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>
    /// Each rule as an analyzer of its own (as the rules' tests run them), with UA0001's: the driver's
    /// per-analyzer cost for every rule, and each rule's own time in the driver's telemetry.
    /// </summary>
    internal static ImmutableArray<DiagnosticAnalyzer> EachRuleAlone { get; } = typeof(RuleAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && (typeof(RuleAnalyzer).IsAssignableFrom(t) || t == typeof(UA0001InvalidRuleOptionAnalyzer)))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>
    /// The floor: an analyzer registered as the rules' one is (the same operation-block action, flags and
    /// concurrency) that does nothing in its callback; what the compiler's driver costs any such analyzer.
    /// </summary>
    internal static ImmutableArray<DiagnosticAnalyzer> EmptyFloor { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(new Floor.EmptyFloorAnalyzer());

    /// <summary>The floor that also builds each method's control-flow graph, as the engine does, and nothing else.</summary>
    internal static ImmutableArray<DiagnosticAnalyzer> GraphFloor { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(new Floor.GraphFloorAnalyzer());

    /// <summary>A compilation of the corpus, referencing the runtime unless the corpus is plain.</summary>
    internal static CSharpCompilation Compile(IEnumerable<string> sources, bool referenceRuntime)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        if (referenceRuntime)
        {
            references.Add(MetadataReference.CreateFromFile(typeof(UserAccess.Runtime.Kernel).Assembly.Location));
        }

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        return CSharpCompilation.Create(
            "Corpus",
            sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, parse, path: $"File{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>One corpus, <paramref name="runs"/> times each way, alternating; medians.</summary>
    internal static Figures Measure(CorpusKind kind, int methods, int runs)
    {
        var sources = CorpusGenerator.Generate(kind, methods).Select(f => f.Text).ToList();
        var compilation = Compile(sources, kind != CorpusKind.Plain);
        int lines = sources.Sum(s => s.Split('\n').Length);

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("the corpus does not compile: " + errors[0]);
        }

        // Warm-up: the compiler's and the analyzers' code reaches its optimised tier only after a few
        // rounds; a single one left the first configuration measured on slower code than the second.
        for (int i = 0; i < 3; i++)
        {
            Without(compilation);
            With(compilation, EmptyFloor);
            With(compilation, GraphFloor);
            With(compilation, Analyzers);
            With(compilation, EachRuleAlone);
        }

        var without = new List<Sample>();
        var floor = new List<Sample>();
        var graph = new List<Sample>();
        var with = new List<Sample>();
        var alone = new List<Sample>();
        int diagnostics = 0;
        for (int i = 0; i < runs; i++)
        {
            without.Add(Without(compilation));
            floor.Add(With(compilation, EmptyFloor).Sample);
            graph.Add(With(compilation, GraphFloor).Sample);
            var (sample, count) = With(compilation, Analyzers);
            with.Add(sample);
            diagnostics = count;
            var (separate, separateCount) = With(compilation, EachRuleAlone);
            if (separateCount != count)
            {
                throw new InvalidOperationException(FormattableString.Invariant($"the rules run alone report {separateCount} diagnostics, run together {count}"));
            }

            alone.Add(separate);
        }

        return new Figures(kind, methods, lines, Sample.Median(without), Sample.Median(floor), Sample.Median(graph), Sample.Median(with), Sample.Median(alone), diagnostics);
    }

    /// <summary>
    /// The editor's case, warm: one document's analyzer diagnostics on a fresh compilation (an edit
    /// makes a new one, and the engine lives per compilation). Single-file analysis has the compiler
    /// bind the document again for its events, so the same document's compiler diagnostics on another
    /// fresh compilation are measured beside it and the analyzers' share is the difference.
    /// </summary>
    internal static DocumentFigures MeasureDocument(int lines, int runs)
    {
        string text = CorpusGenerator.Document(CorpusKind.Dense, lines);
        var compilation = Compile(new[] { text }, referenceRuntime: true);
        var compiler = new List<Sample>();
        var floor = new List<Sample>();
        var graph = new List<Sample>();
        var with = new List<Sample>();
        int diagnostics = 0;
        for (int i = 0; i < runs + 3; i++)
        {
            var alone = compilation.Clone();
            var compile = Sample.Of(() => alone.GetSemanticModel(alone.SyntaxTrees.Single()).GetDiagnostics());
            var emptyFloor = AnalyzeDocument(compilation, EmptyFloor).Sample;
            var graphFloor = AnalyzeDocument(compilation, GraphFloor).Sample;
            var (analyzed, found) = AnalyzeDocument(compilation, Analyzers);
            if (i >= 3)
            {
                compiler.Add(compile);
                floor.Add(emptyFloor);
                graph.Add(graphFloor);
                with.Add(analyzed);
                diagnostics = found;
            }
        }

        return new DocumentFigures(text.Split('\n').Length, Sample.Median(compiler), Sample.Median(floor), Sample.Median(graph), Sample.Median(with), diagnostics);
    }

    /// <summary>The single document's analyzer diagnostics on a fresh compilation.</summary>
    private static (Sample Sample, int Diagnostics) AnalyzeDocument(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var host = compilation.Clone().WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        var model = host.Compilation.GetSemanticModel(host.Compilation.SyntaxTrees.Single());
        ImmutableArray<Diagnostic> found = default;
        var sample = Sample.Of(() => found = host.GetAnalyzerSemanticDiagnosticsAsync(model, null, CancellationToken.None).GetAwaiter().GetResult());
        return (sample, found.Length);
    }

    /// <summary>Only the analyzed runs, for a profiler attached to this process.</summary>
    internal static void Profile(CorpusKind kind, int methods, int runs)
    {
        var compilation = Compile(CorpusGenerator.Generate(kind, methods).Select(f => f.Text), kind != CorpusKind.Plain);
        for (int i = 0; i < runs; i++)
        {
            var (sample, count) = With(compilation, Analyzers);
            Console.WriteLine(FormattableString.Invariant($"run {i}: CPU {sample.CpuSeconds:F3} s, wall {sample.WallSeconds:F3} s, {sample.Allocated / 1e6:F0} MB, {count} diagnostics"));
        }
    }

    private static Sample Without(Compilation compilation)
    {
        var fresh = compilation.Clone();
        return Sample.Of(() => fresh.GetDiagnostics());
    }

    /// <summary>
    /// Each rule's own time on one corpus, every rule its own analyzer, from the driver's telemetry
    /// (wall-clock time inside the rule's callbacks, the shared analysis charged to the first rule that
    /// asks for a method), median of <paramref name="runs"/> after a warm-up.
    /// </summary>
    internal static IReadOnlyList<(string Analyzer, double Seconds)> MeasureRules(CorpusKind kind, int methods, int runs)
    {
        var compilation = Compile(CorpusGenerator.Generate(kind, methods).Select(f => f.Text), kind != CorpusKind.Plain);
        var times = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (int i = 0; i < runs + 1; i++)
        {
            var host = compilation.Clone().WithAnalyzers(EachRuleAlone, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
            host.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
            if (i == 0)
            {
                continue;
            }

            foreach (var analyzer in EachRuleAlone)
            {
                var telemetry = host.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
                var name = analyzer.GetType().Name;
                if (!times.TryGetValue(name, out var list))
                {
                    times[name] = list = new List<double>();
                }

                list.Add(telemetry.ExecutionTime.TotalSeconds);
            }
        }

        return times.Select(pair => (pair.Key, Median(pair.Value))).OrderByDescending(pair => pair.Item2).ToList();
    }

    private static (Sample Sample, int Diagnostics) With(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var host = compilation.Clone().WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        ImmutableArray<Diagnostic> all = default;
        var sample = Sample.Of(() => all = host.GetAllDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult());
        return (sample, all.Count(d => d.Id.StartsWith("UA", StringComparison.Ordinal)));
    }

    internal static double Median(List<double> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);

    /// <summary>The figures of one corpus.</summary>
    internal sealed record Figures(CorpusKind Kind, int Methods, int Lines, Sample Without, Sample Floor, Sample GraphFloor, Sample With, Sample EachRuleAlone, int Diagnostics);

    /// <summary>The document's figures: the compiler's diagnostics alone, then single-file analysis with each floor and with the analyzers.</summary>
    internal sealed record DocumentFigures(int Lines, Sample Compiler, Sample Floor, Sample GraphFloor, Sample With, int Diagnostics);

    /// <summary>One measurement: CPU time of the process, wall-clock time, bytes allocated.</summary>
    internal readonly record struct Sample(double CpuSeconds, double WallSeconds, long Allocated)
    {
        public static Sample Of(Action action)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            action();
            watch.Stop();
            process.Refresh();
            return new Sample((process.TotalProcessorTime - cpu).TotalSeconds, watch.Elapsed.TotalSeconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
        }

        public static Sample Median(List<Sample> samples) => new(
            InProcessBenchmark.Median(samples.Select(s => s.CpuSeconds).ToList()),
            InProcessBenchmark.Median(samples.Select(s => s.WallSeconds).ToList()),
            (long)InProcessBenchmark.Median(samples.Select(s => (double)s.Allocated).ToList()));
    }
}
