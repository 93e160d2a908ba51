using System;
using System.Linq;
using UserAccess.Runtime.Exploration;
using Xunit;
using Xunit.Abstractions;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Exploration;

// The example of docs/runtime.md, "Exploring your own function": what the page shows is what runs.
public class DocExampleTests
{
    private readonly ITestOutputHelper output;

    public DocExampleTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void The_buggy_read_fails_already_in_the_clean_run_and_whenever_the_page_is_out()
    {
        var result = Explorer.Run(Target(ReadCounterBuggy));
        output.WriteLine(result.ToString());

        Assert.Equal("none", result.Failures[0].Fault);
        Assert.All(result.Failures, f => Assert.Equal(nameof(ReportKind.SleepInAtomic), f.Verdict));
        Assert.Contains(result.Failures, f => f.Fault.StartsWith("SwappedOut", StringComparison.Ordinal) && f.Result == -EFAULT);
    }

    [Fact]
    public void The_fixed_read_explores_clean()
    {
        var result = Explorer.Run(Target(ReadCounterFixed));
        output.WriteLine(result.ToString());

        result.AssertClean();
        Assert.Contains(result.Runs, r => r.Fault == "misaligned +4094" && r.Result == -EFAULT);
    }

    private delegate int ReadCounter(UserPtr<uint> uaddr, out uint value);

    private static ExplorationTarget Target(ReadCounter read) => new()
    {
        Setup = mm =>
        {
            UserPtr page = mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
            mm.UserWrite(page, BitConverter.GetBytes(42u));
            return Explorer.MayMisalign(page.Cast<uint>());
        },
        Body = args => read((UserPtr<uint>)args!, out _),
    };

    private static int ReadCounterBuggy(UserPtr<uint> uaddr, out uint value)
    {
        PreemptDisable();
        int ret = GetUser(out value, uaddr);
        PreemptEnable();
        return ret;
    }

    private static int ReadCounterFixed(UserPtr<uint> uaddr, out uint value)
    {
        int ret;
        while (true)
        {
            PreemptDisable();
            PagefaultDisable();
            ret = GetUser(out value, uaddr);
            PagefaultEnable();
            PreemptEnable();
            if (ret != -EFAULT)
            {
                break;
            }

            if (FatalSignalPending())
            {
                ret = -EINTR;
                break;
            }

            if (FaultInReadable(uaddr, sizeof(uint)) != 0)
            {
                ret = -EFAULT;
                break;
            }
        }

        return ret;
    }
}
