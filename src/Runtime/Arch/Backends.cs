namespace UserAccess.Runtime;

internal sealed partial class X86_64Arch : Arch
{
    public override string Name => "x86_64";
    public override int PageSize => 4096;
    public override bool IsBigEndian => false;
    public override int BitsPerLong => 64;

    // TASK_SIZE_MAX with 4-level paging: the top user page is left unmapped as a guard.
    public override ulong TaskSize => (1UL << 47) - 4096;
}

internal sealed partial class Arm64Arch : Arch
{
    public override string Name => "arm64";
    public override int PageSize => 4096;
    public override bool IsBigEndian => false;
    public override int BitsPerLong => 64;

    // TASK_SIZE_64 with 48-bit VAs.
    public override ulong TaskSize => 1UL << 48;
    public override bool HasMte => true;
}

internal sealed partial class ArcArch : Arch
{
    public override string Name => "arc";
    public override int PageSize => 8192;
    public override bool IsBigEndian => false;
    public override int BitsPerLong => 32;

    // ARC's TASK_SIZE: the kernel lives above 0x6000_0000 (PAGE_OFFSET is 0x8000_0000; the gap is the vmalloc area).
    public override ulong TaskSize => 0x6000_0000UL;
}

internal sealed partial class PowerPC64BEArch : Arch
{
    public override string Name => "powerpc64";
    public override int PageSize => 65536;
    public override bool IsBigEndian => true;
    public override int BitsPerLong => 64;

    // TASK_SIZE_USER64 with the 4 PB user address space of book3s64.
    public override ulong TaskSize => 1UL << 52;
}

internal sealed partial class I386Arch : Arch
{
    public override string Name => "i386";
    public override int PageSize => 4096;
    public override bool IsBigEndian => false;
    public override int BitsPerLong => 32;

    // The 3G/1G split: PAGE_OFFSET 0xC000_0000.
    public override ulong TaskSize => 0xC000_0000UL;
}
