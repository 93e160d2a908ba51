namespace UserAccess.Runtime;

/// <summary>
/// An architecture backend: what differs between real machines when the kernel touches user memory.
/// Use the ready instances: <see cref="X86_64"/>, <see cref="Arm64"/>, <see cref="Arc"/>,
/// <see cref="PowerPC64BE"/>, <see cref="I386"/>.
/// </summary>
public abstract partial class Arch
{
    /// <summary>x86-64: 4 KiB pages, little-endian, split-lock detection on (#AC for a locked op across a cache line).</summary>
    public static Arch X86_64 { get; } = new X86_64Arch();

    /// <summary>arm64: 4 KiB pages, little-endian, MTE (16-byte granules, 4-bit tags), top-byte-ignore, alignment faults for misaligned atomics.</summary>
    public static Arch Arm64 { get; } = new Arm64Arch();

    /// <summary>ARC (32-bit) without LL/SC: user atomics are emulated with preemption disabled, as <c>sys_arc_usr_cmpxchg</c>.</summary>
    public static Arch Arc { get; } = new ArcArch();

    /// <summary>64-bit big-endian PowerPC with 64 KiB pages.</summary>
    public static Arch PowerPC64BE { get; } = new PowerPC64BEArch();

    /// <summary>i386: 32-bit, no 64-bit user atomics.</summary>
    public static Arch I386 { get; } = new I386Arch();

    /// <summary>The architecture's name as the kernel spells it (<c>x86_64</c>, <c>arm64</c>, ...).</summary>
    public abstract string Name { get; }

    /// <summary>Bytes per page: <c>PAGE_SIZE</c>.</summary>
    public abstract int PageSize { get; }

    /// <summary>log2 of <see cref="PageSize"/>: <c>PAGE_SHIFT</c>.</summary>
    public int PageShift => System.Numerics.BitOperations.Log2((uint)PageSize);

    /// <summary>Whether multi-byte values are stored most significant byte first.</summary>
    public abstract bool IsBigEndian { get; }

    /// <summary><c>BITS_PER_LONG</c>: 32 or 64.</summary>
    public abstract int BitsPerLong { get; }

    /// <summary>The user address limit (<c>TASK_SIZE_MAX</c>): user addresses lie below it.</summary>
    public abstract ulong TaskSize { get; }

    /// <summary>Whether the MMU honours <see cref="Prot.Mte"/> and pointer tags (arm64).</summary>
    public virtual bool HasMte => false;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
