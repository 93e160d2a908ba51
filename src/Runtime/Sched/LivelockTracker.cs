using System.Diagnostics;
using System.Globalization;

namespace UserAccess.Runtime;

/// <summary>
/// The simulator's soft-lockup watchdog for retry loops: the same user address failing with
/// <c>-EFAULT</c> again and again with a fault-in between every two tries can never finish. Either
/// the fault-in keeps reporting success although the access still fails (a split-lock #AC, an
/// alignment or tag fault: the page is present) or the loop ignores that the fault-in failed.
/// A correct loop leaves after the first failed fault-in, so it never repeats here.
/// </summary>
internal sealed class LivelockTracker
{
    private ulong lastAddress;
    private int failures;
    private long firstFailure;
    private bool faultInSinceFailure;
    private bool lastFaultInSucceeded;

    /// <summary>A fault-in or fixup ran; <paramref name="succeeded"/>: it reported success.</summary>
    internal void OnFaultIn(bool succeeded)
    {
        faultInSinceFailure = true;
        lastFaultInSucceeded = succeeded;
    }

    /// <summary>An access succeeded: whatever loop was running made progress.</summary>
    internal void OnAccessSucceeded()
    {
        failures = 0;
        faultInSinceFailure = false;
    }

    /// <summary>An access to <paramref name="address"/> failed with <c>-EFAULT</c>.</summary>
    internal void OnAccessFailed(TaskStruct task, string function, ulong address)
    {
        if (address == lastAddress && faultInSinceFailure)
        {
            failures++;
        }
        else
        {
            lastAddress = address;
            failures = 1;
            firstFailure = Stopwatch.GetTimestamp();
        }

        faultInSinceFailure = false;
        if (failures > task.Machine.Options.LivelockThreshold)
        {
            int count = failures;
            failures = 0;

            // The kernel's watchdog prints how long the CPU was stuck; here that is the wall-clock time
            // the loop spun before the check ended it, which is far below the kernel's threshold.
            double seconds = (Stopwatch.GetTimestamp() - firstFailure) / (double)Stopwatch.Frequency;
            string stuck = seconds.ToString("0.###", CultureInfo.InvariantCulture);
            throw task.Machine.Log.Fatal(
                ReportKind.Livelock,
                $"watchdog: BUG: soft lockup - CPU#0 stuck for {stuck}s! [{task.Name}:{task.Pid}]\n"
                + $"{function} at 0x{address:x} failed with -EFAULT {count} times with a fault-in between every two tries"
                + (lastFaultInSucceeded ? " that reported success" : " whose failure was ignored"),
                task);
        }
    }
}
