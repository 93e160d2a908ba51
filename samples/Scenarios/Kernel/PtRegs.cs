namespace Scenarios;

/// <summary>
/// The part of ARC's <c>struct pt_regs</c> that <c>sys_arc_usr_cmpxchg</c> touches: the saved
/// <c>STATUS32</c> register, whose Z flag tells user space whether the exchange happened.
/// </summary>
public sealed class PtRegs
{
    /// <summary>arch/arc/include/asm/arcregs.h: <c>STATUS_Z_BIT</c> is 11.</summary>
    public const uint STATUS_Z_MASK = 1u << 11;

    /// <summary>The user's <c>STATUS32</c> as saved on syscall entry.</summary>
    public uint Status32 { get; set; }
}
