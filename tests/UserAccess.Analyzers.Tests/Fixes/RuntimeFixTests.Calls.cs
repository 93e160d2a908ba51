using System;
using System.Collections.Generic;
using System.Reflection;
using UserAccess.Runtime;

namespace UserAccess.Analyzers.Tests.Fixes;

/// <summary>One call of a compiled simulator method, as a task on a fresh machine of any backend.</summary>
public partial class RuntimeFixTests
{
    /// <summary>
    /// What one call did: its result (<see cref="TaskStruct.Killed"/> when a dynamic check unwound the
    /// task), its arguments after the call (the <c>out</c> values), the machine's reports, and the
    /// address space to read user memory back from.
    /// </summary>
    private sealed record Call(long Return, object?[] Arguments, IReadOnlyList<Report> Reports, Mm Mm);

    /// <summary>
    /// Calls <paramref name="type"/>.<paramref name="method"/> (returning <c>int</c> or <c>long</c>) as
    /// a task on <paramref name="arch"/>, with the arguments <paramref name="arguments"/> sets up;
    /// reports are recorded, and a wait that blocks for two seconds is a hung task.
    /// </summary>
    private static Call CallOn(Arch arch, Assembly assembly, string type, string method, Func<Mm, object?[]> arguments, Action<TaskStruct>? beforeRun = null, Action<TaskStruct, string>? schedulingPoint = null)
    {
        var machine = new Machine(arch, new MachineOptions { OnReport = ReportAction.Record, HungTaskTimeout = TimeSpan.FromSeconds(2), SchedulingPoint = schedulingPoint });
        var mm = machine.CreateProcess();
        var args = arguments(mm);
        var target = assembly.GetType(type)!.GetMethod(method)!;
        var task = mm.CreateTask("t");
        beforeRun?.Invoke(task);
        long ret = 0;
        int status = task.Run(() =>
        {
            ret = Convert.ToInt64(target.Invoke(null, BindingFlags.DoNotWrapExceptions, null, args, null));
            return 0;
        });
        return new Call(status == TaskStruct.Killed ? TaskStruct.Killed : ret, args, machine.Reports, mm);
    }

    /// <summary>What user space reads at <paramref name="p"/>.</summary>
    private static byte[] UserBytes(Mm mm, UserPtr p, int length)
    {
        var bytes = new byte[length];
        mm.UserRead(p, bytes);
        return bytes;
    }
}
