using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4005NoForwardProgressAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4005NoForwardProgress;

/// <summary>UA4005. Span: the fault-in. Arguments: the fault-in, its pointer, the access that does not restart where it stopped.</summary>
public class Diagnostics
{
    /// <summary>
    /// fs/btrfs/ioctl.c search_ioctl() before "btrfs: Avoid live-lock in search_ioctl() on hardware
    /// with sub-page faults": <c>fault_in_writeable(ubuf + sk_offset, *buf_size - sk_offset)</c>
    /// before each search, and copy_to_sk() returning 0 when its nofault copy of an item fails.
    /// </summary>
    internal const string CopyToSk = @"
static class Tree
{
    public static int CopyToSk(byte[][] items, ref int slot, long bufSize, UserPtr ubuf, ref long skOffset)
    {
        for (; slot < items.Length; slot++)
        {
            if (items[slot].Length + skOffset > bufSize)
                return 1;
            if (CopyToUserNofault(ubuf + skOffset, items[slot]) != 0)
                return 0;
            skOffset += items[slot].Length;
        }
        return 1;
    }
}
";

    [Fact]
    public Task SearchIoctlBeforeTheFix()
        => VerifyCS.VerifyAnalyzerAsync(Usings + CopyToSk + @"
class Btrfs
{
    static int SearchIoctl(byte[][] items, long bufSize, UserPtr ubuf)
    {
        long skOffset = 0;
        int slot = 0;
        int ret;
        while (true)
        {
            ret = -EFAULT;
            if ({|#0:FaultInWriteable(ubuf + skOffset, bufSize - skOffset)|} != 0)
                break;
            ret = Tree.CopyToSk(items, ref slot, bufSize, ubuf, ref skOffset);
            if (ret != 0)
                break;
        }
        if (ret > 0)
            ret = 0;
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInWriteable", "ubuf + skOffset", "CopyToSk"));

    /// <summary>An all-or-nothing nofault copy retried after a page-granular read fault-in.</summary>
    [Fact]
    public Task AllOrNothingCopyFromUser()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Read(byte[] kbuf, UserPtr ubuf, KernelSpinlock lk)
    {
        int ret;
        while (true)
        {
            lk.Lock();
            ret = CopyFromUserNofault(kbuf, ubuf);
            lk.Unlock();
            if (ret != -EFAULT)
                break;
            if ({|#0:FaultInReadable(ubuf, kbuf.Length)|} != 0)
                return -EFAULT;
        }
        return ret;
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInReadable", "ubuf", "CopyFromUserNofault"));

    /// <summary>A partial copy whose count the fault-in ignores: it probes from the start again.</summary>
    [Fact]
    public Task PartialCopyFaultedInFromItsStart()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Read(byte[] kbuf, UserPtr ubuf)
    {
        while (true)
        {
            PagefaultDisable();
            int left = CopyFromUser(kbuf, ubuf);
            PagefaultEnable();
            if (left == 0)
                return 0;
            if ({|#0:FaultInReadable(ubuf, kbuf.Length)|} == kbuf.Length)
                return -EFAULT;
        }
    }
}",
            VerifyCS.Diagnostic().At(0).WithArguments("FaultInReadable", "ubuf", "CopyFromUser"));
}
