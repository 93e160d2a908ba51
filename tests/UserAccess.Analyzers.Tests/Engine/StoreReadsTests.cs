using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using UserAccess.Analyzers.Engine;
using UserAccess.Analyzers.Tests.Infrastructure;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;

namespace UserAccess.Analyzers.Tests.Engine;

/// <summary>
/// What a local may hold just before a store of a copy's result, asked of the method's graph (the
/// UA5002 fix moves the store's test onto the copy only when the code that goes on saw 0 there).
/// </summary>
public class StoreReadsTests
{
    private static string ValuesBefore(string body)
    {
        var (analysis, root) = EngineRun.Analyze(Usings + @"
using System;
class Driver
{
    static bool Stable(byte[] buf) => buf.Length > 0;

    static int Run(UserPtr data, byte[] buf, int n)
    {
" + body + @"
    }
}", "Run");
        var copy = root.Descendants().OfType<IInvocationOperation>().Single(c => c.TargetMethod.Name == "CopyFromUser");
        var store = (ISimpleAssignmentOperation)copy.Parent!;
        var local = ((ILocalReferenceOperation)store.Target).Local;
        var values = StoreReads.ValuesBefore(analysis, copy.Syntax, local);
        return values is null
            ? "unknown"
            : string.Join(", ", values.Select(v => v is null ? "unassigned" : v.ConstantValue.HasValue ? v.ConstantValue.Value!.ToString() : v.Syntax.ToString()).Distinct().OrderBy(v => v, System.StringComparer.Ordinal));
    }

    [Fact]
    public void TheInitializerReachesTheStore() => Assert.Equal("0", ValuesBefore(@"
        int ret = 0;
        if (n == 0)
            return -EINVAL;
        ret = CopyFromUser(buf, data);
        return ret;"));

    [Fact]
    public void AForwardJumpPastNoStoreLeavesTheLocalUnassigned() => Assert.Equal("unassigned", ValuesBefore(@"
        int ret;
        if (n == 0)
            goto copy;
        n--;
    copy:
        ret = CopyFromUser(buf, data);
        return ret;"));

    [Fact]
    public void AnErrnoStoredOnOnePathReachesTheStore() => Assert.Equal("-22, unassigned", ValuesBefore(@"
        int ret;
        if (n == 0)
            ret = -EINVAL;
        ret = CopyFromUser(buf, data);
        return ret;"));

    [Fact]
    public void ALoopBringsTheStoreBackToItself() => Assert.Equal("CopyFromUser(buf, data), unassigned", ValuesBefore(@"
        int ret;
        for (int i = 0; i < n; i++)
        {
            ret = CopyFromUser(buf, data);
            if (ret != 0)
                return -EFAULT;
        }
        return 0;"));

    [Fact]
    public void AJumpBackBringsTheStoreBackToItself() => Assert.Equal("0, CopyFromUser(buf, data)", ValuesBefore(@"
        int ret = 0;
        int tries = 0;
    again:
        ret = CopyFromUser(buf, data);
        if (ret == 0 && !Stable(buf) && ++tries < 3)
            goto again;
        return ret;"));

    [Fact]
    public void AWriteOtherThanAPlainStoreCannotBeTold() => Assert.Equal("unknown", ValuesBefore(@"
        int ret = 0;
        if (n == 0)
            ret |= 1;
        ret = CopyFromUser(buf, data);
        return ret;"));
}
