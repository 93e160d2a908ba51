namespace UserAccess.Runtime.Benchmarks;

/// <summary>What the fast-path benchmarks measure on: a task of a fresh x86-64 process and a u32 in a populated page.</summary>
internal static class BenchProcess
{
    internal static (TaskStruct Task, UserPtr<uint> Word) PresentWord()
    {
        var mm = new Machine(Arch.X86_64).CreateProcess();
        var word = (mm.Mmap(4096, Prot.Read | Prot.Write, MapFlags.Private | MapFlags.Anonymous | MapFlags.Populate) + 128).Cast<uint>();
        return (mm.CreateTask("bench"), word);
    }
}
