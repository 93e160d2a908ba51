using UserAccess.Runtime;
using Scenarios.Kernel;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Fixed;

/// <summary>fs/btrfs/ioctl.c with the sub-page fault fix (commit 18788e34642e).</summary>
public static class Btrfs
{
    /// <summary>
    /// <c>search_ioctl()</c>: copies the items from <c>sk.Min</c> on, each behind a search header,
    /// into the user buffer <paramref name="ubuf"/> of <paramref name="bufSize"/> bytes; <c>0</c> or
    /// <c>-errno</c>, with <c>sk.NrItems</c> the number of items copied.
    /// </summary>
    /// <remarks>
    /// The whole remaining buffer is faulted in at sub-page granularity before each search, as
    /// <c>fault_in_subpage_writeable()</c>'s comment asks of a loop that "cannot guarantee forward
    /// progress of a copy_to_user() loop": a granule that refuses the copy fails the fault-in too,
    /// and the ioctl returns <c>-EFAULT</c> instead of spinning.
    /// </remarks>
    public static int SearchIoctl(BtrfsRoot root, BtrfsIoctlSearchKey sk, long bufSize, UserPtr ubuf)
    {
        BtrfsKey key = sk.Min;
        long skOffset = 0;
        int numFound = 0;
        int ret;

        while (true)
        {
            ret = -EFAULT;
            // Fault in at sub-page granularity, or the loop may live-lock.
            if (FaultInSubpageWriteable(ubuf + skOffset, bufSize - skOffset) != 0)
            {
                break;
            }

            ret = root.SearchForward(ref key, out int slot);
            if (ret != 0)
            {
                if (ret > 0)
                {
                    ret = 0;
                }

                break;
            }

            ret = BtrfsIoctl.CopyToSk(root, slot, ref key, sk, bufSize, ubuf, ref skOffset, ref numFound);
            if (ret != 0)
            {
                break;
            }
        }

        if (ret > 0)
        {
            ret = 0;
        }

        sk.NrItems = numFound;
        return ret;
    }
}
