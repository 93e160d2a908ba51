using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3002UnvalidatedBitOperationAnalyzer>;
using VerifyUA3001 = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA3001UnalignedUserAtomicAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA3002UnvalidatedBitOperation;

/// <summary>Sources and helpers the rule tests of this folder share.</summary>
internal static class RuleCode
{
    /// <summary>kernel/trace/trace_events_user.c: user_events_reg() validates the enabler at the top (size, alignment, bit).</summary>
    internal const string UserEventsEnablerValidated = @"
class UserEvents
{
    static int EnablerUpdate(UserPtr enableAddr, int enableSize, int enableBit, bool on)
    {
        /* Ensure size is valid */
        if (enableSize != 4 && enableSize != 8)
            return -EINVAL;

        /* Ensure natural alignment */
        if (enableAddr.Address % (ulong)enableSize != 0)
            return -EINVAL;

        /* Ensure bit range for size */
        if (enableBit < 0 || enableBit > (enableSize * 8) - 1)
            return -EINVAL;

        PagefaultDisable();
        int ret = on
            ? SetBitUserInatomic(enableAddr, enableSize, enableBit)
            : ClearBitUserInatomic(enableAddr, enableSize, enableBit);
        PagefaultEnable();
        return ret;
    }
}";
}
