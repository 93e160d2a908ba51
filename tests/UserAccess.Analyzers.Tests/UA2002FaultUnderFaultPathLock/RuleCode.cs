using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA2002FaultUnderFaultPathLockAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock;

/// <summary>Sources and helpers the rule tests of this folder share.</summary>
internal static class RuleCode
{
    // gfs2: the buffered read held the inode glock, which the page-fault handler of the same file
    // also takes, while copying to a user buffer mapped from that file.
    internal const string Gfs2 = @"
class Gfs2Inode
{
    [TakenInFaultPath]
    public KernelMutex Glock = null!;
}
";
}
