using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace UserAccess.Runtime;

// The hit path of the user accesses: a task whose context leaves nothing to report, an access
// inside one present page its software TLB translates (so offset + size lies within the frame's
// bytes, and the reads and writes below need no bounds check). Everything else (a miss, a fault, a tag
// check, atomic context, locks held, fault injection) takes the full path, which does the same
// thing slower and reports what there is to report.
public static partial class Kernel
{
    /// <summary>
    /// The current task when its context lets an access skip the full path: no fault injection
    /// attached and, for an access that is <c>might_fault()</c> with page faults enabled, nothing
    /// <c>might_fault()</c> could report (atomic context, irqs off, a lock held).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TaskStruct? FastPathTask(bool mightFault)
    {
        var task = Scheduler.CurrentOrNull;
        if (task is null || task.Hooks is not null)
        {
            return null;
        }

        if (mightFault && task.PagefaultDisabledCount == 0 && (task.PreemptCount | task.IrqDisableDepth | task.HeldLocks.Count) != 0)
        {
            return null;
        }

        return task;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryGetFast<T>(ulong address, bool mightFault, out T value) where T : unmanaged
    {
        if (FastPathTask(mightFault) is { } task
            && task.Tlb.Translate(address, Unsafe.SizeOf<T>(), write: false, out int offset) is { } data)
        {
            value = task.Tlb.SwapsBytes
                ? task.Machine.Arch.ReadValue<T>(data.AsSpan(offset, Unsafe.SizeOf<T>()))
                : Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(data), offset));
            task.Livelock.OnAccessSucceeded();
            return true;
        }

        value = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryPutFast<T>(ulong address, T value, bool mightFault) where T : unmanaged
    {
        if (FastPathTask(mightFault) is { } task
            && task.Tlb.Translate(address, Unsafe.SizeOf<T>(), write: true, out int offset) is { } data)
        {
            if (task.Tlb.SwapsBytes)
            {
                task.Machine.Arch.WriteValue(data.AsSpan(offset, Unsafe.SizeOf<T>()), value);
            }
            else
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(data), offset), value);
            }

            task.Livelock.OnAccessSucceeded();
            return true;
        }

        return false;
    }

    // A locked exchange of an aligned word on a backend whose user atomics are hardware
    // instructions: one host interlocked exchange, no lock of the simulator's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryXchgFast<T>(ulong address, T newval, out T oldval) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (FastPathTask(mightFault: false) is { } task
            && (size == 4 ? task.Tlb.NativeAtomic4 : size == 8 && task.Tlb.NativeAtomic8)
            && (address & (ulong)(size - 1)) == 0
            && task.Mm.StoreExclusiveHook is null
            && task.Tlb.Translate(address, size, write: true, out int offset) is { } data)
        {
            var arch = task.Machine.Arch;
            ulong word = ToWord(newval);
            ulong old = size == 4
                ? arch.ToHost(Interlocked.Exchange(ref Unsafe.As<byte, uint>(ref data[offset]), arch.ToHost((uint)word)))
                : arch.ToHost(Interlocked.Exchange(ref Unsafe.As<byte, ulong>(ref data[offset]), arch.ToHost(word)));
            oldval = FromWord<T>(old);
            task.Livelock.OnAccessSucceeded();
            return true;
        }

        oldval = default;
        return false;
    }
}
