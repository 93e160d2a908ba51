using System.Threading.Tasks;
using UserAccess.Analyzers.Tests.Verifiers;
using UserAccess.CodeFixes;
using Xunit;

namespace UserAccess.Analyzers.Tests.UA2002FaultUnderFaultPathLock;

/// <summary>Sources and helpers the code fix tests of this folder share.</summary>
internal static class CopyFixCode
{
    internal const string Usings = FixHarness.Usings + "using System;\nusing UserAccess.Runtime.Annotations;\n";

    /// <summary>The scenario seed (samples/Scenarios/Buggy/GenericPerformWrite.cs): the folio lock is taken in the fault path.</summary>
    internal const string GenericPerformWrite = """
        namespace Sim;

        public static class Filemap
        {
            public static long GenericPerformWrite(SimFile file, long pos, UserPtr buf, long count)
            {
                long chunk = Current.Machine.Arch.PageSize;
                UserPtr from = buf;
                long remaining = count;
                long status = 0;
                long written = 0;

                while (remaining != 0)
                {
                    long offset = pos & (chunk - 1);
                    int bytes = (int)Math.Min(chunk - offset, remaining);
                    int copied;

                    if (FatalSignalPending())
                    {
                        status = -EINTR;
                        break;
                    }

                    // ->write_begin(): find the page-cache folio and lock it
                    Folio folio = file.GetFolio(pos / chunk);
                    status = folio.Lock.LockKillable();
                    if (status != 0)
                    {
                        break;
                    }

                    copied = bytes - CopyFromUser(folio.Data.Slice((int)offset, bytes), from);

                    // ->write_end()
                    folio.Lock.Unlock();

                    if (copied == 0)
                    {
                        status = -EFAULT;
                        break;
                    }

                    pos += copied;
                    written += copied;
                    from += copied;
                    remaining -= copied;
                }

                return written != 0 ? written : status;
            }
        }
        """;
}
