using UserAccess.Runtime;
using Scenarios.Kernel;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace Scenarios.Buggy;

/// <summary>fs/btrfs/ioctl.c between the 2021 deadlock fix and the sub-page fault fix.</summary>
public static class Btrfs
{
    /// <summary>
    /// <c>search_ioctl()</c>: copies the items from <c>sk.Min</c> on, each behind a search header,
    /// into the user buffer <paramref name="ubuf"/> of <paramref name="bufSize"/> bytes; <c>0</c> or
    /// <c>-errno</c>, with <c>sk.NrItems</c> the number of items copied.
    /// </summary>
    /// <remarks>
    /// The bug (Catalin Marinas and Linus Torvalds in the gfs2 thread, October 2021):
    /// <c>fault_in_writeable()</c> probes page starts only. With arm64 MTE a granule inside a page can
    /// refuse the copy while the page's first byte is fine: fault-in "succeeds", the nofault copy of
    /// the same item fails again, and the loop spins forever.
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
            if (FaultInWriteable(ubuf + skOffset, bufSize - skOffset) != 0)
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
