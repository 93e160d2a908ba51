using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using UserAccess.Runtime;
using static UserAccess.Runtime.Errno;

namespace Scenarios.Harness;

/// <summary>Small helpers the scenarios share: machines, byte order, formatting.</summary>
public static class Sim
{
    /// <summary>The livelock threshold used by every scenario: small, so a spinning loop is caught fast.</summary>
    public const int LivelockThreshold = 64;

    /// <summary>
    /// A machine that records reports (the kernel carries on after a splat) and catches livelocks
    /// early; <paramref name="schedulingPoint"/> forces an interleaving at cond_resched() and friends.
    /// </summary>
    public static Machine NewMachine(Arch arch, Action<TaskStruct, string>? schedulingPoint = null) => new(arch, new MachineOptions
    {
        OnReport = ReportAction.Record,
        LivelockThreshold = LivelockThreshold,
        HungTaskTimeout = TimeSpan.FromSeconds(2),
        SchedulingPoint = schedulingPoint,
    });

    /// <summary>The arch backends by the names the table prints.</summary>
    public static IReadOnlyList<Arch> AllArchs { get; } = new[] { Arch.X86_64, Arch.Arm64, Arch.Arc, Arch.PowerPC64BE, Arch.I386 };

    /// <summary>Finds a backend by its name (<c>x86_64</c>) or its property name (<c>X86_64</c>).</summary>
    public static Arch ArchByName(string name) =>
        AllArchs.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? (name switch
        {
            nameof(Arch.X86_64) => Arch.X86_64,
            nameof(Arch.Arm64) => Arch.Arm64,
            nameof(Arch.Arc) => Arch.Arc,
            nameof(Arch.PowerPC64BE) => Arch.PowerPC64BE,
            nameof(Arch.I386) => Arch.I386,
            _ => throw new ArgumentException($"unknown arch {name}", nameof(name)),
        });

    /// <summary>A value as its <paramref name="size"/> bytes in the arch's byte order.</summary>
    public static byte[] Encode(Arch arch, ulong value, int size)
    {
        var bytes = new byte[8];
        if (arch.IsBigEndian)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes, value << (8 * (8 - size)));
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        }

        return bytes.AsSpan(0, size).ToArray();
    }

    /// <summary>The value of 1, 2, 4 or 8 bytes in the arch's byte order.</summary>
    public static ulong Decode(Arch arch, ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            int b = arch.IsBigEndian ? i : bytes.Length - 1 - i;
            value = (value << 8) | bytes[b];
        }

        return value;
    }

    /// <summary>What the user program reads: <paramref name="length"/> bytes at <paramref name="p"/>.</summary>
    public static byte[] UserRead(Mm mm, UserPtr p, int length)
    {
        var bytes = new byte[length];
        mm.UserRead(p, bytes);
        return bytes;
    }

    /// <summary>What the user program reads, or <c>null</c> where it would get SIGSEGV (an exploration may have unmapped or poisoned the page).</summary>
    public static byte[]? TryUserRead(Mm mm, UserPtr p, int length)
    {
        try
        {
            return UserRead(mm, p, length);
        }
        catch (SegmentationFaultException)
        {
            return null;
        }
    }

    /// <summary>Bytes as hex, in memory order.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary>A kernel return value as the kernel would print it: <c>0</c>, <c>-EFAULT</c>, ...</summary>
    public static string Ret(long ret) => ret switch
    {
        -EPERM => "-EPERM",
        -ENOENT => "-ENOENT",
        -EINTR => "-EINTR",
        -EAGAIN => "-EAGAIN",
        -ENOMEM => "-ENOMEM",
        -EFAULT => "-EFAULT",
        -EBUSY => "-EBUSY",
        -EEXIST => "-EEXIST",
        -EINVAL => "-EINVAL",
        -ENOSYS => "-ENOSYS",
        _ => ret.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The reports as a short list: <c>SleepInAtomic x2, Livelock</c>.</summary>
    public static string Describe(IReadOnlyList<Report> reports)
    {
        if (reports.Count == 0)
        {
            return "no report";
        }

        return string.Join(", ", reports
            .GroupBy(r => r.Kind)
            .Select(g => g.Count() == 1 ? $"{g.Key} report" : $"{g.Key} report x{g.Count()}"));
    }

    /// <summary>The first line of each report, oldest first.</summary>
    public static IReadOnlyList<string> FirstLines(IReadOnlyList<Report> reports) =>
        reports.Select(r => r.Message.Split('\n').FirstOrDefault(l => l.Trim('=', '-', ' ').Length > 0) ?? r.Message).ToArray();

    /// <summary>Kinds of the reports, oldest first.</summary>
    public static IReadOnlyList<ReportKind> Kinds(IReadOnlyList<Report> reports) => reports.Select(r => r.Kind).ToArray();

    /// <summary>
    /// Runs <paramref name="body"/> as <paramref name="task"/> on its own thread and waits up to
    /// <paramref name="watchdog"/>. A task still running then is a hang the simulator did not catch:
    /// <paramref name="unstick"/> is called (from this thread) to let it finish, and the result says
    /// so. Returns the task's result, or <c>null</c> if it hung.
    /// </summary>
    public static int? RunWithWatchdog(TaskStruct task, Func<int> body, TimeSpan watchdog, Action unstick, out bool hung)
    {
        int result = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = task.Run(body);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = $"task {task.Name}",
        };
        thread.Start();
        if (thread.Join(watchdog))
        {
            hung = false;
            if (failure is not null)
            {
                throw new InvalidOperationException($"task {task.Name} threw", failure);
            }

            return result;
        }

        hung = true;
        unstick();
        thread.Join(TimeSpan.FromSeconds(10));
        return null;
    }
}
