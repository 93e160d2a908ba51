using System;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests;

// The software TLB serves repeated accesses to a present page; each test first makes the task
// cache the translation, then changes what it translated, and expects the next access to see the
// change, never the cached one.
public class SoftTlbTests
{
    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void Munmap_after_a_cached_access_makes_the_next_one_fail(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = Populated(sim);
        sim.Run(() =>
        {
            Assert.Equal(0, PutUser(7u, p));
            Assert.Equal(0, GetUser(out uint _, p));
            sim.Mm.Munmap(p, (ulong)sim.PageSize);
            Assert.Equal(-EFAULT, GetUser(out uint _, p));
            Assert.Equal(-EFAULT, PutUser(8u, p));
        });
    }

    [Fact]
    public void Mprotect_read_only_after_a_cached_write_makes_the_next_write_fail_and_reads_go_on()
    {
        var sim = new Sim();
        var p = Populated(sim);
        sim.Run(() =>
        {
            Assert.Equal(0, PutUser(7u, p));
            sim.Mm.Mprotect(p, (ulong)sim.PageSize, Prot.Read);
            Assert.Equal(-EFAULT, PutUser(8u, p));
            Assert.Equal(-EFAULT, XchgUserInatomic(p, 9u, out uint _));
            Assert.Equal(0, GetUser(out uint seen, p));
            Assert.Equal(7u, seen);
        });
    }

    [Fact]
    public void A_swap_out_after_a_cached_access_is_a_fault_again()
    {
        var sim = new Sim();
        var p = Populated(sim);
        sim.Run(() =>
        {
            Assert.Equal(0, PutUser(7u, p));
            sim.Mm.SwapOut(p, (ulong)sim.PageSize);
            using (NoFault())
            {
                Assert.Equal(-EFAULT, GetUserUnchecked(out uint _, p));
            }

            Assert.Equal(0, GetUser(out uint seen, p));
            Assert.Equal(7u, seen);
        });
    }

    [Fact]
    public void A_cached_zero_page_is_not_read_after_the_write_fault_broke_copy_on_write()
    {
        var sim = new Sim();
        var p = sim.Map(1).Cast<uint>();
        sim.Run(() =>
        {
            Assert.Equal(0, GetUser(out uint zero, p));
            Assert.Equal(0u, zero);
            Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p));
            Assert.Equal(0, PutUser(5u, p));
            Assert.Equal(0, GetUser(out uint seen, p));
            Assert.Equal(5u, seen);
        });
        Assert.Equal(5, sim.Read(p, 4)[0]);
    }

    [Fact]
    public void Poison_and_madvise_after_a_cached_access_are_seen()
    {
        var sim = new Sim();
        var p = Populated(sim);
        var q = p + sim.PageSize;
        sim.Run(() =>
        {
            Assert.Equal(0, PutUser(7u, p));
            Assert.Equal(0, PutUser(7u, q));
            sim.Mm.Poison(p);
            sim.Mm.MadviseDontNeed(q, (ulong)sim.PageSize);
            Assert.Equal(-EFAULT, GetUser(out uint _, p));
            Assert.Equal(0, GetUser(out uint dropped, q));
            Assert.Equal(0u, dropped);
        });
    }

    [Fact]
    public void A_tag_change_is_seen_by_the_next_access()
    {
        var sim = new Sim(Arch.Arm64);
        var p = sim.Mm.Mmap(4096, Prot.Read | Prot.Write | Prot.Mte, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate).Cast<uint>();
        sim.Mm.SetMemoryTag(p, 16, 3);
        var tagged = p.WithTag(3);
        sim.Run(() =>
        {
            Assert.Equal(0, GetUser(out uint _, tagged));
            Assert.Equal(0, GetUser(out uint _, tagged));
            sim.Mm.SetMemoryTag(p, 16, 5);
            Assert.Equal(-EFAULT, GetUser(out uint _, tagged));
            Assert.Equal(0, GetUser(out uint _, p.WithTag(5)));
        });
    }

    [Fact]
    public void The_task_context_is_checked_on_every_access_even_when_the_page_is_cached()
    {
        var sim = new Sim();
        var p = Populated(sim);
        sim.Run(() =>
        {
            Assert.Equal(0, GetUser(out uint _, p));
            PreemptDisable();
            Assert.Equal(0, GetUser(out uint _, p));
            PreemptEnable();
        });
        sim.AssertSingleReport(ReportKind.SleepInAtomic);
    }

    [Fact]
    public void Another_task_of_the_same_process_invalidates_what_this_one_cached()
    {
        var sim = new Sim();
        var p = Populated(sim);
        var other = sim.Mm.CreateTask("other");
        sim.Run(() => Assert.Equal(0, PutUser(7u, p)));
        Assert.Equal(0, other.Run(() =>
        {
            sim.Mm.Mprotect(p, (ulong)sim.PageSize, Prot.None);
            return 0;
        }));
        sim.Run(() => Assert.Equal(-EFAULT, GetUser(out uint _, p)));
    }

    [Fact]
    public void Values_keep_the_backends_byte_order_on_the_fast_path()
    {
        var sim = new Sim(Arch.PowerPC64BE);
        var p = Populated(sim);
        sim.Run(() =>
        {
            Assert.Equal(0, PutUser(0x11223344u, p));
            Assert.Equal(0, PutUser(0x11223344u, p));
            Assert.Equal(0, GetUser(out uint seen, p));
            Assert.Equal(0x11223344u, seen);
            Assert.Equal(0, XchgUserInatomic(p, 0x55667788u, out uint old));
            Assert.Equal(0x11223344u, old);
        });
        Assert.Equal(new byte[] { 0x55, 0x66, 0x77, 0x88 }, sim.Read(p, 4));
    }

    private static UserPtr<uint> Populated(Sim sim) =>
        sim.Map(2, flags: MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate).Cast<uint>();
}
