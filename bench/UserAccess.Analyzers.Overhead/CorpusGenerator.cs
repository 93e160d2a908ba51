using System.Collections.Generic;
using System.Text;

namespace UserAccess.Analyzers.Overhead;

/// <summary>
/// Writes a simulator-code corpus with the mix of real code: most methods never touch an annotated
/// API (the analyzers must cost nearly nothing there), the rest are the seed patterns, correct and
/// buggy, including helper chains that exercise the interprocedural summaries.
/// </summary>
internal static class CorpusGenerator
{
    internal const int MethodsPerFile = 50;

    private static readonly string[] Templates =
    {
        // Plain arithmetic: no annotated call at all.
        """
            public static int Checksum{0}(int[] data)
            {{
                int sum = 0;
                foreach (int d in data)
                {{
                    sum = unchecked(sum * 31 + d);
                }}

                return sum;
            }}
        """,
        """
            public static long Scale{0}(long value, int shift) => shift >= 0 ? value << shift : value >> -shift;
        """,
        // The canonical retry-on-EFAULT loop (correct).
        """
            public static int Xchg{0}(UserPtr<uint> uaddr, uint newval, out uint oldval)
            {{
                int ret;
                oldval = 0;
                if ((uaddr.Address & (sizeof(uint) - 1)) != 0)
                {{
                    return -EINVAL;
                }}

                while (true)
                {{
                    PagefaultDisable();
                    ret = XchgUserInatomic(uaddr, newval, out oldval);
                    PagefaultEnable();
                    if (ret != -EFAULT)
                    {{
                        break;
                    }}

                    if (FatalSignalPending())
                    {{
                        ret = -EINTR;
                        break;
                    }}

                    ret = FaultInUserWriteable(uaddr);
                    if (ret != 0)
                    {{
                        break;
                    }}
                }}

                return ret;
            }}
        """,
        // A copy while holding the mmap lock (UA2002) and a bytes-not-copied misread (UA5002).
        """
            public static int Report{0}(Mm mm, UserPtr to, byte[] data)
            {{
                MmapReadLock(mm);
                int left = CopyToUser(to, data);
                MmapReadUnlock(mm);
                if (left < 0)
                {{
                    return -EFAULT;
                }}

                return 0;
            }}
        """,
        // A helper chain: the outer call sleeps two calls down (interprocedural summaries).
        """
            private static void Lock{0}(Mm mm) => MmapReadLock(mm);

            private static void Touch{0}(Mm mm)
            {{
                Lock{0}(mm);
                MmapReadUnlock(mm);
            }}

            public static int Atomic{0}(Mm mm, KernelSpinlock spin)
            {{
                spin.Lock();
                Touch{0}(mm);
                spin.Unlock();
                return 0;
            }}
        """,
        // Checked reads (correct) and an ignored result (UA5001).
        """
            public static int Read{0}(UserPtr<ulong> p, out ulong value)
            {{
                if (GetUser(out value, p) != 0)
                {{
                    return -EFAULT;
                }}

                PutUser(value + 1, p);
                return 0;
            }}
        """,
        """
            public static string Describe{0}(int errno) => errno switch
            {{
                -EFAULT => "bad address",
                -EINTR => "interrupted",
                _ => "errno " + errno,
            }};
        """,
        """
            public static int Max{0}(int a, int b, int c) => a > b ? (a > c ? a : c) : (b > c ? b : c);
        """,
    };

    internal static IEnumerable<(string FileName, string Text)> Generate(int methods)
    {
        int files = (methods + MethodsPerFile - 1) / MethodsPerFile;
        int index = 0;
        for (int f = 0; f < files; f++)
        {
            var text = new StringBuilder()
                .AppendLine("using UserAccess.Runtime;")
                .AppendLine("using static UserAccess.Runtime.Errno;")
                .AppendLine("using static UserAccess.Runtime.Kernel;")
                .AppendLine()
                .AppendLine("namespace Corpus;")
                .AppendLine()
                .AppendLine($"public static class File{f}")
                .AppendLine("{");
            for (int m = 0; m < MethodsPerFile && index < methods; m++, index++)
            {
                text.AppendLine(string.Format(Templates[index % Templates.Length], index));
            }

            text.AppendLine("}");
            yield return ($"File{f}.cs", text.ToString());
        }
    }
}
