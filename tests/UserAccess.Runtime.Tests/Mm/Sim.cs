using System;
using System.Collections.Generic;
using System.Linq;
using UserAccess.Runtime;
using Xunit;

namespace UserAccess.Runtime.Tests;

/// <summary>A machine, one process and one task, recording reports unless told otherwise.</summary>
internal sealed class Sim
{
    public Sim(Arch? arch = null, ReportAction action = ReportAction.Record, int livelockThreshold = 1000, TimeSpan? hungTaskTimeout = null)
    {
        Machine = new Machine(arch ?? Arch.X86_64, new MachineOptions
        {
            OnReport = action,
            LivelockThreshold = livelockThreshold,
            HungTaskTimeout = hungTaskTimeout ?? TimeSpan.FromSeconds(2),
        });
        Mm = Machine.CreateProcess();
        Task = Mm.CreateTask("test");
    }

    public Machine Machine { get; }

    public Mm Mm { get; }

    public TaskStruct Task { get; }

    public Arch Arch => Machine.Arch;

    public int PageSize => Machine.Arch.PageSize;

    /// <summary>Runs <paramref name="body"/> as the task; the task must not be unwound.</summary>
    public void Run(Action body)
    {
        int result = Task.Run(() =>
        {
            body();
            return 0;
        });
        Assert.True(result == 0, $"the task was unwound: {Task.Oops}");
    }

    public int RunRaw(Func<int> body) => Task.Run(body);

    public UserPtr Map(int pages, Prot prot = Prot.Read | Prot.Write, MapFlags flags = MapFlags.Private | MapFlags.Anonymous) =>
        Mm.Mmap((ulong)(pages * PageSize), prot, flags);

    public byte[] Read(UserPtr p, int length)
    {
        var bytes = new byte[length];
        Mm.UserRead(p, bytes);
        return bytes;
    }

    public void Fill(UserPtr p, int length, byte value) => Mm.UserWrite(p, Enumerable.Repeat(value, length).ToArray());

    public void AssertNoReports() => Assert.Empty(Machine.Reports);

    public Report AssertSingleReport(ReportKind kind)
    {
        var report = Assert.Single(Machine.Reports);
        Assert.Equal(kind, report.Kind);
        return report;
    }

    public static IEnumerable<object[]> AllArches() =>
        new[] { Arch.X86_64, Arch.Arm64, Arch.Arc, Arch.PowerPC64BE, Arch.I386 }.Select(a => new object[] { a.Name });

    public static Arch ArchNamed(string name) =>
        new[] { Arch.X86_64, Arch.Arm64, Arch.Arc, Arch.PowerPC64BE, Arch.I386 }.Single(a => a.Name == name);
}
