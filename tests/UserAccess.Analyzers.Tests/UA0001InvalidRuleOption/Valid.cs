using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA0001InvalidRuleOptionAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA0001InvalidRuleOption;

/// <summary>Rule options the rules can use are not reported, and the usable entries of a list still work next to a bad one.</summary>
public class Valid
{
    [Theory]
    [InlineData("useraccess.might_sleep_methods", "Vendor.Io.Queue.WaitForCompletion")]
    [InlineData("useraccess.might_sleep_methods", "M:Vendor.Io.Queue.WaitForCompletion(System.Int32)")]
    [InlineData("useraccess.might_sleep_methods", "M:Vendor.Io.Queue.WaitForCompletion, Vendor.Io.Queue.WaitForCompletion")]
    [InlineData("useraccess.might_sleep_methods", "M:UserAccess.Runtime.Kernel.MmapReadLock(UserAccess.Runtime.Mm)")]
    [InlineData("useraccess.might_sleep_methods", " Vendor.Io.Queue.WaitForCompletion ,, ")]
    [InlineData("useraccess.fault_path_locks", "F:MyFs.Inode.FolioLock, P:MyFs.Inode.Lock, T:Vendor.Fs.InodeLock")]
    [InlineData("useraccess.fault_path_locks", "MyFs.Inode.FolioLock, MyFs.Inode.Lock, Vendor.Fs.InodeLock")]
    [InlineData("useraccess.fault_path_locks", "MyFs.Inode.Page.PageLock, F:MyFs.Inode.Page.PageLock")]
    [InlineData("useraccess.fault_path_locks", "Vendor.Queue<T>.Lock")]
    [InlineData("useraccess.fault_path_locks", "")]
    [InlineData("useraccess.other_option", "not a name at all;")]
    [InlineData("useraccess.killable_waits", "long_held")]
    [InlineData("useraccess.killable_waits", " ALL ")]
    [InlineData("useraccess.signal_check_walks", "streams")]
    [InlineData("useraccess.signal_check_walks", "all")]
    public Task UsableEntriesAreNotReported(string key, string value)
        => Diagnostics.Test(key + " = " + value).RunAsync();

    [Fact]
    public Task AProjectWithoutTheRuntimeIsNotChecked()
    {
        // The rules do not run there, so what the options name does not matter.
        var test = new VerifyCS.Test { TestCode = "class C { }" };
        test.TestState.AdditionalReferences.Clear();
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nuseraccess.might_sleep_methods = Nope.Nothing\n"));
        return test.RunAsync();
    }

    [Fact]
    public Task TheUsableEntriesOfAListStillWorkNextToABadOne()
    {
        // The misspelt entry is reported; the good one still makes the vendor call may-sleep for UA1001.
        var test = new WithSleepInAtomic { TestCode = Diagnostics.Code };
        test.TestState.Sources.Add("""
            using static UserAccess.Runtime.Kernel;
            static class Driver
            {
                static void Run(Vendor.Io.Queue q)
                {
                    PreemptDisable();
                    {|UA1001:q.WaitForCompletion(1)|};
                    PreemptEnable();
                }
            }
            """);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nuseraccess.might_sleep_methods = Vendor.Io.Queue.WaitForCompletion, Vendor.Io.Queue.Wait\n"));
        test.ExpectedDiagnostics.Add(Diagnostics.Unusable("Vendor.Io.Queue.Wait", "useraccess.might_sleep_methods", Diagnostics.NamesNothing));
        return test.RunAsync();
    }

    private sealed class WithSleepInAtomic : VerifyCS.Test
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers()
            => new DiagnosticAnalyzer[] { new UA0001InvalidRuleOptionAnalyzer(), new UA1001SleepInAtomicAnalyzer() };
    }
}
