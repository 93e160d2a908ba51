using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using UserAccess.CodeFixes.Support;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4001PrefaultOnHotPath;

public class NoFix
{
    private static Task VerifyNoFix(string source, DeclineReason reason) =>
        FixHarness.VerifyNoFixAsync<UA4001PrefaultOnHotPathAnalyzer, UA4001PrefaultOnHotPathCodeFix>(FixHarness.Usings + source, reason);

    [Fact]
    public Task NoFixForACopyThatReturnsTheBytesNotCopied() => VerifyNoFix(
        """
        namespace Sim;

        public static class Read
        {
            public static int Fetch(UserPtr from, byte[] buf)
            {
                if ([|FaultInReadable(from, buf.Length)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int left = CopyFromUser(buf, from);
                PagefaultEnable();
                return left != 0 ? -EFAULT : 0;
            }
        }
        """,
        DeclineReason.CopyReturnsBytes);

    [Fact]
    public Task NoFixWithAStatementBetweenThePrefaultAndTheRegion() => VerifyNoFix(
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(UserPtr to, byte[] data, int[] counters)
            {
                if ([|FaultInWriteable(to, data.Length)|] != 0)
                    return -EFAULT;
                counters[0]++;
                PagefaultDisable();
                int ret = CopyToUserNofault(to, data);
                PagefaultEnable();
                return ret;
            }
        }
        """,
        DeclineReason.StatementBetween);

    [Fact]
    public Task NoFixWhenThePrefaultResultIsUsedLater() => VerifyNoFix(
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(UserPtr to, byte[] data)
            {
                int left = [|FaultInWriteable(to, data.Length)|];
                if (left != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = CopyToUserNofault(to, data);
                PagefaultEnable();
                return ret != 0 ? ret : left;
            }
        }
        """,
        DeclineReason.ResultUsedLater);

    [Fact]
    public Task NoFixWhenTheRegionIsMoreThanTheAccess() => VerifyNoFix(
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(UserPtr to, byte[] data, int[] counters)
            {
                if ([|FaultInWriteable(to, data.Length)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = CopyToUserNofault(to, data);
                counters[0]++;
                PagefaultEnable();
                return ret;
            }
        }
        """,
        DeclineReason.RegionDoesMore);

    [Fact]
    public Task NoFixWhenALockIsHeldAcrossThePrefault() => VerifyNoFix(
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(KernelMutex glock, UserPtr to, byte[] data, int[] counters)
            {
                glock.Lock();
                if ([|FaultInWriteable(to, data.Length)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = CopyToUserNofault(to, data);
                PagefaultEnable();
                if (ret == 0)
                    counters[0]++;
                glock.Unlock();
                return ret;
            }
        }
        """,
        DeclineReason.LockHeldAcrossFaultIn);

    [Fact]
    public Task NoFixWhenTheFirstErrorReturnWouldFlagAWait() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Futex
        {
            public static int TryLock([RemoteMm] Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                MmapReadLock(mm);
                MmapReadUnlock(mm);
                int ret;
                while (true)
                {
                    ret = [|FaultInUserWriteable(uaddr)|];
                    if (ret != 0)
                        break;
                    PagefaultDisable();
                    ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                }
                return ret == 0 ? 1 : 0;
            }
        }
        """,
        DeclineReason.FirstErrorReturn);

    [Fact]
    public Task NoFixWhenTheAccessesOutVariableIsUsedAfterIt() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Xchg([RequiresAlignment] UserPtr<uint> uaddr, uint newval)
            {
                if ([|FaultInUserWriteable(uaddr)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, newval, out uint old);
                PagefaultEnable();
                return ret != 0 ? ret : (int)old;
            }
        }
        """,
        DeclineReason.AccessNotAStatement);

    [Fact]
    public Task NoFixInsideAnotherLoop() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int WakeAll(UserPtr<uint>[] words)
            {
                foreach (var uaddr in words)
                {
                    if ([|FaultInUserWriteable(uaddr)|] != 0)
                        return -EFAULT;
                    PagefaultDisable();
                    int ret = XchgUserInatomic(uaddr, 0u, out uint old);
                    PagefaultEnable();
                    if (ret != 0)
                        return ret;
                }
                return 0;
            }
        }
        """,
        DeclineReason.InsideAnotherLoop);

    [Fact]
    public Task NoFixForARetryLoopThatDoesMore() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Futex
        {
            public static int Lock([RequiresAlignment] UserPtr<uint> uaddr)
            {
                int ret;
                while (true)
                {
                    ret = [|FaultInUserWriteable(uaddr)|];
                    if (ret != 0)
                        break;
                    PagefaultDisable();
                    ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    CondResched();
                }
                return ret;
            }
        }
        """,
        DeclineReason.LoopDoesMore);

    [Fact]
    public Task NoFixForAGotoRetry() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Futex
        {
            public static int Lock([RequiresAlignment] UserPtr<uint> uaddr)
            {
                int tries = 0;
            retry:
                tries++;
                if ([|FaultInUserWriteable(uaddr)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
                PagefaultEnable();
                if (ret == -EFAULT && tries < 3)
                    goto retry;
                return ret;
            }
        }
        """,
        DeclineReason.GotoRetry);

    [Fact]
    public Task NoFixForAFixupWhoseLockIsReleasedOnTheErrorPath() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Set(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                MmapReadLock(mm);
                int fixup = [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
                if (fixup != 0)
                {
                    MmapReadUnlock(mm);
                    return fixup;
                }
                MmapReadUnlock(mm);
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, 1u, out uint old);
                PagefaultEnable();
                return ret;
            }
        }
        """,
        DeclineReason.ReleasedOnErrorPath);

    [Fact]
    public Task NoFixForAReadFixupOfAWrittenWord() => VerifyNoFix(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Set(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                MmapReadLock(mm);
                int fixup = [|FixupUserFault(mm, uaddr, FaultFlags.None)|];
                MmapReadUnlock(mm);
                if (fixup != 0)
                    return fixup;
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, 1u, out uint old);
                PagefaultEnable();
                return ret;
            }
        }
        """,
        DeclineReason.ReadFaultInOfWrittenWord);

    /// <summary>A buffer-walking copy with no place where it is known to have copied nothing: the cold path has nowhere to go.</summary>
    [Fact]
    public Task NoFixForABufferedWriteWithoutACopiedNothingTest() => VerifyNoFix(
        """
        using System;

        namespace Sim;

        public static class Filemap
        {
            public static long PerformWrite(UserPtr buf, long count, long pos)
            {
                long status = 0;
                long written = 0;

                do
                {
                    long bytes = Math.Min(4096, count - written);
                    long copied;

                    if ([|FaultInReadable(buf + written, bytes)|] == bytes)
                    {
                        status = -EFAULT;
                        break;
                    }

                    var folio = new byte[bytes];
                    PagefaultDisable();
                    copied = bytes - CopyFromUser(folio.AsSpan(0, (int)bytes), buf + written);
                    PagefaultEnable();

                    pos += copied;
                    written += copied;
                }
                while (written < count);

                return written != 0 ? written : status;
            }
        }
        """,
        DeclineReason.NoNothingCopiedTest);

    /// <summary>
    /// generic_perform_write() v6.13 with a prefault of everything left to write rather than the chunk it
    /// copies (gfs2_file_buffered_write() faults in such a window): the cold path after a copy of nothing
    /// faults in the chunk from where the copy stopped, which is not what this prefault covered.
    /// </summary>
    [Fact]
    public Task NoFixForAPrefaultOfMoreThanTheChunk() => VerifyNoFix(
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Filemap
        {
            public static long PerformWrite(UserPtr buf, long count, long pos)
            {
                long chunk = 16384;
                long status = 0;
                long written = 0;

                do
                {
                    long offset;
                    long bytes;
                    long copied;

                    bytes = count - written;
                retry:
                    offset = pos & (chunk - 1);
                    bytes = Math.Min(chunk - offset, bytes);

                    if ([|FaultInReadable(buf + written, count - written)|] == count - written)
                    {
                        status = -EFAULT;
                        break;
                    }

                    var folio = WriteBegin(pos, bytes);

                    PagefaultDisable();
                    copied = bytes - CopyFromUser(folio.AsSpan(0, (int)bytes), buf + written);
                    PagefaultEnable();

                    status = WriteEnd(copied);
                    if (status < 0)
                        break;

                    if (status == 0)
                    {
                        if (chunk > 4096)
                            chunk /= 2;
                        if (copied != 0)
                        {
                            bytes = copied;
                            goto retry;
                        }
                    }
                    else
                    {
                        pos += status;
                        written += status;
                    }
                }
                while (written < count);

                return written != 0 ? written : status;
            }

            private static byte[] WriteBegin(long pos, long bytes) => new byte[bytes];

            private static long WriteEnd(long copied) => copied;
        }
        """,
        DeclineReason.SizeNotExact);

    /// <summary>
    /// generic_perform_write() before v5.16: <c>iov_iter_fault_in_readable()</c> returned 0 or <c>-EFAULT</c>,
    /// not the bytes it could not fault in, which the cold path's "no progress" test needs.
    /// </summary>
    [Fact]
    public Task NoFixForAPrefaultThatReturnsAnErrno() => VerifyNoFix(
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Filemap
        {
            public static long PerformWrite(UserPtr buf, long count, long pos)
            {
                long chunk = 16384;
                long status = 0;
                long written = 0;

                do
                {
                    long offset;
                    long bytes;
                    long copied;

                    bytes = count - written;
                retry:
                    offset = pos & (chunk - 1);
                    bytes = Math.Min(chunk - offset, bytes);

                    if ([|IovIterFaultInReadable(buf + written, bytes)|] != 0)
                    {
                        status = -EFAULT;
                        break;
                    }

                    var folio = WriteBegin(pos, bytes);

                    PagefaultDisable();
                    copied = bytes - CopyFromUser(folio.AsSpan(0, (int)bytes), buf + written);
                    PagefaultEnable();

                    status = WriteEnd(copied);
                    if (status < 0)
                        break;

                    if (status == 0)
                    {
                        if (chunk > 4096)
                            chunk /= 2;
                        if (copied != 0)
                        {
                            bytes = copied;
                            goto retry;
                        }
                    }
                    else
                    {
                        pos += status;
                        written += status;
                    }
                }
                while (written < count);

                return written != 0 ? written : status;
            }

            /// <summary>iov_iter_fault_in_readable() before v5.16: 0, or -EFAULT when any of it could not be faulted in.</summary>
            [ResolvesFaults]
            [MightSleep]
            [MustCheck]
            [ReturnsErrno]
            [FaultsIn(AccessKind.Read, Pointer = "p", Size = "bytes")]
            private static int IovIterFaultInReadable(UserPtr p, long bytes) => FaultInReadable(p, bytes) != 0 ? -EFAULT : 0;

            private static byte[] WriteBegin(long pos, long bytes) => new byte[bytes];

            private static long WriteEnd(long copied) => copied;
        }
        """,
        DeclineReason.PrefaultReturnsErrno);

    /// <summary>generic_perform_write() v6.13 with its fatal-signal check folded into the prefault's test: the prefault is not tested alone.</summary>
    [Fact]
    public Task NoFixForAPrefaultTestedWithAnotherCondition() => VerifyNoFix(
        """
        using System;
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Filemap
        {
            public static long PerformWrite(UserPtr buf, long count, long pos)
            {
                long chunk = 16384;
                long status = 0;
                long written = 0;

                do
                {
                    long offset;
                    long bytes;
                    long copied;

                    bytes = count - written;
                retry:
                    offset = pos & (chunk - 1);
                    bytes = Math.Min(chunk - offset, bytes);

                    if ([|FaultInReadable(buf + written, bytes)|] == bytes || FatalSignalPending())
                    {
                        status = -EFAULT;
                        break;
                    }

                    var folio = WriteBegin(pos, bytes);

                    PagefaultDisable();
                    copied = bytes - CopyFromUser(folio.AsSpan(0, (int)bytes), buf + written);
                    PagefaultEnable();

                    status = WriteEnd(copied);
                    if (status < 0)
                        break;

                    if (status == 0)
                    {
                        if (chunk > 4096)
                            chunk /= 2;
                        if (copied != 0)
                        {
                            bytes = copied;
                            goto retry;
                        }
                    }
                    else
                    {
                        pos += status;
                        written += status;
                    }
                }
                while (written < count);

                return written != 0 ? written : status;
            }

            private static byte[] WriteBegin(long pos, long bytes) => new byte[bytes];

            private static long WriteEnd(long copied) => copied;
        }
        """,
        DeclineReason.PrefaultTestNotHandled);
}
