namespace UserAccess.Runtime;

/// <summary>
/// Where a fault-injection framework attaches to a task, as the kernel's <c>fail_usercopy</c> and
/// <c>fail-nth</c> attach to <c>current</c>: every user access (a get/put, a copy, an atomic; never
/// a fault-in probe) and every point that may sleep calls in, on the task's own thread.
/// </summary>
internal abstract class TaskHooks
{
    /// <summary>A user access of <paramref name="size"/> bytes at <paramref name="address"/> is about to run; <c>true</c> makes it fail with <c>-EFAULT</c> as if the page had vanished.</summary>
    internal abstract bool BeforeUserAccess(TaskStruct task, ulong address, int size);

    /// <summary>The task reached a point that may sleep or wait (killably or not).</summary>
    internal abstract void AtSleep(TaskStruct task, string function);

    /// <summary>Whether the access must fail: the common case (no hooks) is one null check.</summary>
    internal static bool FailsAccess(TaskStruct task, ulong address, int size) =>
        task.Hooks is { } hooks && hooks.BeforeUserAccess(task, address, size);
}
