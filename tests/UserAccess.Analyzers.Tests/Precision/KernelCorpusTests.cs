using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using System;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace UserAccess.Analyzers.Tests.Precision;

/// <summary>
/// Precision and recall of every rule on real kernel code. The rules run as build errors, so a false warning
/// on correct kernel code costs more than a miss: the figures are printed per rule with every false positive
/// and every miss, and held to a floor.
/// </summary>
public class KernelCorpusTests
{
    // A floor to raise, not the target: the figures last measured (595 functions, 289 TP, 14 FP, 24 FN; 86 FP
    // when the corpus was written), rounded down, so that a regression fails and each engine improvement
    // raises them. The 296 held-out functions (Heldout/, written after the rules were tuned) lowered them
    // from 0.981/0.971: the first 29 to 0.971/0.962, the next 30 (fix pairs of data-path and locking
    // defects) to 0.949/0.963, the next 20 (sg, scsi_ioctl and pcm ioctls; pagemap, xfs getfsmap, GUP,
    // userfaultfd) brought 6 false positives and a miss, 4 of which an engine fix then removed, the next
    // 33 (driver ioctls; arch signal frames, do_syslog(), ipc and seccomp) 18 false positives and 2 misses,
    // 15 and 2 of which engine fixes then removed, the next 65 (fs ioctls and readdir, socket options,
    // character drivers, kernel/ and lib/ copy helpers) 31 TP, 10 false positives and 6 misses at first
    // contact, 8 and 1 of which engine fixes then removed, the next 46 (DRM, RDMA and net ioctls; alpha,
    // mips and x86 arch code; select, poll, mempolicy and namespace syscalls) 9 TP, 14 false positives and
    // 6 misses at first contact, 9 of the false positives then removed, and later 6 more by paths a variable
    // tells apart (a lock released under a test of the vma, a record read while a flag is clear) and one
    // by a length computed from a kernel limit (mincore_vma()). The last 46 (media, input and USB; fs ioctls;
    // keys, BPF and protocols) brought 11 TP, 6 false positives and 3 misses at first contact (counting the
    // functions each writer added after its first run with them), 4 of the false positives then removed (a
    // helper that drops the spinlock it is handed before it sleeps; a second copy read only outside the bytes
    // fetched twice). The last 27 (netfilter counters, ATM, bridge, multicast routing and wireless extensions;
    // sigaction, signalfd, block and time syscalls) brought 25 TP (20 of them the calls atm_ioctl() makes
    // under its spinlock), 3 false positives and 2 misses at first contact; a second copy handed whole to a
    // walk that reads only past the fetched header, and a re-test against what a lookup made of the first
    // copy, then turned one false positive and one miss of do_add_counters() right. The last 52 (vhost,
    // dm-ioctl, MTD, watchdog and hidraw; TIPC, packet, CAN, IPv6, NFC and AF_ALG socket options; ARM OABI,
    // s390 ptrace, vmsplice, the arm64 SVE restore and the aio ring) brought 21 TP, 12 false positives and 2
    // misses at first contact (9 of the false positives UA4003 on loops the kernel never made killable);
    // UA4003's default then left walks of entries to the Strict preset, which removed 9 false positives of
    // those and earlier rounds and turned exec's count() into a miss; a member's test followed as a
    // variable's (vmsplice's pipe->inode) removed 2 more. A double fetch across two functions (a checked
    // pointer handed to a method of the user's that fetches the same bytes again) then found mptctl's
    // CVE-2020-12652. The last 35 (ioctl dispatchers and their handlers: ethtool, mptctl, mpt3sas, asihpi;
    // header-then-body copies: tls and chtls setsockopt, ip_tables counters, KVM CPUID2, ethtool EEPROM,
    // vfio-platform) brought 8 TP, 3 false positives and 4 misses at first contact; 2 of the false positives
    // were the cross-function rule counting a handler's copy used because it was handed to lookups, which it
    // no longer does; a re-test of the re-fetched count against what a lookup made of the first copy then
    // stopped counting as a re-validation (ip_tables' do_add_counters()). A ring drained through snapshots
    // of its indexes (aio_read_events_ring()) then stopped counting as a walk. The held-out part alone is
    // 187 TP, 14 FP, 22 FN. The targets are precision >= 0.95 and recall >= 0.90 overall and no rule below 0.8
    // in either.
    private const double PrecisionFloor = 0.953;
    private const double RecallFloor = 0.922;

    // Per rule (precision, recall), rounded down from the same measurement. A rule missing here is at 1.0
    // on the corpus today (or reports nothing) and is held to it: its first false positive fails.
    private static readonly IReadOnlyDictionary<string, (double Precision, double Recall)> s_ruleFloors = new Dictionary<string, (double, double)>
    {
        ["UA2001"] = (0.95, 0.95),
        ["UA2002"] = (1.0, 0.916),
        ["UA3003"] = (0.892, 0.805),
        ["UA4003"] = (0.687, 0.785),
        ["UA5001"] = (0.983, 0.983),
        ["UA5002"] = (1.0, 0.854),
        ["UA5003"] = (0.913, 0.913),
    };

    // Counts from the same measurement: with the noisiest rules at precision 0, only a count catches more noise.
    private const int MaxFalsePositives = 14;
    private const int MinTruePositives = 289;

    // The folder of functions the rules were not tuned on: their figures are printed on their own too.
    private const string HeldOut = "Heldout";

    // At least this many functions, about half of them correct code, or the figures mean little.
    private const int MinimumFunctions = 80;

    private readonly ITestOutputHelper _output;

    public KernelCorpusTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void EveryFileCompilesWithoutErrors()
    {
        var failures = new List<string>();
        foreach (var file in KernelCorpus.Files())
        {
            var errors = KernelCorpus.Compile(file).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            failures.AddRange(errors.Select(e => $"{KernelCorpus.Relative(file)}: {e}"));
        }

        Assert.True(failures.Count == 0, "The corpus must be real, complete simulator code:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void EveryFunctionHasAHeaderAndALabel()
    {
        var problems = new List<string>();
        var functions = KernelCorpus.Files().SelectMany(f => KernelCorpus.Functions(KernelCorpus.Compile(f).SyntaxTrees.Single())).ToList();
        foreach (var function in functions)
        {
            var where = $"{function.File}:{function.FirstLine} {function.Name}";
            if (function.Labels.Count == 0)
            {
                problems.Add($"{where}: no '// expect:' label (UAxxxx on the defect's line, or none)");
            }

            if (function.Labels.Any(l => l.Id == "none") && function.Expected.Count > 0)
            {
                problems.Add($"{where}: labelled both none and a defect");
            }

            if (function.Labels.Any(l => l.Id != "none" && !(l.Id.Length == 6 && l.Id.StartsWith("UA", StringComparison.Ordinal))))
            {
                problems.Add($"{where}: a label that is not a rule id");
            }

            if (!function.HasHeaderComment)
            {
                problems.Add($"{where}: no header comment (kernel file, function, version or commit, why correct or buggy)");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(functions.Count >= MinimumFunctions, $"{functions.Count} functions; the corpus needs at least {MinimumFunctions}.");
    }

    [Fact]
    public async Task PrecisionAndRecallDoNotFallBelowTheFloor()
    {
        var measurement = await KernelCorpus.MeasureAsync();
        _output.WriteLine(Table(measurement));
        _output.WriteLine("Held out (" + HeldOut + "/, written after the rules were tuned, labelled by kernel truth alone):");
        _output.WriteLine(Table(await KernelCorpus.MeasureAsync(HeldOut)));

        var failures = new List<string>();
        var overall = measurement.For(null);
        if (overall.Precision < PrecisionFloor)
        {
            failures.Add($"overall precision {F(overall.Precision)} < floor {F(PrecisionFloor)}");
        }

        if (overall.Recall < RecallFloor)
        {
            failures.Add($"overall recall {F(overall.Recall)} < floor {F(RecallFloor)}");
        }

        if (overall.FalsePositives > MaxFalsePositives)
        {
            failures.Add($"{overall.FalsePositives} false positives > {MaxFalsePositives}");
        }

        if (overall.TruePositives < MinTruePositives)
        {
            failures.Add($"{overall.TruePositives} true positives < {MinTruePositives}");
        }

        foreach (var rule in measurement.Rules)
        {
            var score = measurement.For(rule);
            var floor = s_ruleFloors.TryGetValue(rule, out var f) ? f : (Precision: 1.0, Recall: 1.0);
            if (score.Precision < floor.Precision)
            {
                failures.Add($"{rule} precision {F(score.Precision)} < floor {F(floor.Precision)}");
            }

            if (score.Recall < floor.Recall)
            {
                failures.Add($"{rule} recall {F(score.Recall)} < floor {F(floor.Recall)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n\n" + Table(measurement));
    }

    private static string Table(Measurement measurement)
    {
        var text = new StringBuilder();
        text.AppendLine($"Kernel corpus: {measurement.Functions} functions, {measurement.CorrectFunctions} correct (expect: none).");
        text.AppendLine("rule    TP  FP  FN  precision  recall");
        foreach (var rule in measurement.Rules)
        {
            text.AppendLine(Row(rule, measurement.For(rule)));
        }

        text.AppendLine(Row("overall", measurement.For(null)));
        foreach (var verdict in new[] { Verdict.FalsePositive, Verdict.FalseNegative })
        {
            text.AppendLine();
            text.AppendLine(verdict == Verdict.FalsePositive ? "False positives:" : "Misses:");
            foreach (var outcome in measurement.Outcomes.Where(o => o.Verdict == verdict).OrderBy(o => o.Rule, StringComparer.Ordinal).ThenBy(o => o.File, StringComparer.Ordinal).ThenBy(o => o.Line))
            {
                text.AppendLine($"  {outcome.Rule} {outcome.File}:{outcome.Line} {outcome.Message}");
            }
        }

        return text.ToString();
    }

    private static string Row(string rule, Score score)
        => string.Create(CultureInfo.InvariantCulture, $"{rule,-7} {score.TruePositives,3} {score.FalsePositives,3} {score.FalseNegatives,3}  {score.Precision,9:0.000}  {score.Recall,6:0.000}");

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
