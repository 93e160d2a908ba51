using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using UserAccess.Runtime;
using UserAccess.Runtime.Exploration;
using Xunit;
using Xunit.Abstractions;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Analyzers.Tests.Meta;

/// <summary>
/// Each rule page's Bad and Good examples, compiled as the documentation test compiles them, loaded
/// and explored under faults: the Bad example fails the way its page says, the Good one explores
/// clean. The setup builds the user memory the example needs; the body is the example's caller.
/// Rules whose bug the explorer has no fault for are listed apart with the reason, and are only held
/// to compiling and exploring without an exception.
/// </summary>
public class RuleExamplesExploredTests
{
    // Deadlock runs end at the hung-task timeout: short, so that an example that deadlocks in every
    // run stays quick. The bounds keep the whole file well under the suite's time budget.
    private static readonly ExplorationOptions Options = new()
    {
        MaxRuns = 400,
        Timeout = TimeSpan.FromSeconds(10),
        HungTaskTimeout = TimeSpan.FromMilliseconds(200),
    };

    private static readonly byte[] Pattern = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    private readonly ITestOutputHelper _output;

    public RuleExamplesExploredTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Shown()
    {
        var data = new TheoryData<string>();
        foreach (var id in s_shown.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    public static TheoryData<string> NotShown()
    {
        var data = new TheoryData<string>();
        foreach (var id in s_notShown.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shown))]
    public void BadExampleFailsAsItsPageSaysAndGoodExampleExploresClean(string id)
    {
        var example = s_shown[id];

        var bad = Explorer.Run(example.Target(Load(id, "Bad")), Options);
        _output.WriteLine($"{id} Bad: {bad}");
        _output.WriteLine($"{id} Bad verdicts: " + string.Join(", ", bad.Failures.GroupBy(f => f.Verdict + " " + f.Fault.Split(' ')[0]).Select(g => $"{g.Key} x{g.Count()}")));
        Assert.True(bad.Failures.Any(f => f.Verdict == example.Verdict && example.Where(f)), $"{id}: the Bad example should fail with {example.Verdict} ({example.Claim}); it gave:\n{bad}");
        Assert.All(bad.Failures, f => Assert.Equal(example.Verdict, f.Verdict));

        var good = Explorer.Run(example.Target(Load(id, "Good")), Options);
        _output.WriteLine($"{id} Good: {good}");
        good.AssertClean();
    }

    [Theory]
    [MemberData(nameof(NotShown))]
    public void ExampleTheExplorerCannotShowCompilesAndExploresWithoutAnException(string id)
    {
        var (reason, target) = s_notShown[id];
        Assert.False(string.IsNullOrWhiteSpace(reason));
        if (target is null)
        {
            Assert.Empty(DocumentationSnippet.In($"docs/rules/{id}.md"));
            return;
        }

        foreach (var section in new[] { "Bad", "Good" })
        {
            var result = Explorer.Run(target(Load(id, section)), Options);
            _output.WriteLine($"{id} {section}: {result}");
            Assert.DoesNotContain(result.Runs, r => r.Outcome is ExplorationOutcome.Exception or ExplorationOutcome.Hang);
        }
    }

    [Fact]
    public void EveryRulePageIsExploredOrSaysWhyNot()
    {
        var pages = Directory.GetFiles(Path.Combine(RepositoryLayout.Root, "docs", "rules"), "UA*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(pages, s_shown.Keys.Concat(s_notShown.Keys).Order(StringComparer.Ordinal));
        Assert.Empty(s_shown.Keys.Intersect(s_notShown.Keys));
    }

    /// <summary>What the Bad example must show: every failing run has <paramref name="Verdict"/>, and some run where <paramref name="Where"/> holds (the fault the page's story is about).</summary>
    private sealed record Example(string Verdict, string Claim, Func<Func<object?[], int>, ExplorationTarget> Target, Func<ExplorationFailure, bool> Where);

    private static readonly Dictionary<string, Example> s_shown = new()
    {
        // The body is the scheduler hook: [AtomicContext] says the caller has preemption off. With
        // the word out, the Bad helper takes the mmap lock there.
        ["UA1001"] = new(
            nameof(ReportKind.SleepInAtomic),
            "a call that may sleep in atomic context",
            call => new()
            {
                Setup = mm => new object?[] { mm, Word(mm, 8).Cast<ulong>() },
                Body = args =>
                {
                    PreemptDisable();
                    int ret = call((object?[])args!);
                    PreemptEnable();
                    return ret;
                },
            },
            f => f.Fault.StartsWith("SwappedOut ", StringComparison.Ordinal)),

        ["UA1002"] = new(
            nameof(ReportKind.FaultHandlingInNofault),
            "the mmap lock taken inside the nofault region",
            call => new()
            {
                Setup = mm => Parameters(call)[0].ParameterType == typeof(Mm)
                    ? new object?[] { mm, Word(mm, 8).Cast<ulong>(), 7UL }
                    : new object?[] { Word(mm, 8).Cast<ulong>(), 7UL },
                Body = args => call((object?[])args!),
                Check = Exchanged,
            },
            f => f.Fault.StartsWith("SwappedOut ", StringComparison.Ordinal)),

        ["UA1003"] = new(
            nameof(ReportKind.Imbalance),
            "faults left disabled on the early return",
            call => new()
            {
                Setup = mm => new object?[] { Word(mm, 4).Cast<uint>(), null },
                Body = args => call((object?[])args!),
            },
            f => f.Result == -EFAULT),

        // The inode glock is the lock the fault path of the file's mapping takes (its folio lock),
        // and the user buffer is a shared mapping of that file: gfs2's mmap + read deadlock.
        ["UA2002"] = new(
            nameof(ReportKind.Deadlock),
            "the fault handler needs the lock the copier holds",
            call => new()
            {
                Setup = mm =>
                {
                    int size = mm.Machine.Arch.PageSize;
                    var file = new SimFile(mm.Machine, "data", size);
                    var buf = mm.MmapFile(file, (ulong)size, Prot.Read | Prot.Write, MapFlags.Shared);
                    var inodeType = Parameters(call)[0].ParameterType;
                    object ip = Activator.CreateInstance(inodeType, nonPublic: true)!;
                    inodeType.GetField("Glock")!.SetValue(ip, file.GetFolio(0).Lock);
                    return new object?[] { ip, buf, Pattern.ToArray() };
                },
                Body = args => call((object?[])args!),
                Check = (mm, args, ret) => ret == Pattern.Length && !Holds(mm, (UserPtr)((object?[])args!)[1]!, Pattern)
                    ? "returned the full length but the user buffer does not hold the data"
                    : null,
            },
            f => f.Fault == "none"),

        ["UA2003"] = new(
            nameof(ReportKind.LockNotHeld),
            "FixupUserFault on the remote mm without its mmap lock",
            call => new()
            {
                Setup = mm =>
                {
                    var remote = mm.Machine.CreateProcess();
                    var addr = Word(remote, 4);
                    return Parameters(call).Length == 3
                        ? new object?[] { mm, remote, addr }
                        : new object?[] { remote, addr };
                },
                Body = args => call((object?[])args!),
            },
            f => f.Fault == "none"),

        // The example returns -EFAULT on the misaligned word; the livelock is in its caller's
        // retry-on-EFAULT loop (the canonical one), which the body is.
        ["UA3001"] = new(
            nameof(ReportKind.Livelock),
            "#AC on a split lock: the fault-in succeeds and the retry spins",
            call => new()
            {
                Setup = mm => Explorer.MayMisalign(Word(mm, 0x100).Cast<ulong>()),
                Body = args =>
                {
                    var p = (UserPtr<ulong>)args!;
                    while (true)
                    {
                        int ret = call(new object?[] { p, 7UL, null });
                        if (ret != -EFAULT)
                        {
                            return ret;
                        }

                        if (FatalSignalPending())
                        {
                            return -EINTR;
                        }

                        ret = FaultInUserWriteable(p);
                        if (ret != 0)
                        {
                            return ret;
                        }
                    }
                },
                Check = Exchanged,
            },
            f => f.Arch == Arch.X86_64 && f.Fault == "misaligned +60"),

        ["UA4002"] = new(
            nameof(ReportKind.Livelock),
            "a permanent fault retried forever",
            call => new()
            {
                Setup = mm => Parameters(call)[0].ParameterType == typeof(Mm)
                    ? new object?[] { mm, Word(mm, 8).Cast<uint>(), 7u }
                    : new object?[] { Word(mm, 8).Cast<ulong>(), 7UL, null },
                Body = args => call((object?[])args!),
                Check = Exchanged,
            },
            f => f.Fault.StartsWith("NotMapped ", StringComparison.Ordinal) || f.Fault.StartsWith("Poisoned ", StringComparison.Ordinal)),

        // A 64-byte copy from an arm64 MTE mapping: a tag mismatch in a granule after the first refuses
        // the copy while the page-granular fault-in, which probes only the range's first byte in the
        // page, succeeds; the Bad loop retries the same range forever.
        ["UA4005"] = new(
            nameof(ReportKind.Livelock),
            "a fault inside a page that fault-in cannot see, retried from the same start forever",
            call => new()
            {
                Setup = mm => new object?[] { new byte[64], mm.Mmap(4096, Prot.Read | Prot.Write | Prot.Mte) + 0x40 },
                Body = args => call((object?[])args!),
                Arches = new[] { Arch.Arm64 },
            },
            f => f.Fault.StartsWith("MTE", StringComparison.Ordinal)),

        // A write from a buffer whose last 16 bytes are on an unmapped page: the 16 before them can
        // be written, and a write that can make progress must not fail as a whole.
        ["UA4004"] = new(
            nameof(ExplorationOutcome.CheckFailed),
            "-EFAULT for the whole write although the bytes before the unmapped page could be written",
            call => WriteAcrossTheEndOfTheMapping(call, check: true),
            f => f.Result == -EFAULT),

        // The exchange reported as done (0, the expected value read) must have stored the new value.
        ["UA5001"] = new(
            nameof(ExplorationOutcome.CheckFailed),
            "a failed store reported as a successful cmpxchg",
            call => new()
            {
                Setup = mm => new object?[] { (Page(mm, populate: false) + 0x100).Cast<uint>(), 0u, 1u, null },
                Body = args => call((object?[])args!),
                Check = (mm, args, ret) =>
                {
                    var a = (object?[])args!;
                    return ret == 0 && (uint)a[3]! == 0 && !Holds(mm, new UserPtr(((UserPtr<uint>)a[0]!).Address), 1, sizeof(uint))
                        ? "returned 0 with the expected value but the word does not hold the new value"
                        : null;
                },
            },
            f => f.Fault.StartsWith("ZeroPage ", StringComparison.Ordinal)),

        // A 0 return says the parameters were copied.
        ["UA5002"] = new(
            nameof(ExplorationOutcome.CheckFailed),
            "a failed copy never fails the call",
            call => new()
            {
                Setup = mm => new object?[] { Word(mm, 0), new byte[Pattern.Length] },
                Body = args => call((object?[])args!),
                Check = (mm, args, ret) => ret == 0 && !((byte[])((object?[])args!)[1]!).AsSpan().SequenceEqual(Pattern)
                    ? "returned 0 but the parameters were not copied"
                    : null,
            },
            f => f.Result == 0),
    };

    private static readonly Dictionary<string, (string Reason, Func<Func<object?[], int>, ExplorationTarget>? Target)> s_notShown = new()
    {
        ["UA0001"] = ("a configuration rule: its page has .editorconfig entries, no code to run", null),
        ["UA2001"] = ("advice: a non-killable wait is only slow to kill when the lock is contended, and the explorer's SIGKILL finds the mmap lock free", call => new()
        {
            Setup = mm => new object?[] { mm, Word(mm, 4) },
            Body = args => call((object?[])args!),
        }),
        ["UA2004"] = ("a race with the monitor's events: mmap_changing is raised by a fork, mremap or MADV_DONTNEED of another task, which the explorer never runs; the userfaultfd scenario in samples/Scenarios stages it", call => new()
        {
            Setup = mm =>
            {
                var ctx = mm.CreateUserfaultfd();
                int page = mm.Machine.Arch.PageSize;
                var area = mm.Mmap((ulong)page, Prot.Read | Prot.Write);
                ctx.Register(area, (ulong)page, UffdRegisterMode.Missing);
                return new object?[] { ctx, area, new byte[page] };
            },
            Body = args => call((object?[])args!),
        }),
        ["UA3002"] = ("the runtime's bit operations refuse an out-of-range bit themselves (-EINVAL), so the unchecked bit never lands outside the word", call => new()
        {
            Setup = mm => new object?[] { Word(mm, 4), 4, 40 },
            Body = args => call((object?[])args!),
        }),
        ["UA3003"] = ("a double fetch needs user space to change the value between the two reads; the explorer's second task unmaps, swaps out, re-tags or write-protects, never writes", call => new()
        {
            Setup = mm =>
            {
                var p = Word(mm, 0);
                mm.UserWrite(p, BitConverter.GetBytes(8u));
                return new object?[] { p.Cast<uint>(), p + 0x100, new byte[16] };
            },
            Body = args => call((object?[])args!),
        }),
        ["UA4001"] = ("a cost, not a failure: the prefault walks the page tables on every round, and the loop still retries after a short copy", call => WriteAcrossTheEndOfTheMapping(call, check: false)),
        ["UA4003"] = ("kill -9 latency on a huge buffer: the loop without the check still finishes, and nothing the explorer judges says how long it took", call => WriteAcrossTheEndOfTheMapping(call, check: false)),
        ["UA5003"] = ("the bug is a user pointer aimed at kernel memory; the explorer only changes the state of the user pages the setup mapped", call => new()
        {
            Setup = mm => new object?[] { Word(mm, 4).Cast<uint>(), null },
            Body = args => call((object?[])args!),
        }),
    };

    /// <summary>An exchange that returned 0 left the new value, 7, in the word (the first user pointer among the arguments).</summary>
    private static string? Exchanged(Mm mm, object? args, int ret)
    {
        if (ret != 0)
        {
            return null;
        }

        var pointer = (args as object?[] ?? new[] { args }).First(a => a is UserPtr<ulong> or UserPtr<uint>);
        var (address, size) = pointer is UserPtr<ulong> p64 ? (p64.Address, sizeof(ulong)) : (((UserPtr<uint>)pointer!).Address, sizeof(uint));
        return Holds(mm, new UserPtr(address), 7, size) ? null : "returned 0 but the word does not hold the new value";
    }

    /// <summary>The parameters of the example's method: the Bad and Good examples of a page may differ in them.</summary>
    private static ParameterInfo[] Parameters(Func<object?[], int> call) => ((Invoker)call.Target!).Method.GetParameters();

    /// <summary>
    /// <c>Write(buf, count, page)</c> on a buffer of 32 bytes whose last 16 are past the end of the
    /// only mapping: a correct write returns 16, or -EFAULT when the first page cannot be read.
    /// </summary>
    private static ExplorationTarget WriteAcrossTheEndOfTheMapping(Func<object?[], int> call, bool check) => new()
    {
        Setup = mm =>
        {
            int size = mm.Machine.Arch.PageSize;
            var page = Page(mm, populate: true);
            mm.UserWrite(page + (size - 16), Pattern);
            return new object?[] { page + (size - 16), 32L, new byte[64] };
        },
        Body = args => call((object?[])args!),
        Check = !check ? null : (mm, args, ret) =>
        {
            var buf = (UserPtr)((object?[])args!)[0]!;
            bool readable = mm.GetPageState(buf) is not (PageState.NotMapped or PageState.Poisoned);
            return ret == 16 || (ret == -EFAULT && !readable)
                ? null
                : $"returned {ret}; the 16 bytes before the unmapped page {(readable ? "could be written" : "were not readable")}";
        },
    };

    /// <summary>A present private page holding <see cref="Pattern"/> at <paramref name="offset"/>; the pointer to it.</summary>
    private static UserPtr Word(Mm mm, int offset)
    {
        var page = Page(mm, populate: true);
        mm.UserWrite(page + offset, Pattern);
        return page + offset;
    }

    private static UserPtr Page(Mm mm, bool populate) =>
        mm.Mmap((ulong)mm.Machine.Arch.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | (populate ? MapFlags.Populate : 0));

    /// <summary>Whether user memory holds <paramref name="expected"/> at <paramref name="p"/> (<c>false</c> where it cannot be read).</summary>
    private static bool Holds(Mm mm, UserPtr p, byte[] expected)
    {
        var bytes = new byte[expected.Length];
        try
        {
            mm.UserRead(p, bytes);
        }
        catch (SegmentationFaultException)
        {
            return false;
        }

        return bytes.AsSpan().SequenceEqual(expected);
    }

    /// <summary>Whether user memory holds <paramref name="value"/> at <paramref name="p"/>, in the backend's byte order (<c>false</c> where it cannot be read).</summary>
    private static bool Holds(Mm mm, UserPtr p, ulong value, int size)
    {
        var bytes = new byte[size];
        try
        {
            mm.UserRead(p, bytes);
        }
        catch (SegmentationFaultException)
        {
            return false;
        }

        ulong found = 0;
        for (int i = 0; i < size; i++)
        {
            found = (found << 8) | bytes[mm.Machine.Arch.IsBigEndian ? i : size - 1 - i];
        }

        return found == value;
    }

    /// <summary>The page's <paramref name="section"/> example (the first csharp block under a heading that starts with it), compiled and loaded; its one method, as a call.</summary>
    private static Func<object?[], int> Load(string id, string section)
    {
        string file = $"docs/rules/{id}.md";
        var lines = File.ReadAllLines(Path.Combine(RepositoryLayout.Root, file));
        var snippet = DocumentationSnippet.In(file).First(s =>
        {
            var heading = lines.Take(s.Line - 1).Last(l => l.StartsWith("## ", StringComparison.Ordinal));
            return heading.StartsWith("## " + section, StringComparison.Ordinal);
        });
        var (source, _, kind) = snippet.ToSource();
        Assert.Equal(OutputKind.DynamicallyLinkedLibrary, kind);
        var compilation = DocumentationCompilation.Create($"{id}{section}Example", source, kind);
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, $"{snippet}:\n" + string.Join("\n", emitted.Diagnostics));
        var assembly = Assembly.Load(stream.ToArray());

        // The example's entry point is the last method the block declares (helpers come first).
        var snippetType = assembly.GetType("Snippet")!;
        var method = snippetType.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && !m.Name.Contains('<', StringComparison.Ordinal))
            .OrderBy(m => m.MetadataToken)
            .Last();
        return new Invoker(method).Call;
    }

    /// <summary>Invokes the example's method as its caller would: its exceptions (a check's unwinding) pass through unwrapped.</summary>
    private sealed class Invoker
    {
        public Invoker(MethodInfo method) => Method = method;

        public MethodInfo Method { get; }

        public int Call(object?[] args) => Convert.ToInt32(Method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, args, null), System.Globalization.CultureInfo.InvariantCulture);
    }
}
