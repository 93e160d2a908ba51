namespace UserAccess.Runtime;

/// <summary>
/// The simulator's soft-lockup watchdog for retry loops: the same user address failing with
/// <c>-EFAULT</c> again and again while fault-in keeps reporting success can never finish
/// (a split-lock #AC, an alignment or tag fault: the page is present, the access still fails).
/// </summary>
internal sealed class LivelockTracker
{
    private ulong lastAddress;
    private int failures;
    private bool faultInSucceededSinceFailure;

    /// <summary>A fault-in or fixup reported success.</summary>
    internal void OnFaultInSucceeded() => faultInSucceededSinceFailure = true;

    /// <summary>An access succeeded: whatever loop was running made progress.</summary>
    internal void OnAccessSucceeded()
    {
        failures = 0;
        faultInSucceededSinceFailure = false;
    }

    /// <summary>An access to <paramref name="address"/> failed with <c>-EFAULT</c>.</summary>
    internal void OnAccessFailed(TaskStruct task, string function, ulong address)
    {
        if (address == lastAddress && faultInSucceededSinceFailure)
        {
            failures++;
        }
        else
        {
            lastAddress = address;
            failures = 1;
        }

        faultInSucceededSinceFailure = false;
        if (failures > task.Machine.Options.LivelockThreshold)
        {
            int count = failures;
            failures = 0;
            throw task.Machine.Log.Fatal(
                ReportKind.Livelock,
                $"watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [{task.Name}:{task.Pid}]\n"
                + $"{function} at 0x{address:x} failed with -EFAULT {count} times while fault-in reported success in between",
                task);
        }
    }
}
