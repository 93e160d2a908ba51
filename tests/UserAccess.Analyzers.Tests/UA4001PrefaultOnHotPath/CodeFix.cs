using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Seeds;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA4001PrefaultOnHotPath;

public class CodeFix
{
    private static Task Verify(string source, string expected) =>
        FixHarness.VerifyAsync<UA4001PrefaultOnHotPathAnalyzer, UA4001PrefaultOnHotPathCodeFix>(FixHarness.Usings + source, FixHarness.Usings + expected);

    /// <summary>The all-or-nothing copy is retried from its start: its fault-in probes every granule (UA4005).</summary>
    [Fact]
    public Task PrefaultBeforeANofaultCopyMovesToTheColdPath() => Verify(
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(UserPtr to, byte[] data)
            {
                if ([|FaultInWriteable(to, data.Length)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = CopyToUserNofault(to, data);
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        namespace Sim;

        public static class Log
        {
            public static int Append(UserPtr to, byte[] data)
            {
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = CopyToUserNofault(to, data);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    if (FaultInSubpageWriteable(to, data.Length) != 0)
                    {
                        ret = -EFAULT;
                        break;
                    }
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task ErrnoPrefaultIntoTheResultBecomesTheColdPathFaultIn() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Xchg([RequiresAlignment] UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                oldval = 0;
                int ret;
                ret = [|FaultInUserWriteable(uaddr)|];
                if (ret != 0)
                    return ret;
                PagefaultDisable();
                ret = XchgUserInatomic(uaddr, newval, out oldval);
                PagefaultEnable();
                return ret;
            }

            public static int Cmpxchg([RequiresAlignment] UserPtr<uint> uaddr, uint expected, uint newval, out uint actual)
            {
                actual = 0;
                int ret = [|FaultInUserWriteable(uaddr)|];
                if (ret != 0)
                    return -EFAULT;
                PagefaultDisable();
                ret = CmpxchgUserInatomic(uaddr, expected, newval, out actual);
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Xchg([RequiresAlignment] UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                oldval = 0;
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, newval, out oldval);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        break;
                }
                return ret;
            }

            public static int Cmpxchg([RequiresAlignment] UserPtr<uint> uaddr, uint expected, uint newval, out uint actual)
            {
                actual = 0;
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = CmpxchgUserInatomic(uaddr, expected, newval, out actual);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        break;
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task CommentsAndBlankLinesStayWithTheirStatements() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Xchg([RequiresAlignment] UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                oldval = 0;

                // make sure the word is there (and writable) first
                int ret = [|FaultInUserWriteable(uaddr)|]; // may sleep
                if (ret != 0)
                    return ret;

                // no faults from here on
                PagefaultDisable();
                ret = XchgUserInatomic(uaddr, newval, out oldval); // the exchange itself
                // faults back on
                PagefaultEnable();

                return ret;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Xchg([RequiresAlignment] UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                oldval = 0;

                int ret;
                while (true)
                {
                    // no faults from here on
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, newval, out oldval); // the exchange itself
                                                                       // faults back on
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    // make sure the word is there (and writable) first
                    // may sleep
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        break;
                }

                return ret;
            }
        }
        """);

    [Fact]
    public Task TheLocksAroundTheRegionStayInTheLoop() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Futex
        {
            public static int Cmpxchg(KernelSpinlock hb, [RequiresAlignment] UserPtr<uint> uaddr, uint uval, uint newval, out uint curval)
            {
                curval = 0;
                if ([|FaultInUserWriteable(uaddr)|] != 0)
                    return -EFAULT;
                // the hash bucket keeps the waiters stable
                hb.Lock();
                PagefaultDisable();
                int ret = FutexAtomicCmpxchgInatomic(out curval, uaddr, uval, newval);
                PagefaultEnable();
                hb.Unlock();
                return ret;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Futex
        {
            public static int Cmpxchg(KernelSpinlock hb, [RequiresAlignment] UserPtr<uint> uaddr, uint uval, uint newval, out uint curval)
            {
                curval = 0;
                int ret;
                while (true)
                {
                    // the hash bucket keeps the waiters stable
                    hb.Lock();
                    PagefaultDisable();
                    ret = FutexAtomicCmpxchgInatomic(out curval, uaddr, uval, newval);
                    PagefaultEnable();
                    hb.Unlock();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        break;
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task TheUsersOwnFaultInHelperIsKept() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Events
        {
            [ResolvesFaults]
            [MightSleep]
            [MustCheck]
            [ReturnsErrno]
            [FaultsIn(AccessKind.ReadWrite, Pointer = "uaddr")]
            public static int FaultInEnabler(Mm mm, UserPtr uaddr)
            {
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                return ret;
            }

            public static int Set(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                if ([|FaultInEnabler(mm, uaddr)|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, 1u, out uint old);
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Events
        {
            [ResolvesFaults]
            [MightSleep]
            [MustCheck]
            [ReturnsErrno]
            [FaultsIn(AccessKind.ReadWrite, Pointer = "uaddr")]
            public static int FaultInEnabler(Mm mm, UserPtr uaddr)
            {
                if (MmapReadLockKillable(mm) != 0)
                    return -EINTR;
                int ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                MmapReadUnlock(mm);
                return ret;
            }

            public static int Set(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, 1u, out uint old);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    ret = FaultInEnabler(mm, uaddr);
                    if (ret != 0)
                        break;
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task AReadPrefaultOfAWrittenWordGivesWayToTheWriteFaultIn() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Xchg([RequiresAlignment] UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                oldval = 0;
                // read fault-in: maps the zero page, which the exchange cannot write
                if ([|FaultInReadable(uaddr, sizeof(uint))|] != 0)
                    return -EFAULT;
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, newval, out oldval);
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Xchg([RequiresAlignment] UserPtr<uint> uaddr, uint newval, out uint oldval)
            {
                oldval = 0;
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, newval, out oldval);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    // read fault-in: maps the zero page, which the exchange cannot write
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        break;
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task PrefaultAtTheTopOfARetryLoopBecomesTheCanonicalLoop() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Futex
        {
            public static int Lock([RequiresAlignment] UserPtr<uint> uaddr)
            {
                int ret;
                // until the word is ours or the fault is permanent
                while (true)
                {
                    ret = [|FaultInUserWriteable(uaddr)|];
                    if (ret != 0)
                        break;
                    PagefaultDisable();
                    ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
                    PagefaultEnable();
                    // anything but a fault is the answer
                    if (ret != -EFAULT)
                        break;
                }
                return ret;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Futex
        {
            public static int Lock([RequiresAlignment] UserPtr<uint> uaddr)
            {
                int ret;
                // until the word is ours or the fault is permanent
                while (true)
                {
                    PagefaultDisable();
                    ret = FutexAtomicCmpxchgInatomic(out uint cur, uaddr, 0, 1);
                    PagefaultEnable();
                    // anything but a fault is the answer
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        break;
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task FixupUnderTheMmapLockMovesToTheColdPathAsAWhole() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Set(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                // fixup_user_fault() needs the mmap lock
                MmapReadLock(mm);
                int fixup = [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
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
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Set(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, 1u, out uint old);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    // fixup_user_fault() needs the mmap lock
                    MmapReadLock(mm);
                    ret = FixupUserFault(mm, uaddr, FaultFlags.Write);
                    MmapReadUnlock(mm);
                    if (ret != 0)
                        break;
                }
                return ret;
            }
        }
        """);

    [Fact]
    public Task TheBufferedWriteBefore2021BecomesTheV614Loop() => Verify(
        "using System;\n"
        + RetrySeeds.GenericPerformWriteBefore2021.Replace("{|#1:{|#0:", "[|").Replace("|} != 0|}", "|] != 0"),
        "using System;\n"
        + RetrySeeds.GenericPerformWriteV614.Replace(
            "            if (FatalSignalPending())",
            "\n            if (FatalSignalPending())").Replace(
            "                // the folio is unlocked: faults on it can be handled; ensure forward progress\n", string.Empty));

    /// <summary>
    /// mm/filemap.c, generic_perform_write(), v6.13 (the prefault of every chunk on the hot path) becomes
    /// v6.14: the prefault moves to the end of the branch where ->write_end() took nothing and a
    /// partial copy was already sent round again, so only a copy of nothing faults in, from where it stopped.
    /// </summary>
    [Fact]
    public Task TheBufferedWriteOfV613FaultsInOnlyAfterACopyOfNothing() => Verify(
        """
        using System;

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

                    /* bring in the user page first */
                    if ([|FaultInReadable(buf + written, bytes)|] == bytes)
                    {
                        status = -EFAULT;
                        break;
                    }

                    if (FatalSignalPending())
                    {
                        status = -EINTR;
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
        """
        using System;

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

                    if (FatalSignalPending())
                    {
                        status = -EINTR;
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

                        /* bring in the user page first */
                        if (FaultInReadable(buf + written, bytes) == bytes)
                        {
                            status = -EFAULT;
                            break;
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
        """);

    /// <summary>
    /// A fixup prefaulted without the mmap lock it needs (itself a UA2003): on the cold path it would
    /// still run without it, so, as UA1002's fix does with fault handling that is not a fault-in, the
    /// fault-in for the access's kind takes its place.
    /// </summary>
    [Fact]
    public Task AFixupWithoutItsLockGivesWayToTheFaultInForTheAccess() => Verify(
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Set(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                int fixup = [|FixupUserFault(mm, uaddr, FaultFlags.Write)|];
                if (fixup != 0)
                    return fixup;
                PagefaultDisable();
                int ret = XchgUserInatomic(uaddr, 1u, out uint old);
                PagefaultEnable();
                return ret;
            }
        }
        """,
        """
        using UserAccess.Runtime.Annotations;

        namespace Sim;

        public static class Umcg
        {
            public static int Set(Mm mm, [RequiresAlignment] UserPtr<uint> uaddr)
            {
                int ret;
                while (true)
                {
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, 1u, out uint old);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                        break;
                    if (FatalSignalPending())
                    {
                        ret = -EINTR;
                        break;
                    }
                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                        break;
                }
                return ret;
            }
        }
        """);
}
