using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA3003DoubleFetch;

public class NoFix
{
    private static Task VerifyNoFix(string source, params DeclineReason[] reasons) =>
        FixHarness.VerifyNoFixAsync<UA3003DoubleFetchAnalyzer, UA3003DoubleFetchCodeFix>(FixHarness.Usings + source, reasons);

    /// <summary>The kernel's classic double fetch: the header copied, its size checked, the whole struct copied again (arrays, not a value).</summary>
    [Fact]
    public Task HeaderThenWholeStructCopyGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class Attr
        {
            public static int CopyAttr(UserPtr uattr, byte[] kattr)
            {
                var header = new byte[4];
                if (CopyFromUser(header, uattr) != 0)
                    return -EFAULT;
                if (header[0] > kattr.Length)
                    return -EINVAL;
                if ([|CopyFromUser(kattr, uattr)|] != 0)
                    return -EFAULT;
                return kattr[0];
            }
        }
        """,
        DeclineReason.FetchIntoABuffer);

    [Fact]
    public Task DifferentTypesGetNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class C
        {
            public static int M(UserPtr<uint> ulen, byte[] kbuf)
            {
                if (GetUser(out uint len, ulen) != 0 || len > kbuf.Length)
                    return -EINVAL;
                if ([|GetUser(out int n, ulen.Cast<int>())|] != 0)
                    return -EFAULT;
                return n;
            }
        }
        """,
        DeclineReason.FirstFetchNotReusable);

    /// <summary>The first copy changes after its check: it no longer holds the value that was checked.</summary>
    [Fact]
    public Task FirstCopyWrittenBetweenTheReadsGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class C
        {
            public static int M(UserPtr<uint> ulen, byte[] kbuf)
            {
                if (GetUser(out uint len, ulen) != 0)
                    return -EFAULT;
                if (len > kbuf.Length)
                    return -EINVAL;
                len += 8;
                if ([|GetUser(out uint n, ulen)|] != 0)
                    return -EFAULT;
                return (int)(n + len);
            }
        }
        """,
        DeclineReason.FirstFetchNotReusable);

    /// <summary>A lambda that writes the first copy may run between the reads.</summary>
    [Fact]
    public Task FirstCopyWrittenInALambdaGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class C
        {
            public static int M(UserPtr<uint> ulen, byte[] kbuf, Action<Action> later)
            {
                if (GetUser(out uint len, ulen) != 0)
                    return -EFAULT;
                if (len > kbuf.Length)
                    return -EINVAL;
                later(() => len = 0);
                if ([|GetUser(out uint n, ulen)|] != 0)
                    return -EFAULT;
                return (int)n;
            }
        }
        """);

    [Fact]
    public Task SecondCopyWrittenAgainGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class C
        {
            public static int M(UserPtr<uint> ulen, byte[] kbuf)
            {
                if (GetUser(out uint len, ulen) != 0)
                    return -EFAULT;
                if (len > kbuf.Length)
                    return -EINVAL;
                if ([|GetUser(out uint n, ulen)|] != 0)
                    return -EFAULT;
                n &= ~3u;
                return (int)n;
            }
        }
        """);

    /// <summary>The read's result is stored and returned later: it is more than a failure check.</summary>
    [Fact]
    public Task ResultUsedLaterGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class C
        {
            public static int M(UserPtr<int> p, int[] log)
            {
                int ret = GetUser(out int v, p);
                if (ret != 0 || v < 0)
                    return -EINVAL;
                ret = [|GetUser(out v, p)|];
                if (ret == 0)
                    log[0] = v;
                return ret;
            }
        }
        """);

    /// <summary>The second value is checked again in the same condition: the read is part of a larger test.</summary>
    [Fact]
    public Task ReadInALargerConditionGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class C
        {
            public static int M(UserPtr<uint> ulen, byte[] kbuf)
            {
                if (GetUser(out uint len, ulen) != 0 || len > kbuf.Length)
                    return -EINVAL;
                if ([|GetUser(out uint n, ulen)|] != 0 || n > kbuf.Length)
                    return -EINVAL;
                return (int)n;
            }
        }
        """);

    /// <summary>The second local names an anonymous type's member: spelling it as the first would rename the member.</summary>
    [Fact]
    public Task SecondLocalNamingAMemberGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class C
        {
            public static string M(UserPtr<uint> ulen, byte[] kbuf)
            {
                if (GetUser(out uint len, ulen) != 0 || len > kbuf.Length)
                    return "bad";
                if ([|GetUser(out uint n, ulen)|] != 0)
                    return "fault";
                return new { n }.ToString()!;
            }
        }
        """);

    /// <summary>The first copy is declared in a block that ends before the second value is used.</summary>
    [Fact]
    public Task FirstCopyOutOfScopeGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class C
        {
            public static int M(UserPtr<uint> ulen, byte[] kbuf)
            {
                {
                    if (GetUser(out uint len, ulen) != 0)
                        return -EFAULT;
                    if (len > kbuf.Length)
                        return -EINVAL;
                }

                if ([|GetUser(out uint n, ulen)|] != 0)
                    return -EFAULT;
                return (int)n;
            }
        }
        """);

    /// <summary>The pointer lives in a mutable field: a call between the reads could move it, and then they read two locations.</summary>
    [Fact]
    public Task PointerInAMutableFieldGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public sealed class Dev
        {
            private UserPtr<uint> ulen;

            public Dev(UserPtr<uint> ulen) { this.ulen = ulen; }

            public void Rebind(UserPtr<uint> next) { ulen = next; }

            public int M(byte[] kbuf)
            {
                if (GetUser(out uint len, ulen) != 0)
                    return -EFAULT;
                if (len > kbuf.Length)
                    return -EINVAL;
                Notify();
                if ([|GetUser(out uint n, ulen)|] != 0)
                    return -EFAULT;
                return (int)n;
            }

            private void Notify() { }
        }
        """);

    /// <summary>A loop that polls the location until user space clears it: the re-read is the point.</summary>
    [Fact]
    public Task PollingLoopAfterTheCheckGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class C
        {
            public static int M(UserPtr<int> ustate)
            {
                if (GetUser(out int state, ustate) != 0)
                    return -EFAULT;
                if (state < 0)
                    return -EINVAL;
                while (true)
                {
                    if ([|GetUser(out int now, ustate)|] != 0)
                        return -EFAULT;
                    if (now == 0)
                        return 0;
                    CondResched();
                }
            }
        }
        """);

    /// <summary>
    /// A label between the reads and the last use: the goto before the first read reaches
    /// <c>return n</c> without either read, where the first copy would not even be assigned.
    /// </summary>
    [Fact]
    public Task LabelBetweenTheReadsGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class C
        {
            public static int M(UserPtr<uint> ulen, byte[] kbuf, bool cached)
            {
                uint n = 0;
                if (cached)
                    goto done;
                if (GetUser(out uint len, ulen) != 0)
                    return -EFAULT;
                if (len == 0 || len > kbuf.Length)
                    return -EINVAL;
                if ([|GetUser(out n, ulen)|] != 0)
                    return -EFAULT;
                kbuf[n - 1] = 0;
            done:
                return (int)n;
            }
        }
        """);

    /// <summary>The pointer moves to the next record after both reads: a variable written in the method is not a stable location for the fix.</summary>
    [Fact]
    public Task PointerMovedAfterBothReadsGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Walk
        {
            public static int M(UserPtr p, int records, byte[] kbuf)
            {
                for (int i = 0; i < records; i++)
                {
                    if (GetUser(out uint len, p.Cast<uint>()) != 0)
                        return -EFAULT;
                    if (len > kbuf.Length)
                        return -EINVAL;
                    if ([|GetUser(out uint again, p.Cast<uint>())|] != 0)
                        return -EFAULT;
                    if (CopyFromUser(kbuf.AsSpan(0, (int)again), p + 4) != 0)
                        return -EFAULT;
                    p += 4 + again;
                }

                return 0;
            }
        }
        """,
        DeclineReason.FirstFetchNotReusable);

    /// <summary>
    /// The aacraid shape with the header written in place between the copies (a size field clamped in
    /// the buffer): what the buffer holds is no longer what was fetched, so there is nothing to save.
    /// A buffer allocated anew there is fixed (the header saved right after the first copy).
    /// </summary>
    [Fact]
    public Task BufferWrittenInPlaceBetweenTheCopiesGetsNoFix() => VerifyNoFix(
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
                uint size = (uint)(BitConverter.ToUInt16(kfib, 8) + 32);
                if (size > 2048)
                    return -EINVAL;
                if (size > maxFibSize)
                    kfib[8] = 0;
                if ([|CopyFromUser(kfib.AsSpan(0, (int)size), arg)|] != 0)
                    return -EFAULT;
                return BitConverter.ToUInt16(kfib, 8);
            }
        }
        """,
        DeclineReason.FirstCopyChanged);

    /// <summary>
    /// drivers/platform/chrome/cros_ec_dev.c, ec_device_ioctl_xcmd() before 096cdc6f52225, without its
    /// <c>outsize &gt; EC_MAX_MSG_BYTES</c> check: <c>HDR + outsize</c> is a <c>u32</c> sum that wraps
    /// around to a few bytes for an outsize near 4 GiB, so the second copy is not shown to hold the header.
    /// </summary>
    [Fact]
    public Task SecondCopyLengthThatCouldWrapGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Xcmd
        {
            public static long Ioctl(UserPtr arg, byte[] sCmd)
            {
                const int HDR = 20;
                var uCmd = new byte[HDR];
                if (CopyFromUser(uCmd, arg) != 0)
                    return -EFAULT;
                uint outsize = BitConverter.ToUInt32(uCmd, 8);
                if ([|CopyFromUser(sCmd.AsSpan(0, (int)(HDR + outsize)), arg)|] != 0)
                    return -EFAULT;
                return BitConverter.ToUInt32(sCmd, 8);
            }
        }
        """,
        DeclineReason.SecondCopyShorter);

    /// <summary>
    /// btf_parse_hdr() before 4a6998aff82a: the copy's length is <c>min(hdr_len, sizeof(*hdr))</c>, which the
    /// user sets long enough to copy <c>hdr_len</c> again, but a shorter one would leave it out: writing the
    /// checked value into the copy could write past what was copied. The kernel's fix parses the header from
    /// one copy of the whole blob.
    /// </summary>
    [Fact]
    public Task CopySizedByTheFirstValueGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Btf
        {
            public static int ParseHdr(UserPtr btfData, uint btfDataSize)
            {
                uint hdrLen, hdrCopy;
                if (GetUser(out hdrLen, (btfData + 4).Cast<uint>()) != 0)
                    return -EFAULT;
                if (btfDataSize < hdrLen)
                    return -EINVAL;
                hdrCopy = Math.Min(hdrLen, 24u);
                var hdr = new byte[24];
                if ([|CopyFromUser(hdr.AsSpan(0, (int)hdrCopy), btfData)|] != 0)
                    return -EFAULT;
                if (btfDataSize == BitConverter.ToUInt32(hdr, 4))
                    return -EINVAL;
                return 0;
            }
        }
        """,
        DeclineReason.SecondCopyShorter);

    /// <summary>A field fetched alone, then a copy from the same address of a length not shown to reach past the field: writing the field into it could write past what was copied.</summary>
    [Fact]
    public Task FieldPastWhatTheCopyIsShownToHoldGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Dedupe
        {
            public static int Ioctl(UserPtr argp, byte[] same, int extra)
            {
                if (GetUser(out ushort count, argp.Cast<ushort>()) != 0)
                    return -EFAULT;
                if (count > 8)
                    return -EINVAL;
                if ([|CopyFromUser(same.AsSpan(0, extra), argp)|] != 0)
                    return -EFAULT;
                return BitConverter.ToUInt16(same, 0);
            }
        }
        """,
        DeclineReason.SecondCopyShorter);

    /// <summary>The first copy is handed to a helper between the reads: it may have changed what the re-check would compare.</summary>
    [Fact]
    public Task FirstCopyHandedToAHelperGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Desc
        {
            public static int Add(UserPtr argp, byte[] config)
            {
                var dd = new byte[8];
                if (CopyFromUser(dd, argp) != 0)
                    return -EFAULT;
                if (dd[1] > 4)
                    return -EINVAL;
                Normalize(dd);
                if ([|CopyFromUser(config.AsSpan(0, 8 + dd[2]), argp)|] != 0)
                    return -EFAULT;
                return config[1];
            }

            private static void Normalize(byte[] dd) => dd[0] = 0;
        }
        """,
        DeclineReason.FirstCopyChanged);

    /// <summary>
    /// The first copy is handed to a helper that only reads it, which hands it on to a runtime method
    /// that writes it (<c>Array.Reverse</c>): the engine sees the write through both calls.
    /// </summary>
    [Fact]
    public Task FirstCopyWrittenTwoCallsDownGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Desc
        {
            public static int Add(UserPtr argp, byte[] config)
            {
                var dd = new byte[8];
                if (CopyFromUser(dd, argp) != 0)
                    return -EFAULT;
                if (Size(dd) > 64)
                    return -EINVAL;
                if ([|CopyFromUser(config.AsSpan(0, 8 + dd[2]), argp)|] != 0)
                    return -EFAULT;
                return config[1];
            }

            private static int Size(byte[] dd) => dd[2] + Order(dd);

            private static int Order(byte[] dd)
            {
                Array.Reverse(dd);
                return dd[0];
            }
        }
        """,
        DeclineReason.FirstCopyChanged);

    /// <summary>The second copy's length is a signed value the code never bounds below: it may be shorter than the header.</summary>
    [Fact]
    public Task SecondCopyOfUnknownLengthGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Cmd
        {
            public static int Run(UserPtr arg, byte[] full, int extra)
            {
                var hdr = new byte[16];
                if (CopyFromUser(hdr, arg) != 0)
                    return -EFAULT;
                if (BitConverter.ToUInt32(hdr, 8) > 64)
                    return -EINVAL;
                if ([|CopyFromUser(full.AsSpan(0, extra), arg)|] != 0)
                    return -EFAULT;
                return BitConverter.ToInt32(full, 8);
            }
        }
        """,
        DeclineReason.SecondCopyShorter);

    /// <summary>A bare <c>goto</c> failure path in a function with more than one returned value: no local to store <c>-EINVAL</c> in.</summary>
    [Fact]
    public Task BareGotoWithoutOneReturnedLocalGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Cmd
        {
            public static int Run(UserPtr arg, byte[] full)
            {
                var hdr = new byte[16];
                if (CopyFromUser(hdr, arg) != 0)
                    return -EFAULT;
                uint n = BitConverter.ToUInt32(hdr, 8);
                if (n > 64)
                    return -EINVAL;
                if ([|CopyFromUser(full.AsSpan(0, (int)(16 + n)), arg)|] != 0)
                    goto fail;
                return BitConverter.ToInt32(full, 8);
            fail:
                return -EFAULT;
            }
        }
        """,
        DeclineReason.NoErrorPathToCopy);

    /// <summary>
    /// aacraid's ioctl_send_fib() (fa00c437eef8) with its header read through a view of the first copy
    /// that is then written (<c>hdr[8] = 0</c>): the bytes the re-check would compare are no longer the
    /// ones read. The same view only read is fixed (CodeFix.HeaderReadThroughAViewOfTheFirstCopyIsCompared).
    /// </summary>
    [Fact]
    public Task FirstCopyWrittenThroughAViewGetsNoFix() => VerifyNoFix(
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
                hdr[8] = 0;
                if ([|CopyFromUser(kfib.AsSpan(0, (int)size), arg)|] != 0)
                    return -EFAULT;
                return BitConverter.ToUInt16(kfib, 8);
            }
        }
        """,
        DeclineReason.FirstCopyChanged);

    /// <summary>
    /// aacraid's ioctl_send_fib() (fa00c437eef8) with the first copy handed to a callback that may write
    /// it before the second copy: the bytes the re-check would compare may no longer be the ones read.
    /// </summary>
    [Fact]
    public Task FirstCopyNamedByALambdaGetsNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Fib
        {
            public static int Send(UserPtr arg, int maxFibSize, Action<Action> later)
            {
                var kfib = new byte[maxFibSize];
                if (CopyFromUser(kfib.AsSpan(0, 32), arg) != 0)
                    return -EFAULT;
                uint size = (uint)(BitConverter.ToUInt16(kfib, 8) + 32);
                if (size > 2048 || size > maxFibSize)
                    return -EINVAL;
                later(() => kfib[8] = 0);
                if ([|CopyFromUser(kfib.AsSpan(0, (int)size), arg)|] != 0)
                    return -EFAULT;
                return BitConverter.ToUInt16(kfib, 8);
            }
        }
        """,
        DeclineReason.FirstCopyChanged);

    /// <summary>Two loops walk one buffer, the first checking each chunk and the second logging it: reading once is one walk, which the fix does not write.</summary>
    [Fact]
    public Task TwoWalksOfOneBufferGetNoFix() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Audit
        {
            static bool ContainsControl(byte[] buf, int len) => false;
            static void Log(byte[] buf, int len) { }

            public static int LogArg(UserPtr p, int len, byte[] buf)
            {
                UserPtr tmp = p;
                bool hasCntl = false;
                for (int left = len; left > 0; left -= 64)
                {
                    if (CopyFromUser(buf.AsSpan(0, 64), tmp) != 0)
                        return -EFAULT;
                    hasCntl = ContainsControl(buf, 64);
                    if (hasCntl)
                        break;
                    tmp += 64;
                }

                for (int left = len; left > 0; left -= 64)
                {
                    if ([|CopyFromUser(buf.AsSpan(0, 64), p)|] != 0)
                        return -EFAULT;
                    Log(buf, 64);
                    p += 64;
                }

                return hasCntl ? 1 : 0;
            }
        }
        """,
        DeclineReason.BufferWalkedTwice);

    /// <summary>The same for values read one at a time: the first walk's value of each element is gone when the second reads it.</summary>
    [Fact]
    public Task TwoWalksOfOneArrayOfLengthsGetNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class Vec
        {
            public static int Sum(UserPtr<uint> lens, int n, byte[] kbuf)
            {
                UserPtr<uint> q = lens;
                for (int i = 0; i < n; i++)
                {
                    if (GetUser(out uint len, q) != 0)
                        return -EFAULT;
                    if (len > 64)
                        return -EINVAL;
                    q += 4;
                }

                int total = 0;
                for (int i = 0; i < n; i++)
                {
                    if ([|GetUser(out uint len, lens)|] != 0)
                        return -EFAULT;
                    total += (int)len;
                    lens += 4;
                }

                return total;
            }
        }
        """,
        DeclineReason.BufferWalkedTwice);

    /// <summary>The second read is in the handler the checked pointer is handed to: the kernel's fix changes the handler's signature.</summary>
    [Fact]
    public Task RefetchInTheHandlerGetsNoFix() => VerifyNoFix(
        """
        namespace Sim;

        public static class Ioctl
        {
            public static int Set(UserPtr uarg, byte[] table)
            {
                if (GetUser(out uint count, uarg.Cast<uint>()) != 0)
                    return -EFAULT;
                if (count > table.Length)
                    return -EINVAL;
                return [|Fill(uarg, table)|];
            }

            private static int Fill(UserPtr uarg, byte[] table)
            {
                if (GetUser(out uint n, uarg.Cast<uint>()) != 0)
                    return -EFAULT;
                return CopyFromUser(new System.Span<byte>(table, 0, (int)n), uarg + 4) != 0 ? -EFAULT : 0;
            }
        }
        """,
        DeclineReason.RefetchedByCallee);
}
