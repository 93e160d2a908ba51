using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace UserAccess.Runtime;

// What the MMU and the user-atomic instructions do differently per architecture. The defaults are
// a plain 64- or 32-bit machine with locked read-modify-write instructions that work on any
// address inside one page; each backend overrides what its hardware does differently.
public abstract partial class Arch
{
    // Host and arch byte orders differ: values are byte-swapped between memory and C#.
    private protected bool SwapsBytes => IsBigEndian == BitConverter.IsLittleEndian;

    /// <summary><c>untagged_addr()</c> as the MMU translates: only arm64 ignores the top byte.</summary>
    internal virtual ulong UntaggedAddress(ulong address) => address;

    /// <summary>Whether the user atomics support a word of <paramref name="size"/> bytes (<c>-EINVAL</c> otherwise).</summary>
    internal virtual bool SupportsUserAtomic(int size) => size == 4 || (size == 8 && BitsPerLong == 64);

    /// <summary>Whether a locked op of <paramref name="size"/> bytes at <paramref name="address"/> traps although the page is present (#AC, alignment fault).</summary>
    internal virtual bool AtomicTraps(ulong address, int size) => false;

    /// <summary>
    /// Runs <paramref name="update"/> atomically on the user word: <c>0</c> with <paramref name="old"/>
    /// the value found, <c>-EFAULT</c> (never faults anything in) or <c>-EAGAIN</c>. By default a
    /// locked instruction (x86 <c>lock cmpxchg</c>, POWER's reservation loop that retries forever).
    /// </summary>
    internal virtual int UserAtomicUpdate(Mm mm, ulong address, int size, AtomicUpdate update, out ulong old)
    {
        old = 0;
        int rc = mm.GetAtomicWord(address, size, out var page, out int offset);
        if (rc != 0)
        {
            return rc;
        }

        while (true)
        {
            var attempt = TryStoreConditional(mm, page, offset, address, size, update, out old);
            if (attempt != StoreOutcome.Lost)
            {
                return 0;
            }
        }
    }

    /// <summary>
    /// <c>probe_subpage_writeable()</c>: the bytes of the <paramref name="size"/> already faulted in
    /// that a sub-page permission (an MTE granule) still refuses; <c>0</c> where there are none.
    /// </summary>
    internal virtual long ProbeSubpageWriteable(Mm mm, ulong address, long size, FaultMode mode) => 0;

    /// <summary>One load-linked / store-conditional round; a lost reservation means the word changed under it.</summary>
    private protected enum StoreOutcome
    {
        Stored,
        NothingToStore,
        Lost,
    }

    private protected StoreOutcome TryStoreConditional(Mm mm, Page page, int offset, ulong address, int size, AtomicUpdate update, out ulong old)
    {
        ref byte at = ref page.Data[offset];
        if (size == 4)
        {
            ref uint word = ref Unsafe.As<byte, uint>(ref at);
            uint raw = Volatile.Read(ref word);
            old = ToHost(raw);
            if (!update(old, out ulong updated))
            {
                return StoreOutcome.NothingToStore;
            }

            mm.StoreExclusiveHook?.Invoke(address);
            return Interlocked.CompareExchange(ref word, ToHost((uint)updated), raw) == raw ? StoreOutcome.Stored : StoreOutcome.Lost;
        }
        else
        {
            ref ulong word = ref Unsafe.As<byte, ulong>(ref at);
            ulong raw = Volatile.Read(ref word);
            old = ToHost(raw);
            if (!update(old, out ulong updated))
            {
                return StoreOutcome.NothingToStore;
            }

            mm.StoreExclusiveHook?.Invoke(address);
            return Interlocked.CompareExchange(ref word, ToHost(updated), raw) == raw ? StoreOutcome.Stored : StoreOutcome.Lost;
        }
    }

    /// <summary>A 32-bit word between the arch's memory order and the host's (the swap is its own inverse).</summary>
    internal uint ToHost(uint value) => SwapsBytes ? BinaryPrimitives.ReverseEndianness(value) : value;

    /// <summary>A 64-bit word between the arch's memory order and the host's.</summary>
    internal ulong ToHost(ulong value) => SwapsBytes ? BinaryPrimitives.ReverseEndianness(value) : value;

    /// <summary>A word of <paramref name="size"/> (4 or 8) bytes of user memory as a value.</summary>
    internal ulong LoadWord(ReadOnlySpan<byte> bytes, int size) =>
        size == 4 ? ToHost(MemoryMarshal.Read<uint>(bytes)) : ToHost(MemoryMarshal.Read<ulong>(bytes));

    /// <summary>A value as a word of <paramref name="size"/> (4 or 8) bytes of user memory.</summary>
    internal void StoreWord(Span<byte> bytes, int size, ulong value)
    {
        if (size == 4)
        {
            uint narrow = ToHost((uint)value);
            MemoryMarshal.Write(bytes, in narrow);
        }
        else
        {
            ulong wide = ToHost(value);
            MemoryMarshal.Write(bytes, in wide);
        }
    }

    /// <summary>
    /// A C# value from user-memory bytes in the arch's byte order: a scalar (integer, float, enum)
    /// is byte-swapped on a big-endian arch, and so is every scalar field of a struct, as the
    /// kernel's own struct would be laid out there.
    /// </summary>
    internal T ReadValue<T>(ReadOnlySpan<byte> bytes) where T : unmanaged
    {
        if (SwapsBytes && bytes.Length > 1)
        {
            Span<byte> swapped = stackalloc byte[bytes.Length];
            bytes.CopyTo(swapped);
            SwapFields(swapped, ByteOrderPlan.For(typeof(T)));
            return MemoryMarshal.Read<T>(swapped);
        }

        return MemoryMarshal.Read<T>(bytes);
    }

    /// <summary>A C# value into user-memory bytes in the arch's byte order (scalars and the scalar fields of structs).</summary>
    internal void WriteValue<T>(Span<byte> bytes, T value) where T : unmanaged
    {
        MemoryMarshal.Write(bytes, in value);
        if (SwapsBytes)
        {
            SwapFields(bytes, ByteOrderPlan.For(typeof(T)));
        }
    }

    private static void SwapFields(Span<byte> bytes, (int Offset, int Size)[] plan)
    {
        foreach (var (offset, size) in plan)
        {
            bytes.Slice(offset, size).Reverse();
        }
    }

    // Where the multi-byte scalars of a type lie: the value itself for a scalar, each field
    // (recursively) for a struct. Computed once per type.
    private static class ByteOrderPlan
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (int Offset, int Size)[]> Plans = new();

        internal static (int Offset, int Size)[] For(Type type) => Plans.GetOrAdd(type, Build);

        private static (int Offset, int Size)[] Build(Type type)
        {
            var plan = new System.Collections.Generic.List<(int, int)>();
            // Marshal.OffsetOf() is the managed offset only for blittable fields: a struct holding
            // a bool or a char anywhere is left in host order rather than swapped at wrong offsets.
            if (!IsBlittable(type))
            {
                return plan.ToArray();
            }

            Add(type, 0, plan);
            return plan.ToArray();
        }

        private static bool IsBlittable(Type type)
        {
            if (type == typeof(bool) || type == typeof(char))
            {
                return false;
            }

            if (type.IsPrimitive || type.IsEnum)
            {
                return true;
            }

            foreach (var field in type.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic))
            {
                if (!IsBlittable(field.FieldType))
                {
                    return false;
                }
            }

            return true;
        }

        private static void Add(Type type, int offset, System.Collections.Generic.List<(int, int)> plan)
        {
            if (type.IsEnum)
            {
                type = Enum.GetUnderlyingType(type);
            }

            if (type.IsPrimitive)
            {
                int size = Marshal.SizeOf(type);
                if (size > 1)
                {
                    plan.Add((offset, size));
                }

                return;
            }

            foreach (var field in type.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic))
            {
                // A fixed-size buffer is bytes as the struct declares them: left as they are.
                if (field.IsDefined(typeof(System.Runtime.CompilerServices.FixedBufferAttribute), false))
                {
                    continue;
                }

                Add(field.FieldType, offset + (int)Marshal.OffsetOf(type, field.Name), plan);
            }
        }
    }
}
