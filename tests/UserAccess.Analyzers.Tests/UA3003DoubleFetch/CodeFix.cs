using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA3003DoubleFetch;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA3003DoubleFetchAnalyzer, UA3003DoubleFetchCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    /// <summary>
    /// A translated ioctl double fetch: <c>struct name_req { u32 flags; u32 len; u8 name[]; }</c>,
    /// <c>get_user(len, &amp;ureq-&gt;len)</c> checked against the buffer, then read again for the copy.
    /// The comments above the removed read and on its line go with it.
    /// </summary>
    [Fact]
    public Task IoctlLengthCheckedThenReadAgainIsReadOnce() => Verify(
        """
        using System;

        namespace Sim;

        public static class NameIoctl
        {
            const uint MaxName = 64;

            public static int SetName(UserPtr ureq, byte[] kname)
            {
                // ureq->len is at offset 4, the name at offset 8
                if (GetUser(out uint len, (ureq + 4).Cast<uint>()) != 0)
                    return -EFAULT;
                if (len > MaxName || len > kname.Length)
                    return -EINVAL;

                // fetch the length again for the copy
                if ([|GetUser(out uint n, (ureq + 4).Cast<uint>())|] != 0) // user space may have changed it
                    return -EFAULT;
                return CopyFromUser(kname.AsSpan(0, (int)n), ureq + 8) != 0 ? -EFAULT : (int)n;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class NameIoctl
        {
            const uint MaxName = 64;

            public static int SetName(UserPtr ureq, byte[] kname)
            {
                // ureq->len is at offset 4, the name at offset 8
                if (GetUser(out uint len, (ureq + 4).Cast<uint>()) != 0)
                    return -EFAULT;
                if (len > MaxName || len > kname.Length)
                    return -EINVAL;

                return CopyFromUser(kname.AsSpan(0, (int)len), ureq + 8) != 0 ? -EFAULT : (int)len;
            }
        }
        """);

    /// <summary><c>out var</c> in a braced failure check testing <c>&lt; 0</c>; the uses are in a nested block.</summary>
    [Fact]
    public Task OutVarInABracedCheck() => Verify(
        """
        namespace Sim;

        public static class Msg
        {
            public static int Handle(UserPtr hdr, byte[] kbuf)
            {
                if (GetUser(out ulong size, (hdr + 8).Cast<ulong>()) != 0)
                {
                    return -EFAULT;
                }

                if (size == 0 || size > (ulong)kbuf.Length)
                {
                    return -EINVAL;
                }

                if ([|GetUser(out var n, (hdr + 8).Cast<ulong>())|] < 0)
                {
                    return -EFAULT;
                }

                if (n > 8)
                {
                    kbuf[0] = (byte)n;
                }

                return (int)n;
            }
        }
        """,
        """
        namespace Sim;

        public static class Msg
        {
            public static int Handle(UserPtr hdr, byte[] kbuf)
            {
                if (GetUser(out ulong size, (hdr + 8).Cast<ulong>()) != 0)
                {
                    return -EFAULT;
                }

                if (size == 0 || size > (ulong)kbuf.Length)
                {
                    return -EINVAL;
                }

                if (size > 8)
                {
                    kbuf[0] = (byte)size;
                }

                return (int)size;
            }
        }
        """);

    /// <summary>
    /// <c>int ret = GetUser(...); if (ret != 0) return ret;</c> with <c>ret</c> used nowhere else:
    /// both statements go, with the comment between them (about the read); the one above stays.
    /// </summary>
    [Fact]
    public Task ResultLocalAndItsCheckGoTogether() => Verify(
        """
        namespace Sim;

        public static class Flags
        {
            public static int Apply(UserPtr<uint> uflags, uint[] table)
            {
                int err = GetUser(out uint flags, uflags);
                if (err != 0)
                    return err;
                if (flags >= table.Length)
                    return -EINVAL;

                /* look the flags up */
                int ret = [|GetUser(out uint again, uflags)|];
                // the read failed
                if (ret != 0)
                    return ret;
                return (int)table[again];
            }
        }
        """,
        """
        namespace Sim;

        public static class Flags
        {
            public static int Apply(UserPtr<uint> uflags, uint[] table)
            {
                int err = GetUser(out uint flags, uflags);
                if (err != 0)
                    return err;
                if (flags >= table.Length)
                    return -EINVAL;

                return (int)table[flags];
            }
        }
        """);

    /// <summary>A second local declared on its own (here with a constant initializer) is removed with the read.</summary>
    [Fact]
    public Task SeparatelyDeclaredSecondLocalIsRemoved() => Verify(
        """
        namespace Sim;

        public static class Count
        {
            public static int Read(UserPtr<int> ucount, int[] slots)
            {
                int count;
                int again = 0;

                if (GetUser(out count, ucount) != 0)
                    return -EFAULT;
                if (count < 0 || count > slots.Length)
                    return -EINVAL;
                if ([|GetUser(out again, ucount)|] != 0)
                    return -EFAULT;
                for (int i = 0; i < again; i++)
                    slots[i] = again - i;
                return again;
            }
        }
        """,
        """
        namespace Sim;

        public static class Count
        {
            public static int Read(UserPtr<int> ucount, int[] slots)
            {
                int count;

                if (GetUser(out count, ucount) != 0)
                    return -EFAULT;
                if (count < 0 || count > slots.Length)
                    return -EINVAL;
                for (int i = 0; i < count; i++)
                    slots[i] = count - i;
                return count;
            }
        }
        """);

    /// <summary>A declarator of a declaration with others: only it goes.</summary>
    [Fact]
    public Task SecondLocalDeclaredWithOthersLosesOnlyItsDeclarator() => Verify(
        """
        namespace Sim;

        public static class Count
        {
            public static int Read(UserPtr<int> ucount, int[] slots)
            {
                int count, again, total = 0;
                if (GetUser(out count, ucount) != 0 || count > slots.Length)
                    return -EINVAL;
                if ([|GetUser(out again, ucount)|] != 0)
                    return -EFAULT;
                for (int i = 0; i < again; i++)
                    total += slots[i];
                return total;
            }
        }
        """,
        """
        namespace Sim;

        public static class Count
        {
            public static int Read(UserPtr<int> ucount, int[] slots)
            {
                int count, total = 0;
                if (GetUser(out count, ucount) != 0 || count > slots.Length)
                    return -EINVAL;
                for (int i = 0; i < count; i++)
                    total += slots[i];
                return total;
            }
        }
        """);

    /// <summary>A bare read statement (its result ignored) is removed; the checked copy is used.</summary>
    [Fact]
    public Task BareReadStatementIsRemoved() => Verify(
        """
        namespace Sim;

        public static class Mode
        {
            public static int Set(UserPtr<int> umode, int[] modes)
            {
                if (GetUser(out int mode, umode) != 0)
                    return -EFAULT;
                if (mode < 0 || mode >= modes.Length)
                    return -EINVAL;
                [|GetUserUnchecked(out int m, umode)|];
                return modes[m];
            }
        }
        """,
        """
        namespace Sim;

        public static class Mode
        {
            public static int Set(UserPtr<int> umode, int[] modes)
            {
                if (GetUser(out int mode, umode) != 0)
                    return -EFAULT;
                if (mode < 0 || mode >= modes.Length)
                    return -EINVAL;
                return modes[mode];
            }
        }
        """);

    /// <summary>The same local read twice: the second read and its check go, the checked value stays in the local.</summary>
    [Fact]
    public Task SameLocalReadAgainLosesTheSecondRead() => Verify(
        """
        namespace Sim;

        public static class Index
        {
            public static int Get(UserPtr<int> uidx, int[] values)
            {
                if (GetUser(out int idx, uidx) != 0)
                    return -EFAULT;
                if (idx < 0 || idx >= values.Length)
                    return -EINVAL;

                if ([|GetUser(out idx, uidx)|] != 0)
                    return -EFAULT;

                return values[idx];
            }
        }
        """,
        """
        namespace Sim;

        public static class Index
        {
            public static int Get(UserPtr<int> uidx, int[] values)
            {
                if (GetUser(out int idx, uidx) != 0)
                    return -EFAULT;
                if (idx < 0 || idx >= values.Length)
                    return -EINVAL;

                return values[idx];
            }
        }
        """);

    /// <summary>
    /// Both reads in each round of a loop, the second last in the body: the loop test reads the
    /// checked copy; the comment above the removed read moves above the closing brace.
    /// </summary>
    [Fact]
    public Task SecondReadLastInTheLoopBody() => Verify(
        """
        namespace Sim;

        public static class Records
        {
            public static int Sum(UserPtr<int> unext)
            {
                int total = 0, next;
                do
                {
                    if (GetUser(out next, unext) != 0)
                        return -EFAULT;
                    if (next < 0 || next > 16)
                        return -EINVAL;
                    total += next;
                    // the loop test needs the value
                    if ([|GetUser(out next, unext)|] != 0)
                        return -EFAULT;
                }
                while (next != 0);
                return total;
            }
        }
        """,
        """
        namespace Sim;

        public static class Records
        {
            public static int Sum(UserPtr<int> unext)
            {
                int total = 0, next;
                do
                {
                    if (GetUser(out next, unext) != 0)
                        return -EFAULT;
                    if (next < 0 || next > 16)
                        return -EINVAL;
                    total += next;
                }
                while (next != 0);
                return total;
            }
        }
        """);

    /// <summary>Two locations read twice in one method: Fix All removes both second reads.</summary>
    [Fact]
    public Task FixAllTwoDoubleFetchesInOneMethod() => Verify(
        """
        namespace Sim;

        public static class Rect
        {
            public static int Area(UserPtr<int> uw, UserPtr<int> uh)
            {
                if (GetUser(out int w, uw) != 0 || GetUser(out int h, uh) != 0)
                    return -EFAULT;
                if (w <= 0 || h <= 0 || w > 4096 || h > 4096)
                    return -EINVAL;
                if ([|GetUser(out int width, uw)|] != 0)
                    return -EFAULT;
                if ([|GetUser(out int height, uh)|] != 0)
                    return -EFAULT;
                return width * height;
            }
        }
        """,
        """
        namespace Sim;

        public static class Rect
        {
            public static int Area(UserPtr<int> uw, UserPtr<int> uh)
            {
                if (GetUser(out int w, uw) != 0 || GetUser(out int h, uh) != 0)
                    return -EFAULT;
                if (w <= 0 || h <= 0 || w > 4096 || h > 4096)
                    return -EINVAL;
                return w * h;
            }
        }
        """);

    /// <summary>Double fetches in two methods of a file: Fix All fixes both.</summary>
    [Fact]
    public Task FixAllTwoMethods() => Verify(
        """
        namespace Sim;

        public static class Sizes
        {
            public static int First(UserPtr<uint> usize, byte[] kbuf)
            {
                if (GetUser(out uint size, usize) != 0)
                    return -EFAULT;
                if (size > kbuf.Length)
                    return -EINVAL;
                if ([|GetUser(out uint again, usize)|] != 0)
                    return -EFAULT;
                return (int)again;
            }

            public static int Second(UserPtr<uint> usize, byte[] kbuf)
            {
                if (GetUser(out uint size, usize) != 0)
                    return -EFAULT;
                if (size > kbuf.Length)
                    return -EINVAL;
                int ret = [|GetUser(out uint again, usize)|];
                if (ret != 0)
                    return ret;
                kbuf[again - 1] = 0;
                return 0;
            }
        }
        """,
        """
        namespace Sim;

        public static class Sizes
        {
            public static int First(UserPtr<uint> usize, byte[] kbuf)
            {
                if (GetUser(out uint size, usize) != 0)
                    return -EFAULT;
                if (size > kbuf.Length)
                    return -EINVAL;
                return (int)size;
            }

            public static int Second(UserPtr<uint> usize, byte[] kbuf)
            {
                if (GetUser(out uint size, usize) != 0)
                    return -EFAULT;
                if (size > kbuf.Length)
                    return -EINVAL;
                kbuf[size - 1] = 0;
                return 0;
            }
        }
        """);

    /// <summary>
    /// drivers/platform/chrome/cros_ec_dev.c, ec_device_ioctl_xcmd() before 096cdc6f52225 (CVE-2016-6156):
    /// the header's sizes are checked in the first copy and the command is copied again with them. The fix
    /// is the kernel's: the second copy's header must equal the checked one, else <c>-EINVAL</c> on the
    /// second copy's own error path.
    /// </summary>
    [Fact]
    public Task HeaderCopiedAgainIsComparedWithTheCheckedOne() => Verify(
        """
        using System;

        namespace Sim;

        public static class Xcmd
        {
            public static long Ioctl(UserPtr arg)
            {
                const int HDR = 20;
                long ret;
                var uCmd = new byte[HDR];
                byte[] sCmd;

                if (CopyFromUser(uCmd, arg) != 0)
                    return -EFAULT;

                uint outsize = BitConverter.ToUInt32(uCmd, 8);
                if (outsize > 0xfc)
                    return -EINVAL;

                sCmd = new byte[HDR + outsize];

                if ([|CopyFromUser(sCmd.AsSpan(0, (int)(HDR + outsize)), arg)|] != 0)
                {
                    ret = -EFAULT;
                    goto exit;
                }

                ret = BitConverter.ToUInt32(sCmd, 8);
            exit:
                return ret;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Xcmd
        {
            public static long Ioctl(UserPtr arg)
            {
                const int HDR = 20;
                long ret;
                var uCmd = new byte[HDR];
                byte[] sCmd;

                if (CopyFromUser(uCmd, arg) != 0)
                    return -EFAULT;

                uint outsize = BitConverter.ToUInt32(uCmd, 8);
                if (outsize > 0xfc)
                    return -EINVAL;

                sCmd = new byte[HDR + outsize];

                if (CopyFromUser(sCmd.AsSpan(0, (int)(HDR + outsize)), arg) != 0)
                {
                    ret = -EFAULT;
                    goto exit;
                }

                if (!uCmd.AsSpan().SequenceEqual(sCmd.AsSpan(0, uCmd.Length)))
                {
                    ret = -EINVAL;
                    goto exit;
                }

                ret = BitConverter.ToUInt32(sCmd, 8);
            exit:
                return ret;
            }
        }
        """);

    /// <summary>
    /// drivers/scsi/3w-xxxx.c, tw_chrdev_ioctl() (Wenwen Wang's 2018 report): the length is copied and
    /// checked, the whole ioctl copied again; the failure path is a bare <c>goto</c> with <c>-EFAULT</c>
    /// preset in the local the function returns, so the re-check stores <c>-EINVAL</c> there first.
    /// A header copied as a span of its first bytes is compared as that span.
    /// </summary>
    [Fact]
    public Task BareGotoFailurePathStoresEinvalInTheReturnedLocal() => Verify(
        """
        using System;

        namespace Sim;

        public static class Tw
        {
            public static int Ioctl(UserPtr argp, byte[] ioctl)
            {
                int retval = -EFAULT;
                var lengthBytes = new byte[8];
                uint dataBufferLength;

                if (CopyFromUser(lengthBytes.AsSpan(0, 4), argp) != 0)
                    goto out_;

                dataBufferLength = BitConverter.ToUInt32(lengthBytes, 0);
                if (dataBufferLength > 256 * 512)
                {
                    retval = -EINVAL;
                    goto out_;
                }

                if ([|CopyFromUser(ioctl.AsSpan(0, (int)(dataBufferLength + 524 - 1)), argp)|] != 0)
                    goto out_;
                retval = BitConverter.ToInt32(ioctl, 0);
            out_:
                return retval;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Tw
        {
            public static int Ioctl(UserPtr argp, byte[] ioctl)
            {
                int retval = -EFAULT;
                var lengthBytes = new byte[8];
                uint dataBufferLength;

                if (CopyFromUser(lengthBytes.AsSpan(0, 4), argp) != 0)
                    goto out_;

                dataBufferLength = BitConverter.ToUInt32(lengthBytes, 0);
                if (dataBufferLength > 256 * 512)
                {
                    retval = -EINVAL;
                    goto out_;
                }

                if (CopyFromUser(ioctl.AsSpan(0, (int)(dataBufferLength + 524 - 1)), argp) != 0)
                    goto out_;
                if (!lengthBytes.AsSpan(0, 4).SequenceEqual(ioctl.AsSpan(0, 4)))
                {
                    retval = -EINVAL;
                    goto out_;
                }
                retval = BitConverter.ToInt32(ioctl, 0);
            out_:
                return retval;
            }
        }
        """);

    /// <summary>fs/fhandle.c, handle_to_path() before 161f873b8913 (CVE-2015-1420), reduced: a failure branch that returns.</summary>
    [Fact]
    public Task ReturnOnFailureBecomesReturnEinval() => Verify(
        """
        using System;

        namespace Sim;

        public static class Fhandle
        {
            public static int HandleToPath(UserPtr ufh)
            {
                var fHandle = new byte[8];
                if (CopyFromUser(fHandle, ufh) != 0)
                    return -EFAULT;

                uint handleBytes = BitConverter.ToUInt32(fHandle, 0);
                if (handleBytes > 128 || handleBytes == 0)
                    return -EINVAL;

                var handle = new byte[8 + handleBytes];
                if ([|CopyFromUser(handle.AsSpan(0, (int)(8 + handleBytes)), ufh)|] != 0)
                    return -EFAULT;

                return BitConverter.ToInt32(handle, 0);
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Fhandle
        {
            public static int HandleToPath(UserPtr ufh)
            {
                var fHandle = new byte[8];
                if (CopyFromUser(fHandle, ufh) != 0)
                    return -EFAULT;

                uint handleBytes = BitConverter.ToUInt32(fHandle, 0);
                if (handleBytes > 128 || handleBytes == 0)
                    return -EINVAL;

                var handle = new byte[8 + handleBytes];
                if (CopyFromUser(handle.AsSpan(0, (int)(8 + handleBytes)), ufh) != 0)
                    return -EFAULT;

                if (!fHandle.AsSpan().SequenceEqual(handle.AsSpan(0, fHandle.Length)))
                    return -EINVAL;

                return BitConverter.ToInt32(handle, 0);
            }
        }
        """);

    /// <summary>
    /// drivers/misc/mic/vop/vop_vringh.c, vop_ioctl() MIC_VIRTIO_ADD_DEVICE before 9bf292bfca94
    /// (CVE-2016-5728): the descriptor is handed to helpers that only read it (mic_aligned_desc_size(),
    /// mic_desc_size()), so it still holds what was checked when memdup_user() fetches it again. The fix
    /// is the kernel's "Ensure desc has not changed between the two reads" (a memcmp, <c>-EINVAL</c>);
    /// the copy's length comes from a helper the code does not show is never shorter than the
    /// descriptor, so a shorter copy fails the test too instead of being read past its end.
    /// </summary>
    [Fact]
    public Task DescriptorReadByHelpersIsComparedWithTheMemdupCopy() => Verify(
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Vop
        {
            [MightFault]
            [UserAccess(AccessKind.Read, "src", Size = "len")]
            static byte[]? MemdupUser(UserPtr src, int len)
            {
                var buf = new byte[len];
                return CopyFromUser(buf, src) != 0 ? null : buf;
            }

            static int DescSize(byte[] dd) => 8 + dd[1] * 24 + dd[2] * 2 + dd[3];

            static int AlignedDescSize(byte[] dd) => (DescSize(dd) + 7) & ~7;

            public static int AddDevice(UserPtr argp)
            {
                var dd = new byte[8];
                if (CopyFromUser(dd, argp) != 0)
                    return -EFAULT;
                if (AlignedDescSize(dd) > 256 || dd[1] > 4)
                    return -EINVAL;
                var ddConfig = [|MemdupUser(argp, DescSize(dd))|];
                if (ddConfig == null)
                    return -EFAULT;
                return ddConfig[1];
            }
        }
        """,
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Vop
        {
            [MightFault]
            [UserAccess(AccessKind.Read, "src", Size = "len")]
            static byte[]? MemdupUser(UserPtr src, int len)
            {
                var buf = new byte[len];
                return CopyFromUser(buf, src) != 0 ? null : buf;
            }

            static int DescSize(byte[] dd) => 8 + dd[1] * 24 + dd[2] * 2 + dd[3];

            static int AlignedDescSize(byte[] dd) => (DescSize(dd) + 7) & ~7;

            public static int AddDevice(UserPtr argp)
            {
                var dd = new byte[8];
                if (CopyFromUser(dd, argp) != 0)
                    return -EFAULT;
                if (AlignedDescSize(dd) > 256 || dd[1] > 4)
                    return -EINVAL;
                var ddConfig = MemdupUser(argp, DescSize(dd));
                if (ddConfig == null)
                    return -EFAULT;
                if (ddConfig.Length < dd.Length || !dd.AsSpan().SequenceEqual(ddConfig.AsSpan(0, dd.Length)))
                    return -EINVAL;
                return ddConfig[1];
            }
        }
        """);

    /// <summary>
    /// kernel/events/core.c, perf_copy_attr() before its double-fetch fix: <c>attr-&gt;size</c> is fetched
    /// alone, checked and settled on a constant (0 means VER0, a larger struct is cut to VER5), then the
    /// struct that holds it is copied. The kernel's fix writes the size it settled on over the copy
    /// (<c>attr-&gt;size = size;</c>) right after the copy's failure check, here a status local.
    /// </summary>
    [Fact]
    public Task SizeSettledOnAfterItsChecksIsWrittenOverTheCopy() => Verify(
        """
        using System;

        namespace Sim;

        public static class Perf
        {
            public static int CopyAttr(UserPtr uattr, byte[] attr)
            {
                const int PERF_ATTR_SIZE_VER0 = 64;
                const int PERF_ATTR_SIZE_VER5 = 112;
                uint size;
                int ret;

                Array.Clear(attr);

                ret = GetUser(out size, (uattr + 4).Cast<uint>());
                if (ret != 0)
                    return ret;

                if (size > 4096)
                    return -EINVAL;

                if (size == 0)
                    size = PERF_ATTR_SIZE_VER0;

                if (size < PERF_ATTR_SIZE_VER0)
                    return -EINVAL;

                if (size > PERF_ATTR_SIZE_VER5)
                    size = PERF_ATTR_SIZE_VER5;

                ret = [|CopyFromUser(attr.AsSpan(0, (int)size), uattr)|];
                if (ret != 0)
                    return -EFAULT;

                if ((BitConverter.ToUInt64(attr, 40) >> 28) != 0)
                    return -EINVAL;

                return ret;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Perf
        {
            public static int CopyAttr(UserPtr uattr, byte[] attr)
            {
                const int PERF_ATTR_SIZE_VER0 = 64;
                const int PERF_ATTR_SIZE_VER5 = 112;
                uint size;
                int ret;

                Array.Clear(attr);

                ret = GetUser(out size, (uattr + 4).Cast<uint>());
                if (ret != 0)
                    return ret;

                if (size > 4096)
                    return -EINVAL;

                if (size == 0)
                    size = PERF_ATTR_SIZE_VER0;

                if (size < PERF_ATTR_SIZE_VER0)
                    return -EINVAL;

                if (size > PERF_ATTR_SIZE_VER5)
                    size = PERF_ATTR_SIZE_VER5;

                ret = CopyFromUser(attr.AsSpan(0, (int)size), uattr);
                if (ret != 0)
                    return -EFAULT;

                BitConverter.TryWriteBytes(attr.AsSpan(4, 4), size);

                if ((BitConverter.ToUInt64(attr, 40) >> 28) != 0)
                    return -EINVAL;

                return ret;
            }
        }
        """);

    /// <summary>
    /// fs/ioctl.c, ioctl_file_dedupe_range() before 10eec60ce791 (CVE-2016-6516): the count fetched alone
    /// sizes the copy of the struct that holds it; the kernel's fix writes the count it checked over the
    /// copied field (<c>same-&gt;dest_count = count;</c>) right after the copy.
    /// </summary>
    [Fact]
    public Task FieldFetchedAloneIsWrittenOverTheStructCopy() => Verify(
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Dedupe
        {
            [MightFault]
            [UserAccess(AccessKind.Read, "src", Size = "len")]
            static byte[]? MemdupUser(UserPtr src, int len)
            {
                var buf = new byte[len];
                return CopyFromUser(buf, src) != 0 ? null : buf;
            }

            static int VfsDedupeFileRange(byte[] same) => BitConverter.ToUInt16(same, 16);

            public static long Ioctl(UserPtr argp)
            {
                byte[]? same = null;
                int ret;
                long size;
                ushort count;

                if (GetUser(out count, (argp + 16).Cast<ushort>()) != 0)
                {
                    ret = -EFAULT;
                    goto out_;
                }

                size = 24 + count * 32;

                same = [|MemdupUser(argp, (int)size)|];
                if (same == null)
                {
                    ret = -EFAULT;
                    goto out_;
                }

                ret = VfsDedupeFileRange(same);
            out_:
                return ret;
            }
        }
        """,
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Dedupe
        {
            [MightFault]
            [UserAccess(AccessKind.Read, "src", Size = "len")]
            static byte[]? MemdupUser(UserPtr src, int len)
            {
                var buf = new byte[len];
                return CopyFromUser(buf, src) != 0 ? null : buf;
            }

            static int VfsDedupeFileRange(byte[] same) => BitConverter.ToUInt16(same, 16);

            public static long Ioctl(UserPtr argp)
            {
                byte[]? same = null;
                int ret;
                long size;
                ushort count;

                if (GetUser(out count, (argp + 16).Cast<ushort>()) != 0)
                {
                    ret = -EFAULT;
                    goto out_;
                }

                size = 24 + count * 32;

                same = MemdupUser(argp, (int)size);
                if (same == null)
                {
                    ret = -EFAULT;
                    goto out_;
                }

                BitConverter.TryWriteBytes(same.AsSpan(16, 2), count);

                ret = VfsDedupeFileRange(same);
            out_:
                return ret;
            }
        }
        """);

    /// <summary>The dedupe shape with the struct copied into a buffer of the caller's: the field is written over the copy the same way.</summary>
    [Fact]
    public Task FieldFetchedAloneIsWrittenOverACopyIntoABuffer() => Verify(
        """
        using System;

        namespace Sim;

        public static class Dedupe
        {
            public static int Ioctl(UserPtr argp, byte[] same)
            {
                if (GetUser(out ushort count, (argp + 16).Cast<ushort>()) != 0)
                    return -EFAULT;
                if (24 + count * 32 > same.Length)
                    return -EINVAL;
                if ([|CopyFromUser(same.AsSpan(0, 24 + count * 32), argp)|] != 0)
                    return -EFAULT;
                return same[16];
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Dedupe
        {
            public static int Ioctl(UserPtr argp, byte[] same)
            {
                if (GetUser(out ushort count, (argp + 16).Cast<ushort>()) != 0)
                    return -EFAULT;
                if (24 + count * 32 > same.Length)
                    return -EINVAL;
                if (CopyFromUser(same.AsSpan(0, 24 + count * 32), argp) != 0)
                    return -EFAULT;
                BitConverter.TryWriteBytes(same.AsSpan(16, 2), count);
                return same[16];
            }
        }
        """);

    /// <summary>
    /// drivers/s390/char/sclp_ctl.c, sclp_ctl_ioctl_sccb() before 532c34b5fbf1 (CVE-2016-6130): the SCCB
    /// header is copied, its length checked, and the whole SCCB copied again into the same buffer, over
    /// the header. What was checked is saved just before the second copy and compared after it, failing
    /// with -EINVAL when user space changed it ("Ensure desc has not changed between the two reads").
    /// </summary>
    [Fact]
    public Task HeaderCopiedAgainIntoTheSameBufferIsSavedAndCompared() => Verify(
        """
        using System;

        namespace Sim;

        public static class Sclp
        {
            private const int PAGE_SIZE = 4096;

            public static int IoctlSccb(UserPtr uSccb)
            {
                var sccb = new byte[PAGE_SIZE];
                int rc;

                if (CopyFromUser(sccb.AsSpan(0, 8), uSccb) != 0)
                {
                    rc = -EFAULT;
                    goto out_free;
                }

                if (BitConverter.ToUInt16(sccb, 0) > PAGE_SIZE || BitConverter.ToUInt16(sccb, 0) < 8)
                    return -EINVAL;
                if ([|CopyFromUser(sccb.AsSpan(0, BitConverter.ToUInt16(sccb, 0)), uSccb)|] != 0)
                {
                    rc = -EFAULT;
                    goto out_free;
                }

                rc = BitConverter.ToUInt16(sccb, 0);
            out_free:
                return rc;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Sclp
        {
            private const int PAGE_SIZE = 4096;

            public static int IoctlSccb(UserPtr uSccb)
            {
                var sccb = new byte[PAGE_SIZE];
                int rc;

                if (CopyFromUser(sccb.AsSpan(0, 8), uSccb) != 0)
                {
                    rc = -EFAULT;
                    goto out_free;
                }

                if (BitConverter.ToUInt16(sccb, 0) > PAGE_SIZE || BitConverter.ToUInt16(sccb, 0) < 8)
                    return -EINVAL;
                var sccbHeader = sccb.AsSpan(0, 8).ToArray();
                if (CopyFromUser(sccb.AsSpan(0, BitConverter.ToUInt16(sccb, 0)), uSccb) != 0)
                {
                    rc = -EFAULT;
                    goto out_free;
                }

                if (!sccbHeader.AsSpan().SequenceEqual(sccb.AsSpan(0, sccbHeader.Length)))
                {
                    rc = -EINVAL;
                    goto out_free;
                }

                rc = BitConverter.ToUInt16(sccb, 0);
            out_free:
                return rc;
            }
        }
        """);

    /// <summary>The aacraid shape with one buffer: the header copied into it, the size checked, the FIB copied over it; the header is saved and compared.</summary>
    [Fact]
    public Task SecondCopyIntoTheSameBufferSavesTheHeader() => Verify(
        """
        using System;

        namespace Sim;

        public static class Fib
        {
            public static int Send(UserPtr arg)
            {
                var kfib = new byte[2048];
                if (CopyFromUser(kfib.AsSpan(0, 32), arg) != 0)
                    return -EFAULT;
                uint size = (uint)(BitConverter.ToUInt16(kfib, 8) + 32);
                if (size > 2048)
                    return -EINVAL;
                if ([|CopyFromUser(kfib.AsSpan(0, (int)size), arg)|] != 0)
                    return -EFAULT;
                return BitConverter.ToUInt16(kfib, 8);
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Fib
        {
            public static int Send(UserPtr arg)
            {
                var kfib = new byte[2048];
                if (CopyFromUser(kfib.AsSpan(0, 32), arg) != 0)
                    return -EFAULT;
                uint size = (uint)(BitConverter.ToUInt16(kfib, 8) + 32);
                if (size > 2048)
                    return -EINVAL;
                var kfibHeader = kfib.AsSpan(0, 32).ToArray();
                if (CopyFromUser(kfib.AsSpan(0, (int)size), arg) != 0)
                    return -EFAULT;
                if (!kfibHeader.AsSpan().SequenceEqual(kfib.AsSpan(0, kfibHeader.Length)))
                    return -EINVAL;
                return BitConverter.ToUInt16(kfib, 8);
            }
        }
        """);

    /// <summary>
    /// drivers/scsi/aacraid/commctrl.c, ioctl_send_fib() before fa00c437eef8 (CVE-2016-6480: the header
    /// copied, its sizes checked, then the FIB copied again): the buffer is allocated anew
    /// between the copies when the checked size asks for it, so the header is saved right after the
    /// first copy and compared after the second.
    /// </summary>
    [Fact]
    public Task BufferAllocatedAnewBetweenTheCopiesIsComparedWithTheHeaderSavedAfterTheFirst() => Verify(
        """
        using System;

        namespace Sim;

        public static class Fib
        {
            private const int FIBHDR = 32;

            public static int IoctlSendFib(UserPtr arg, int maxFibSize)
            {
                byte[] kfib;
                uint size;
                int retval = 0;

                kfib = new byte[maxFibSize];

                /* First copy in the header so that we can check the size field. */
                if (CopyFromUser(kfib.AsSpan(0, FIBHDR), arg) != 0)
                    return -EFAULT;

                size = (uint)(BitConverter.ToUInt16(kfib, 8) + FIBHDR);
                if (size < BitConverter.ToUInt16(kfib, 10))
                    size = BitConverter.ToUInt16(kfib, 10);
                if (size > maxFibSize)
                {
                    if (size > 2048)
                    {
                        retval = -EINVAL;
                        goto cleanup;
                    }

                    kfib = new byte[size];
                }

                if ([|CopyFromUser(kfib.AsSpan(0, (int)size), arg)|] != 0)
                {
                    retval = -EFAULT;
                    goto cleanup;
                }

                retval = BitConverter.ToUInt16(kfib, 4);

            cleanup:
                return retval;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Fib
        {
            private const int FIBHDR = 32;

            public static int IoctlSendFib(UserPtr arg, int maxFibSize)
            {
                byte[] kfib;
                uint size;
                int retval = 0;

                kfib = new byte[maxFibSize];

                /* First copy in the header so that we can check the size field. */
                if (CopyFromUser(kfib.AsSpan(0, FIBHDR), arg) != 0)
                    return -EFAULT;

                var kfibHeader = kfib.AsSpan(0, FIBHDR).ToArray();

                size = (uint)(BitConverter.ToUInt16(kfib, 8) + FIBHDR);
                if (size < BitConverter.ToUInt16(kfib, 10))
                    size = BitConverter.ToUInt16(kfib, 10);
                if (size > maxFibSize)
                {
                    if (size > 2048)
                    {
                        retval = -EINVAL;
                        goto cleanup;
                    }

                    kfib = new byte[size];
                }

                if (CopyFromUser(kfib.AsSpan(0, (int)size), arg) != 0)
                {
                    retval = -EFAULT;
                    goto cleanup;
                }

                if (kfib.Length < kfibHeader.Length || !kfibHeader.AsSpan().SequenceEqual(kfib.AsSpan(0, kfibHeader.Length)))
                {
                    retval = -EINVAL;
                    goto cleanup;
                }

                retval = BitConverter.ToUInt16(kfib, 4);

            cleanup:
                return retval;
            }
        }
        """);

    /// <summary>
    /// ethtool_get_rxnfc() v4.18 (before d656fe49e33d): the whole struct is copied again on one branch
    /// only, over the first copy, whose length depends on the command and is set anew before the second.
    /// The first copy's bytes are saved as soon as it is tested, with the length it used, and compared
    /// after the second copy; the kernel's fix re-tested FLOW_RSS, one of the bytes compared here.
    /// </summary>
    [Fact]
    public Task SecondCopyOnOneBranchIsComparedWithTheFirstSavedWithItsOwnLength() => Verify(
        """
        using System;

        namespace Sim;

        public static class Ethtool
        {
            private const int SIZEOF_ETHTOOL_RXNFC = 24;
            private const int OFFSETOF_DATA = 8;
            private const uint ETHTOOL_GRXFH = 0x29;
            private const uint FLOW_RSS = 0x20000000;

            public static int GetRxnfc(uint cmd, UserPtr useraddr)
            {
                var info = new byte[SIZEOF_ETHTOOL_RXNFC];
                int infoSize = SIZEOF_ETHTOOL_RXNFC;

                if (cmd == ETHTOOL_GRXFH)
                    infoSize = OFFSETOF_DATA + sizeof(ulong);

                if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
                    return -EFAULT;

                if (cmd == ETHTOOL_GRXFH && (BitConverter.ToUInt32(info, 4) & FLOW_RSS) != 0)
                {
                    infoSize = SIZEOF_ETHTOOL_RXNFC;
                    if ([|CopyFromUser(info.AsSpan(0, infoSize), useraddr)|] != 0)
                        return -EFAULT;
                }

                return BitConverter.ToInt32(info, 0) + infoSize;
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Ethtool
        {
            private const int SIZEOF_ETHTOOL_RXNFC = 24;
            private const int OFFSETOF_DATA = 8;
            private const uint ETHTOOL_GRXFH = 0x29;
            private const uint FLOW_RSS = 0x20000000;

            public static int GetRxnfc(uint cmd, UserPtr useraddr)
            {
                var info = new byte[SIZEOF_ETHTOOL_RXNFC];
                int infoSize = SIZEOF_ETHTOOL_RXNFC;

                if (cmd == ETHTOOL_GRXFH)
                    infoSize = OFFSETOF_DATA + sizeof(ulong);

                if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
                    return -EFAULT;

                var infoHeader = info.AsSpan(0, infoSize).ToArray();

                if (cmd == ETHTOOL_GRXFH && (BitConverter.ToUInt32(info, 4) & FLOW_RSS) != 0)
                {
                    infoSize = SIZEOF_ETHTOOL_RXNFC;
                    if (CopyFromUser(info.AsSpan(0, infoSize), useraddr) != 0)
                        return -EFAULT;
                    if (!infoHeader.AsSpan().SequenceEqual(info.AsSpan(0, infoHeader.Length)))
                        return -EINVAL;
                }

                return BitConverter.ToInt32(info, 0) + infoSize;
            }
        }
        """);

    /// <summary>
    /// aacraid's ioctl_send_fib() (fa00c437eef8) with the header's size read through a view of the first
    /// copy (<c>hdr.Slice(8, 2)</c>): a view only read leaves the copy as read, so the header is saved
    /// before the second copy and compared after it. Written through the view, it is declined
    /// (NoFix.FirstCopyWrittenThroughAViewGetsNoFix).
    /// </summary>
    [Fact]
    public Task HeaderReadThroughAViewOfTheFirstCopyIsCompared() => Verify(
        """
        using System;

        namespace Sim;

        public static class Fib
        {
            public static int Send(UserPtr arg, int maxFibSize)
            {
                var kfib = new byte[maxFibSize];
                if (CopyFromUser(kfib.AsSpan(0, 32), arg) != 0)
                    return -EFAULT;
                var hdr = kfib.AsSpan(0, 32);
                uint size = (uint)(BitConverter.ToUInt16(hdr.Slice(8, 2)) + 32);
                if (size > 2048 || size > maxFibSize)
                    return -EINVAL;
                if ([|CopyFromUser(kfib.AsSpan(0, (int)size), arg)|] != 0)
                    return -EFAULT;
                return BitConverter.ToUInt16(kfib, 8);
            }
        }
        """,
        """
        using System;

        namespace Sim;

        public static class Fib
        {
            public static int Send(UserPtr arg, int maxFibSize)
            {
                var kfib = new byte[maxFibSize];
                if (CopyFromUser(kfib.AsSpan(0, 32), arg) != 0)
                    return -EFAULT;
                var hdr = kfib.AsSpan(0, 32);
                uint size = (uint)(BitConverter.ToUInt16(hdr.Slice(8, 2)) + 32);
                if (size > 2048 || size > maxFibSize)
                    return -EINVAL;
                var kfibHeader = kfib.AsSpan(0, 32).ToArray();
                if (CopyFromUser(kfib.AsSpan(0, (int)size), arg) != 0)
                    return -EFAULT;
                if (!kfibHeader.AsSpan().SequenceEqual(kfib.AsSpan(0, kfibHeader.Length)))
                    return -EINVAL;
                return BitConverter.ToUInt16(kfib, 8);
            }
        }
        """);
}
