using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1001SleepInAtomicAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA1001SleepInAtomic;

/// <summary>Sources and helpers the rule tests of this folder share.</summary>
internal static class RuleCode
{
    // The UMCG lesson: get_user_nosleep() fixed the fault up (mmap lock + fixup_user_fault) from a
    // context that could not sleep.
    internal const string UmcgHelpers = @"
class Umcg
{
    static int FixPagefault(Mm mm, UserPtr uaddr, bool write)
    {
        MmapReadLock(mm);
        int ret = FixupUserFault(mm, uaddr, write ? FaultFlags.Write : FaultFlags.None);
        MmapReadUnlock(mm);
        return ret < 0 ? -EFAULT : 0;
    }

    static int GetUserNosleep(Mm mm, UserPtr<ulong> uaddr, out ulong val)
    {
        PagefaultDisable();
        int ret = GetUser(out val, uaddr);
        PagefaultEnable();
        if (ret == -EFAULT)
        {
            ret = FixPagefault(mm, uaddr, false);
            if (ret == 0)
            {
                PagefaultDisable();
                ret = GetUser(out val, uaddr);
                PagefaultEnable();
            }
        }
        return ret;
    }

    static int GetUserInatomic(UserPtr<ulong> uaddr, out ulong val)
    {
        PagefaultDisable();
        int ret = GetUser(out val, uaddr);
        PagefaultEnable();
        return ret;
    }
";
}
