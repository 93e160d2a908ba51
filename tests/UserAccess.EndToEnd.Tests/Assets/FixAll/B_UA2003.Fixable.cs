// A shape the UA2003 fix rewrites, from its CodeFix tests.
using UserAccess.Runtime;
using static UserAccess.Runtime.Kernel;
using static UserAccess.Runtime.Errno;

namespace FixAll.UA2003.Fixable;

public static class Gup
{
    public static void Touch(TaskStruct task, UserPtr uaddr)
    {
        // resolve the fault
        _ = FixupUserFault(task.Mm, uaddr, FaultFlags.Write); // best effort
    }
}
