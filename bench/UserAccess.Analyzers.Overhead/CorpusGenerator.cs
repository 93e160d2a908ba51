using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace UserAccess.Analyzers.Overhead;

/// <summary>What the generated corpus is made of.</summary>
internal enum CorpusKind
{
    /// <summary>Every method calls the runtime: the seed patterns, correct and buggy, and helper chains.</summary>
    Dense,

    /// <summary>The mix of real simulator code: most methods never touch an annotated API.</summary>
    Mixed,

    /// <summary>Code of a project that does not reference the runtime at all.</summary>
    Plain,
}

/// <summary>
/// Writes a simulator-code corpus: the seed patterns, correct and buggy, including helper chains
/// that exercise the interprocedural summaries, alone (dense), mixed with code that never touches
/// an annotated API (the analyzers must cost nearly nothing there), or that code alone in a project
/// without the runtime.
/// </summary>
internal static class CorpusGenerator
{
    internal const int MethodsPerFile = 50;

    private static readonly string[] PlainTemplates =
    {
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
        """
            public static string Describe{0}(int errno) => errno switch
            {{
                -14 => "bad address",
                -4 => "interrupted",
                _ => "errno " + errno,
            }};
        """,
        """
            public static int Max{0}(int a, int b, int c) => a > b ? (a > c ? a : c) : (b > c ? b : c);
        """,
    };

    private static readonly string[] RuntimeTemplates =
    {
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
        // A copy in with the count checked against the buffer (correct), then a loop over it.
        """
            public static int Fill{0}(UserPtr from, byte[] buffer, int count)
            {{
                if (count < 0 || count > buffer.Length)
                {{
                    return -EINVAL;
                }}

                if (CopyFromUser(buffer.AsSpan(0, count), from) != 0)
                {{
                    return -EFAULT;
                }}

                int sum = 0;
                for (int i = 0; i < count; i++)
                {{
                    sum += buffer[i];
                }}

                return sum;
            }}
        """,
        // A sleeping call under a mutex (correct) and preemption disabled around plain work (correct).
        """
            public static int Locked{0}(KernelMutex mutex, UserPtr<int> p, int value)
            {{
                mutex.Lock();
                int ret = PutUser(value, p);
                mutex.Unlock();
                PreemptDisable();
                int doubled = value * 2;
                PreemptEnable();
                return ret != 0 ? -EFAULT : doubled;
            }}
        """,
    };

    /// <summary>The source files of a corpus of <paramref name="methods"/> templates.</summary>
    internal static IEnumerable<(string FileName, string Text)> Generate(CorpusKind kind, int methods)
    {
        string[] templates = kind switch
        {
            CorpusKind.Dense => RuntimeTemplates,
            CorpusKind.Plain => PlainTemplates,
            _ => RuntimeTemplates.Concat(PlainTemplates).ToArray(),
        };
        int files = (methods + MethodsPerFile - 1) / MethodsPerFile;
        int index = 0;
        for (int f = 0; f < files; f++)
        {
            var text = new StringBuilder().AppendLine("using System;");
            if (kind != CorpusKind.Plain)
            {
                text.AppendLine("using UserAccess.Runtime;")
                    .AppendLine("using static UserAccess.Runtime.Errno;")
                    .AppendLine("using static UserAccess.Runtime.Kernel;");
            }

            text.AppendLine()
                .AppendLine("namespace Corpus;")
                .AppendLine()
                .AppendLine($"public static class File{f}")
                .AppendLine("{");
            for (int m = 0; m < MethodsPerFile && index < methods; m++, index++)
            {
                text.AppendLine(string.Format(templates[index % templates.Length], index));
            }

            text.AppendLine("}");
            yield return ($"File{f}.cs", text.ToString());
        }
    }

    /// <summary>One file of at least <paramref name="lines"/> lines, the shape an editor analyses alone.</summary>
    internal static string Document(CorpusKind kind, int lines)
    {
        for (int methods = 50; ; methods += 50)
        {
            string single = SingleFile(kind, methods);
            if (single.Split('\n').Length >= lines)
            {
                return single;
            }
        }
    }

    /// <summary>The classes of a corpus in one file, under one set of usings.</summary>
    private static string SingleFile(CorpusKind kind, int methods)
    {
        var files = Generate(kind, methods).Select(f => f.Text).ToList();
        var text = new StringBuilder(files[0].Substring(0, files[0].IndexOf("public static class", System.StringComparison.Ordinal)));
        foreach (string file in files)
        {
            text.Append(file.Substring(file.IndexOf("public static class", System.StringComparison.Ordinal)));
        }

        return text.ToString();
    }
}
