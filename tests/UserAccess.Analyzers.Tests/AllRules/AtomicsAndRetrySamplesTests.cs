using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis;
using UserAccess.Analyzers.Tests.Infrastructure;
using UserAccess.Analyzers.Tests.Meta;
using UserAccess.Analyzers.Tests.Verifiers;
using Xunit;

namespace UserAccess.Analyzers.Tests.AllRules;

/// <summary>
/// The seed scenarios under the UA3xxx/UA4xxx rules: exactly the lessons they carry are reported (the UMCG
/// xchg_user_64 as posted: UA3001; futex wake-op ignoring the fault-in result: UA4002; btrfs search_ioctl() with a page-granular fault-in: UA4005), nothing else in the
/// whole Scenarios project (buggy, fixed, harness, kernel helpers).
/// </summary>
public class AtomicsAndRetrySamplesTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Rules = ImmutableArray.Create<DiagnosticAnalyzer>(
        new UA3001UnalignedUserAtomicAnalyzer(),
        new UA3002UnvalidatedBitOperationAnalyzer(),
        new UA3003DoubleFetchAnalyzer(),
        new UA4001PrefaultOnHotPathAnalyzer(),
        new UA4002EndlessRetryAnalyzer(),
        new UA4003NoFatalSignalCheckAnalyzer(),
        new UA4004AllOrNothingFaultInAnalyzer(),
        new UA4005NoForwardProgressAnalyzer());

    [Fact]
    public async Task OnlyTheLessonsAreReported()
    {
        var directory = Path.Combine(RepositoryLayout.Samples, "Scenarios");
        if (!Directory.Exists(directory))
        {
            return;
        }

        var separator = Path.DirectorySeparatorChar;
        var trees = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}") && !f.Contains($"{separator}obj{separator}"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), SimulatorCompilation.ParseOptions, Path.GetRelativePath(directory, f).Replace(separator, '/')))
            .ToList();
        var compilation = CSharpCompilation.Create("Scenarios", trees, SimulatorCompilation.References, SimulatorCompilation.Options.WithOutputKind(OutputKind.ConsoleApplication));
        var result = await AnalyzerRunner.RunAsync(compilation, Rules);
        result.ThrowIfAnalyzerFailed("samples/Scenarios");
        var actual = result.AnalyzerDiagnostics
            .Select(d => d.Id + " " + d.Location.SourceTree!.FilePath + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            new[]
            {
                "UA3001 Buggy/UmcgXchgUser64.cs 'XchgUserInatomic' needs 'uaddr' aligned to 8 bytes, but no check on every path before it proves that",

                // search_ioctl() prefaults the whole buffer before each search, but copy_to_sk() returns 0
                // on a fault as when the leaf is done: the caller has no cold path, so no UA4001; the
                // btrfs lesson is UA4005's. copy_to_sk() walks the items of one leaf, up to the count the
                // search key holds: a bounded walk, no UA4003.
                "UA4002 Buggy/FutexWakeOp.cs 'FutexAtomicOpInuser' is retried after it fails with -EFAULT even when 'FaultInUserWriteable' fails: a permanent fault makes the loop spin forever",
                "UA4005 Buggy/BtrfsSearchIoctl.cs 'FaultInWriteable' faults in page by page from 'ubuf + skOffset', not from where 'CopyToSk' stopped: a fault inside a page that the probe cannot see makes fault-in succeed and the copy fail again, forever",
            },
            actual);
    }
}
