using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3001UnalignedUserAtomicAnalyzer>;
using VerifyUA1002 = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA1002FaultHandlingInNofaultAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA3001UnalignedUserAtomic;

/// <summary>Sources and helpers the rule tests of this folder share.</summary>
internal static class RuleCode
{
    /// <summary>The UMCG xchg_user_64() as posted (v0.x of the series): access_ok, no alignment check, fix_pagefault() inside pagefault_disable().</summary>
    internal const string UmcgXchgUser64AsPosted = @"
class Umcg
{
    static int FixPagefault(Mm mm, UserPtr uaddr, bool write)
    {
        MmapReadLock(mm);
        int ret = FixupUserFault(mm, uaddr, write ? FaultFlags.Write : FaultFlags.None);
        MmapReadUnlock(mm);
        return ret < 0 ? ret : 0;
    }

    static int XchgUser64(Mm mm, UserPtr<ulong> uaddr, ref ulong val)
    {
        int ret;
        if (!AccessOk(uaddr, sizeof(ulong)))
            return -EFAULT;

        PagefaultDisable();
        while (true)
        {
            ret = {|#0:XchgUserInatomic(uaddr, val, out ulong old)|};
            if (ret == 0)
            {
                val = old;
                break;
            }

            if ({|#1:FixPagefault(mm, uaddr, true)|} < 0)
                break;
        }

        PagefaultEnable();
        return ret;
    }
}";
}
