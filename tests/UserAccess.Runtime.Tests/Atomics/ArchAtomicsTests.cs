using System;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Atomics;

// Each backend's hardware behaviour for locked operations on user memory.
public class ArchAtomicsTests
{
    private static (Sim Sim, UserPtr P) PresentPage(Arch arch, int livelockThreshold = 1000)
    {
        var sim = new Sim(arch, livelockThreshold: livelockThreshold);
        var p = sim.Mm.Mmap((ulong)arch.PageSize, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate);
        return (sim, p);
    }

    [Fact]
    public void X86SplitLockIsEfaultWithThePagePresentAndMisalignedWithinALineWorks()
    {
        var (sim, p) = PresentPage(Arch.X86_64);
        sim.Run(() =>
        {
            Assert.Equal(-EFAULT, XchgUserInatomic((p + 60).Cast<ulong>(), 1UL, out ulong _));
            Assert.Equal(-EFAULT, CmpxchgUserInatomic((p + 62).Cast<uint>(), 0u, 1u, out uint _));
            Assert.Equal(0, FaultInUserWriteable(p + 60));
            Assert.Equal(-EFAULT, XchgUserInatomic((p + 60).Cast<ulong>(), 1UL, out ulong _));
            Assert.Equal(0, XchgUserInatomic((p + 1).Cast<uint>(), 0x01020304u, out uint old));
            Assert.Equal(0u, old);
            Assert.Equal(0, XchgUserInatomic((p + 56).Cast<ulong>(), 2UL, out ulong _));
        });
        Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p));
        Assert.Equal(new byte[] { 0, 4, 3, 2, 1, 0 }, sim.Read(p, 6));
    }

    [Fact]
    public void Arm64AnyMisalignedAtomicIsAnAlignmentFault()
    {
        var (sim, p) = PresentPage(Arch.Arm64);
        sim.Run(() =>
        {
            Assert.Equal(-EFAULT, XchgUserInatomic((p + 1).Cast<uint>(), 1u, out uint _));
            Assert.Equal(-EFAULT, XchgUserInatomic((p + 4).Cast<ulong>(), 1UL, out ulong _));
            Assert.Equal(0, XchgUserInatomic((p + 8).Cast<ulong>(), 1UL, out ulong _));
            Assert.Equal(0, FutexAtomicCmpxchgInatomic(out uint _, (p + 4).Cast<uint>(), 0, 1));
        });
    }

    [Fact]
    public void PowerPcLarxOnAMisalignedWordFails()
    {
        var (sim, p) = PresentPage(Arch.PowerPC64BE);
        sim.Run(() =>
        {
            Assert.Equal(-EFAULT, XchgUserInatomic((p + 2).Cast<uint>(), 1u, out uint _));
            Assert.Equal(0, XchgUserInatomic((p + 4).Cast<uint>(), 1u, out uint _));
        });
    }

    [Theory]
    [InlineData("x86_64", 60)]
    [InlineData("arm64", 4)]
    public void TheNaiveRetryLoopOnATrappingAddressEndsInALivelockReport(string arch, int offset)
    {
        var (sim, p) = PresentPage(Sim.ArchNamed(arch), livelockThreshold: 20);
        var word = (p + offset).Cast<ulong>();
        int result = sim.RunRaw(() =>
        {
            // The UMCG xchg_user_64() loop: fault in, retry, forever.
            while (true)
            {
                PagefaultDisable();
                int rc = XchgUserInatomic(word, 1UL, out ulong _);
                PagefaultEnable();
                if (rc != -EFAULT)
                {
                    return rc;
                }

                if (FaultInUserWriteable(word) != 0)
                {
                    return -EFAULT;
                }
            }
        });
        Assert.Equal(TaskStruct.Killed, result);
        var report = sim.AssertSingleReport(ReportKind.Livelock);
        Assert.StartsWith("watchdog: BUG: soft lockup", report.Message);
        Assert.Contains($"0x{word.Address:x}", report.Message);
    }

    [Theory]
    [InlineData("x86_64", 60)]
    [InlineData("arm64", 4)]
    public void TheFixedLoopRejectsTheMisalignedWordAndStaysSilent(string arch, int offset)
    {
        var (sim, p) = PresentPage(Sim.ArchNamed(arch), livelockThreshold: 20);
        var word = (p + offset).Cast<ulong>();
        int result = sim.RunRaw(() =>
        {
            if (!word.IsAligned(sizeof(ulong)))
            {
                return -EINVAL;
            }

            return XchgUserInatomic(word, 1UL, out ulong _);
        });
        Assert.Equal(-EINVAL, result);
        sim.AssertNoReports();
    }

    [Fact]
    public void Arm64LlScGivesUpWithEagainAfter128LostReservations()
    {
        var (sim, p) = PresentPage(Arch.Arm64);
        int stores = 0;
        uint interference = 100;
        sim.Mm.StoreExclusiveHook = _ =>
        {
            stores++;
            sim.Mm.UserWrite(p, BitConverter.GetBytes(++interference));
        };
        sim.Run(() =>
        {
            Assert.Equal(-EAGAIN, ArchFutexAtomicOpInuser(FutexOp.Add, 1, out int _, p.Cast<uint>()));
            Assert.Equal(128, stores);

            // A cmpxchg whose word changed between load and store sees the new value: no store, no -EAGAIN.
            uint expected = interference;
            Assert.Equal(0, CmpxchgUserInatomic(p.Cast<uint>(), expected, 0u, out uint actual));
            Assert.Equal(expected + 1, actual);
        });
    }

    [Fact]
    public void Arm64LlScSucceedsWhenTheReservationSurvivesAndX86NeverGivesUp()
    {
        foreach (var arch in new[] { Arch.Arm64, Arch.X86_64 })
        {
            var (sim, p) = PresentPage(arch);
            int stores = 0;
            sim.Mm.StoreExclusiveHook = _ =>
            {
                if (++stores <= (arch == Arch.Arm64 ? 127 : 500))
                {
                    sim.Mm.UserWrite(p, BitConverter.GetBytes(stores));
                }
            };
            sim.Run(() =>
            {
                Assert.Equal(0, ArchFutexAtomicOpInuser(FutexOp.Add, 1000, out int old, p.Cast<uint>()));
                Assert.Equal(stores - 1, old);
            });
        }
    }

    [Fact]
    public void ArcEmulationOnTheZeroPageFailsThePutAndReturnsEfault()
    {
        // The seed bug: the old sys_arc_usr_cmpxchg ignored the failed store and reported success.
        var sim = new Sim(Arch.Arc);
        var p = sim.Map(1).Cast<uint>();
        sim.Run(() =>
        {
            Assert.Equal(0, GetUser(out uint seen, p));
            Assert.Equal(0u, seen);
            Assert.Equal(-EFAULT, CmpxchgUserInatomic(p, 0u, 42u, out uint _));
            Assert.False(InAtomic());
        });
        Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p));
        Assert.Equal(new byte[4], sim.Read(p, 4));
        sim.AssertNoReports();
    }

    [Fact]
    public void ArcEmulationAfterFaultInWritesTheValueWithPreemptionRestored()
    {
        var sim = new Sim(Arch.Arc);
        var p = sim.Map(1).Cast<uint>();
        sim.Run(() =>
        {
            Assert.Equal(0, FaultInUserWriteable(p));
            Assert.Equal(0, CmpxchgUserInatomic(p, 0u, 42u, out uint actual));
            Assert.Equal(0u, actual);
            Assert.Equal(0, CmpxchgUserInatomic(p, 0u, 7u, out actual));
            Assert.Equal(42u, actual);
            Assert.False(InAtomic());
        });
        Assert.Equal(BitConverter.GetBytes(42u), sim.Read(p, 4));
        sim.AssertNoReports();
    }

    [Theory]
    [InlineData("i386")]
    [InlineData("arc")]
    public void SixtyFourBitUserAtomicsAreEinvalOnThirtyTwoBitBackends(string arch)
    {
        var (sim, p) = PresentPage(Sim.ArchNamed(arch));
        sim.Run(() =>
        {
            Assert.Equal(-EINVAL, XchgUserInatomic(p.Cast<ulong>(), 1UL, out ulong _));
            Assert.Equal(-EINVAL, CmpxchgUserInatomic(p.Cast<long>(), 0L, 1L, out long _));
            Assert.Equal(0, XchgUserInatomic(p.Cast<uint>(), 1u, out uint _));
        });
    }

    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void OnlyFourAndEightByteWordsAreUserAtomics(string arch)
    {
        var (sim, p) = PresentPage(Sim.ArchNamed(arch));
        sim.Run(() =>
        {
            Assert.Equal(-EINVAL, XchgUserInatomic(p.Cast<ushort>(), (ushort)1, out ushort _));
            Assert.Equal(-EINVAL, CmpxchgUserInatomic(p.Cast<byte>(), (byte)0, (byte)1, out byte _));
            Assert.Equal(0, CmpxchgUserInatomic(p.Cast<int>(), 0, -1, out int found));
            Assert.Equal(0, found);
        });
    }

    [Fact]
    public void PowerPcAtomicsWorkOnBigEndianWords()
    {
        var (sim, p) = PresentPage(Arch.PowerPC64BE);
        sim.Run(() =>
        {
            Assert.Equal(0, XchgUserInatomic(p.Cast<uint>(), 0x11223344u, out uint _));
            Assert.Equal(0, ArchFutexAtomicOpInuser(FutexOp.Add, 1, out int old, p.Cast<uint>()));
            Assert.Equal(0x11223344, old);
            Assert.Equal(0, CmpxchgUserInatomic((p + 8).Cast<ulong>(), 0UL, 0x0102030405060708UL, out ulong _));
        });
        Assert.Equal(new byte[] { 0x11, 0x22, 0x33, 0x45 }, sim.Read(p, 4));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, sim.Read(p + 8, 8));
    }
}
