using System.Threading.Tasks;
using Xunit;
using static UserAccess.Analyzers.Tests.Seeds.TestSources;
using VerifyCS = UserAccess.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<UserAccess.Analyzers.UA4005NoForwardProgressAnalyzer>;

namespace UserAccess.Analyzers.Tests.UA4005NoForwardProgress;

/// <summary>UA4005 near misses: the sub-page fault-in, the fault-in from where the copy stopped, a bounded retry.</summary>
public class Valid
{
    /// <summary>search_ioctl() with the fix: <c>fault_in_subpage_writeable()</c> ("Fault in copy_to_sk(), attempt to make progress").</summary>
    [Fact]
    public Task SearchIoctlAfterTheFix()
        => VerifyCS.VerifyAnalyzerAsync(Usings + Diagnostics.CopyToSk + @"
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
            // Fault in at sub-page granularity, or the loop may live-lock.
            if (FaultInSubpageWriteable(ubuf + skOffset, bufSize - skOffset) != 0)
                break;
            ret = Tree.CopyToSk(items, ref slot, bufSize, ubuf, ref skOffset);
            if (ret != 0)
                break;
        }
        if (ret > 0)
            ret = 0;
        return ret;
    }
}");

    /// <summary>
    /// mm/filemap.c generic_perform_write(): the atomic copy returns what it copied, the iterator
    /// advances by it, and the fault-in starts where the copy stopped.
    /// </summary>
    [Fact]
    public Task GenericPerformWriteFaultsInFromWhereTheCopyStopped()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Filemap
{
    static long GenericPerformWrite(byte[] kbuf, UserPtr buf, long count)
    {
        UserPtr from = buf;
        long remaining = count;
        long written = 0;
        long status = 0;
        while (remaining != 0)
        {
            int bytes = (int)Math.Min(kbuf.Length, remaining);
            if (FatalSignalPending())
            {
                status = -EINTR;
                break;
            }
            PagefaultDisable();
            int copied = bytes - CopyFromUser(kbuf.AsSpan(0, bytes), from);
            PagefaultEnable();
            CondResched();
            if (copied == 0)
            {
                if (FaultInReadable(from, bytes) == bytes)
                {
                    status = -EFAULT;
                    break;
                }
                continue;
            }
            written += copied;
            from += copied;
            remaining -= copied;
        }
        return written != 0 ? written : status;
    }
}");

    /// <summary>A retry loop bounded by a counter terminates whatever the probe sees.</summary>
    [Fact]
    public Task BoundedByARetryCounter()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Read(byte[] kbuf, UserPtr ubuf)
    {
        int ret = -EFAULT;
        for (int tries = 0; tries < 3; tries++)
        {
            ret = CopyFromUserNofault(kbuf, ubuf);
            if (ret != -EFAULT)
                break;
            if (FaultInReadable(ubuf, kbuf.Length) != 0)
                return -EFAULT;
        }
        return ret;
    }
}");

    /// <summary>A fault-in with no nofault access on its cycle (a prefault before a faulting copy) is another rule's question.</summary>
    [Fact]
    public Task NoNofaultAccessOnTheCycle()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int Read(byte[] kbuf, UserPtr ubuf)
    {
        if (FaultInReadable(ubuf, kbuf.Length) != 0)
            return -EFAULT;
        return CopyFromUser(kbuf, ubuf) != 0 ? -EFAULT : 0;
    }
}");

    /// <summary>One value of a few bytes lies in one granule, and the probe touches its first byte (the canonical loop of the runtime docs).</summary>
    [Fact]
    public Task OneSmallValueFaultedInAtItsAddress()
        => VerifyCS.VerifyAnalyzerAsync(Usings + @"
class Driver
{
    static int ReadCounter(UserPtr<uint> uaddr, out uint value)
    {
        int ret;
        while (true)
        {
            PagefaultDisable();
            ret = GetUser(out value, uaddr);
            PagefaultEnable();
            if (ret != -EFAULT)
                break;
            if (FatalSignalPending())
                return -EINTR;
            if (FaultInReadable(uaddr, sizeof(uint)) != 0)
                return -EFAULT;
        }
        return ret;
    }
}");
}
