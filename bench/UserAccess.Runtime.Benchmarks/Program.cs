using BenchmarkDotNet.Running;

namespace UserAccess.Runtime.Benchmarks;

/// <summary>Runs the runtime's fast-path benchmarks: <c>dotnet run -c Release -- --filter '*' --job short</c>.</summary>
public static class Program
{
    /// <summary>Entry point: BenchmarkDotNet's switcher, so filters and jobs come from the command line.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
