using System;
using System.Linq;
using UserAccess.Runtime;
using Xunit;
using static UserAccess.Runtime.Errno;
using static UserAccess.Runtime.Kernel;

namespace UserAccess.Runtime.Tests.Uaccess;

// What lib/tests/usercopy_kunit.c checks, on every backend.
public class UsercopyTests
{
    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void GetUserAndPutUserRoundTripOneTwoFourAndEightByteValues(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Map(1);
        sim.Run(() =>
        {
            Assert.Equal(0, PutUser((byte)0x5A, p.Cast<byte>()));
            Assert.Equal(0, PutUser((ushort)0x5A5B, (p + 8).Cast<ushort>()));
            Assert.Equal(0, PutUser(0x5A5B5C5Du, (p + 16).Cast<uint>()));
            Assert.Equal(0, PutUser(0x5A5B5C5D6A6B6C6DUL, (p + 24).Cast<ulong>()));
            Assert.Equal(0, GetUser(out byte b, p.Cast<byte>()));
            Assert.Equal(0, GetUser(out ushort s, (p + 8).Cast<ushort>()));
            Assert.Equal(0, GetUser(out uint i, (p + 16).Cast<uint>()));
            Assert.Equal(0, GetUser(out ulong l, (p + 24).Cast<ulong>()));
            Assert.Equal((byte)0x5A, b);
            Assert.Equal((ushort)0x5A5B, s);
            Assert.Equal(0x5A5B5C5Du, i);
            Assert.Equal(0x5A5B5C5D6A6B6C6DUL, l);
        });
        sim.AssertNoReports();
    }

    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void CopiesAndValuesRoundTripAcrossAPageBoundary(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Map(3);
        var boundary = p + sim.PageSize;
        var data = Enumerable.Range(0, 2 * sim.PageSize).Select(i => (byte)(i * 7)).ToArray();
        sim.Run(() =>
        {
            Assert.Equal(0, CopyToUser(p + 5, data));
            var back = new byte[data.Length];
            Assert.Equal(0, CopyFromUser(back, p + 5));
            Assert.Equal(data, back);

            Assert.Equal(0, PutUser(0x0102030405060708UL, (boundary - 3).Cast<ulong>()));
            Assert.Equal(0, GetUser(out ulong value, (boundary - 3).Cast<ulong>()));
            Assert.Equal(0x0102030405060708UL, value);
        });
        sim.AssertNoReports();
    }

    [Theory]
    [InlineData("x86_64", new byte[] { 0x44, 0x33, 0x22, 0x11 })]
    [InlineData("arm64", new byte[] { 0x44, 0x33, 0x22, 0x11 })]
    [InlineData("powerpc64", new byte[] { 0x11, 0x22, 0x33, 0x44 })]
    public void MultiByteValuesAreStoredInTheArchsByteOrder(string arch, byte[] expected)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Map(1);
        sim.Run(() => Assert.Equal(0, PutUser(0x11223344u, p.Cast<uint>())));
        Assert.Equal(expected, sim.Read(p, 4));

        sim.Mm.UserWrite(p + 8, new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 });
        ulong value = 0;
        sim.Run(() => Assert.Equal(0, GetUser(out value, (p + 8).Cast<ulong>())));
        Assert.Equal(sim.Arch.IsBigEndian ? 1UL : 1UL << 56, value);
    }

    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void KernelAddressesAreRejectedAndDestinationsZeroed(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var kernel = new UserPtr(sim.Arch.TaskSize);
        var straddling = new UserPtr(sim.Arch.TaskSize - 4);
        sim.Run(() =>
        {
            Assert.Equal(-EFAULT, GetUser(out ulong value, kernel.Cast<ulong>()));
            Assert.Equal(0UL, value);
            Assert.Equal(-EFAULT, GetUser(out value, straddling.Cast<ulong>()));
            Assert.Equal(0UL, value);
            Assert.Equal(-EFAULT, GetUserUnchecked(out uint unchecked32, kernel.Cast<uint>()));
            Assert.Equal(0u, unchecked32);
            Assert.Equal(-EFAULT, PutUser(1UL, kernel.Cast<ulong>()));
            Assert.Equal(-EFAULT, PutUserUnchecked(1u, kernel.Cast<uint>()));

            var buffer = Enumerable.Repeat((byte)0xAA, 64).ToArray();
            Assert.Equal(64, CopyFromUser(buffer, kernel));
            Assert.All(buffer, b => Assert.Equal(0, b));
            buffer.AsSpan().Fill(0xAA);
            Assert.Equal(64, CopyFromUser(buffer, straddling));
            Assert.All(buffer, b => Assert.Equal(0, b));
            Assert.Equal(64, CopyToUser(kernel, buffer));
            Assert.Equal(64, ClearUser(straddling, 64));
            Assert.Equal(-EFAULT, StrncpyFromUser(buffer, kernel));
            Assert.Equal(-EFAULT, CopyFromUserNofault(buffer, kernel));
            Assert.Equal(-EFAULT, CopyToUserNofault(kernel, buffer));
        });
        sim.AssertNoReports();
    }

    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void AccessOkIsSizeBelowLimitAndAddressBelowLimitMinusSize(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        ulong limit = sim.Arch.TaskSize;
        sim.Run(() =>
        {
            Assert.True(AccessOk(new UserPtr(limit - 8), 8));
            Assert.False(AccessOk(new UserPtr(limit - 8), 9));
            Assert.True(AccessOk(new UserPtr(0), limit));
            Assert.False(AccessOk(new UserPtr(1), limit));
            Assert.False(AccessOk(new UserPtr(0), limit + 1));
            Assert.True(AccessOk(new UserPtr(limit), 0));
            Assert.False(AccessOk(new UserPtr(ulong.MaxValue - 1), 4));
        });
    }

    [Fact]
    public void AccessOkUntagsTheAddressOnArm64Only()
    {
        var arm = new Sim(Arch.Arm64);
        arm.Run(() => Assert.True(AccessOk(new UserPtr(0x1000).WithTag(0x0B), 8)));
        var x86 = new Sim(Arch.X86_64);
        x86.Run(() => Assert.False(AccessOk(new UserPtr(0x1000).WithTag(0x0B), 8)));
    }

    [Theory]
    [MemberData(nameof(Sim.AllArches), MemberType = typeof(Sim))]
    public void APartialCopyAcrossAnUnmappedPageCopiesExactlyTheBytesBeforeIt(string arch)
    {
        var sim = new Sim(Sim.ArchNamed(arch));
        var p = sim.Map(2);
        sim.Mm.Munmap(p + sim.PageSize, (ulong)sim.PageSize);
        var start = p + (sim.PageSize - 10);
        sim.Mm.UserWrite(start, Enumerable.Range(1, 10).Select(i => (byte)i).ToArray());
        sim.Run(() =>
        {
            var to = Enumerable.Repeat((byte)0xAA, 32).ToArray();
            Assert.Equal(22, CopyFromUser(to, start));
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (byte)i), to.Take(10));
            Assert.All(to.Skip(10), b => Assert.Equal(0, b));

            var from = Enumerable.Repeat((byte)0x77, 32).ToArray();
            Assert.Equal(22, CopyToUser(start, from));
            Assert.Equal(22, ClearUser(start + 2, 30));
            Assert.Equal(-EFAULT, GetUser(out ulong straddling, (p + (sim.PageSize - 4)).Cast<ulong>()));
            Assert.Equal(0UL, straddling);
        });
        Assert.Equal(new byte[] { 0x77, 0x77, 0, 0, 0, 0, 0, 0, 0, 0 }, sim.Read(start, 10));
        sim.AssertNoReports();
    }

    [Fact]
    public void CopyToUserZeroesNothingAndCopyFromUserZeroesOnlyTheTail()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Mm.Munmap(p, (ulong)sim.PageSize);
        sim.Run(() =>
        {
            var from = new byte[] { 1, 2, 3 };
            Assert.Equal(3, CopyToUser(p, from));
            Assert.Equal(new byte[] { 1, 2, 3 }, from);
        });
    }

    [Fact]
    public void TheNofaultCopiesNeverFaultInAndDoNotZeroFill()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Fill(p, sim.PageSize, 0x10);
        sim.Run(() =>
        {
            var to = Enumerable.Repeat((byte)0xAA, 16).ToArray();
            Assert.Equal(0, CopyFromUserNofault(to, p));
            Assert.All(to, b => Assert.Equal(0x10, b));

            to.AsSpan().Fill(0xAA);
            Assert.Equal(-EFAULT, CopyFromUserNofault(to, p + (sim.PageSize - 8)));
            Assert.All(to.Skip(8), b => Assert.Equal(0xAA, b));
            Assert.Equal(-EFAULT, CopyToUserNofault(p + sim.PageSize, to));
        });
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p + sim.PageSize));
        sim.AssertNoReports();
    }

    [Fact]
    public void TheNofaultCopiesAreUsableInAtomicContextWithoutASplat()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 4, 1);
        sim.Run(() =>
        {
            PreemptDisable();
            var to = new byte[4];
            Assert.Equal(0, CopyFromUserNofault(to, p));
            Assert.Equal(0, CopyToUserNofault(p, to));
            PreemptEnable();
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void InANofaultRegionAFaultingCopyFailsFastWithoutFaultingIn()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Run(() =>
        {
            using (NoFault())
            {
                var to = Enumerable.Repeat((byte)0xAA, 8).ToArray();
                Assert.Equal(8, CopyFromUser(to, p));
                Assert.All(to, b => Assert.Equal(0, b));
                Assert.Equal(-EFAULT, GetUser(out uint value, p.Cast<uint>()));
                Assert.Equal(-EFAULT, PutUser(1u, p.Cast<uint>()));
            }

            // Faults enabled again: the same copy faults the page in.
            var again = new byte[8];
            Assert.Equal(0, CopyFromUser(again, p));
        });
        Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p));
        sim.AssertNoReports();
    }

    [Fact]
    public void GetUserInAtomicContextIsAMightFaultSplatEvenOnAPresentPage()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 4, 1);
        sim.Run(() =>
        {
            PreemptDisable();
            Assert.Equal(0, GetUser(out uint value, p.Cast<uint>()));
            PreemptEnable();
        });
        var report = sim.AssertSingleReport(ReportKind.SleepInAtomic);
        Assert.StartsWith("BUG: sleeping function called from invalid context at get_user", report.Message);
    }

    [Fact]
    public void GetUserUncheckedInAtomicContextFailsFastWithoutASplat()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Fill(p, 4, 1);
        sim.Run(() =>
        {
            PreemptDisable();
            Assert.Equal(0, GetUserUnchecked(out uint present, p.Cast<uint>()));
            Assert.Equal(1u | (1u << 8) | (1u << 16) | (1u << 24), present);
            Assert.Equal(-EFAULT, GetUserUnchecked(out uint absent, (p + sim.PageSize).Cast<uint>()));
            Assert.Equal(0u, absent);
            Assert.Equal(-EFAULT, PutUserUnchecked(1u, (p + sim.PageSize).Cast<uint>()));
            PreemptEnable();
        });
        Assert.Equal(PageState.NotPresent, sim.Mm.GetPageState(p + sim.PageSize));
        sim.AssertNoReports();
    }

    [Fact]
    public void GetUserOutsideAtomicContextFaultsSilently()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Run(() => Assert.Equal(0, GetUser(out uint _, p.Cast<uint>())));
        sim.AssertNoReports();
    }

    [Fact]
    public void AUaccessWhileHoldingTheMmapLockForWriteIsAReportedSelfDeadlock()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        int result = sim.RunRaw(() =>
        {
            MmapWriteLock(sim.Mm);
            var to = new byte[4];
            _ = CopyFromUser(to, p);
            MmapWriteUnlock(sim.Mm);
            return 0;
        });

        // might_fault() warns first; the real fault then waits for the lock it holds.
        Assert.Equal(TaskStruct.Killed, result);
        Assert.All(sim.Machine.Reports, r => Assert.Equal(ReportKind.Deadlock, r.Kind));
        Assert.Equal(ReportKind.Deadlock, sim.Task.Oops!.Kind);
        Assert.Contains("mmap_lock", sim.Task.Oops.Message);
        Assert.False(sim.Mm.MmapLock.IsHeldByCurrent);
    }

    [Fact]
    public void AFaultWithTheMmapLockDroppedFirstIsSilent()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Run(() =>
        {
            MmapWriteLock(sim.Mm);
            MmapWriteUnlock(sim.Mm);
            var to = new byte[4];
            Assert.Equal(0, CopyFromUser(to, p));
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void StrncpyFromUserReturnsTheLengthOrTheBufferSizeOrEfault()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Mm.Munmap(p + sim.PageSize, (ulong)sim.PageSize);
        sim.Mm.UserWrite(p, "hello\0world"u8);
        var nearEnd = p + (sim.PageSize - 3);
        sim.Mm.UserWrite(nearEnd, "ab\0"u8);
        sim.Run(() =>
        {
            var dst = new byte[16];
            Assert.Equal(5, StrncpyFromUser(dst, p));
            Assert.Equal("hello\0"u8.ToArray(), dst.Take(6));
            Assert.Equal(3, StrncpyFromUser(dst.AsSpan(0, 3), p));
            Assert.Equal(0, StrncpyFromUser(Span<byte>.Empty, p));
            Assert.Equal(2, StrncpyFromUser(dst, nearEnd));
            Assert.Equal(-EFAULT, StrncpyFromUser(dst, p + sim.PageSize));
        });

        // Without its NUL the string runs into the unmapped page: -EFAULT, not a short length.
        sim.Mm.UserWrite(nearEnd + 2, "c"u8);
        sim.Run(() => Assert.Equal(-EFAULT, StrncpyFromUser(new byte[16], nearEnd)));
    }

    [Fact]
    public void StrncpyFromUserStopsAtTheUserLimit()
    {
        var sim = new Sim();
        var top = new UserPtr(sim.Arch.TaskSize - 4);
        sim.Mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed, new UserPtr(sim.Arch.TaskSize - 4096));
        sim.Mm.UserWrite(top, "abcd"u8);
        sim.Run(() =>
        {
            var dst = new byte[8];
            Assert.Equal(-EFAULT, StrncpyFromUser(dst, top));
            Assert.Equal(4, StrncpyFromUser(dst.AsSpan(0, 4), top));
        });
    }

    [Fact]
    public void ClearUserZeroesAndReturnsTheBytesNotCleared()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 32, 0xFF);
        sim.Run(() =>
        {
            Assert.Equal(0, ClearUser(p + 4, 8));
            Assert.Equal(0, ClearUser(p, 0));
        });
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF }, sim.Read(p, 13));
    }

    [Fact]
    public void CopiesFaultInSwappedOutAndZeroPagesAndBreakCow()
    {
        var sim = new Sim();
        var p = sim.Map(2);
        sim.Fill(p, 8, 3);
        sim.Mm.SwapOut(p, (ulong)sim.PageSize);
        sim.Run(() =>
        {
            var to = new byte[8];
            Assert.Equal(0, CopyFromUser(to, p));
            Assert.All(to, b => Assert.Equal(3, b));
            Assert.Equal(0, CopyFromUser(to, p + sim.PageSize));
            Assert.Equal(PageState.ZeroPage, sim.Mm.GetPageState(p + sim.PageSize));
            Assert.Equal(0, CopyToUser(p + sim.PageSize, new byte[] { 9 }));
            Assert.Equal(PageState.Writable, sim.Mm.GetPageState(p + sim.PageSize));
        });
        sim.AssertNoReports();
    }

    [Fact]
    public void APoisonedPageFailsKernelCopiesToo()
    {
        var sim = new Sim();
        var p = sim.Map(1);
        sim.Fill(p, 8, 3);
        sim.Mm.Poison(p);
        sim.Run(() =>
        {
            var to = new byte[8];
            Assert.Equal(8, CopyFromUser(to, p));
            Assert.Equal(-EFAULT, PutUser(1, p.Cast<int>()));
        });
    }

    [Fact]
    public void ReadOnlyMappingsRefuseWritesAndAcceptReads()
    {
        var sim = new Sim();
        var p = sim.Map(1, Prot.Read);
        sim.Run(() =>
        {
            Assert.Equal(0, GetUser(out int _, p.Cast<int>()));
            Assert.Equal(-EFAULT, PutUser(1, p.Cast<int>()));
            Assert.Equal(4, CopyToUser(p, new byte[4]));
        });
    }
}
