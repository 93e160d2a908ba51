using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace UserAccess.EndToEnd.Tests.Infrastructure;

/// <summary>The result of one `dotnet` run: the command line, the exit code and stdout+stderr interleaved.</summary>
public sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>Everything a developer needs to see when an assertion on this run fails.</summary>
    public string Describe() =>
        $"$ {CommandLine}\n  (in {WorkingDirectory}; exit code {ExitCode}; {Elapsed.TotalSeconds:F1} s)\n{Output}";
}

/// <summary>Runs the `dotnet` CLI as a child process with a timeout, no build servers and captured output.</summary>
public static class DotNet
{
    /// <summary>Environment variables that `dotnet test` sets for its own MSBuild and that must not leak into a nested build.</summary>
    private static readonly string[] InheritedMsBuildVariables =
    {
        "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly",
        "MSBUILDNOINPROCNODE", "_MSBUILDTLENABLED",
    };

    public static string HostPath =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static ProcessResult Run(string workingDirectory, TimeSpan timeout, IEnumerable<string> arguments) =>
        RunProcess(HostPath, "dotnet", workingDirectory, timeout, arguments, null);

    /// <summary>
    /// Runs <paramref name="fileName"/> (dotnet, or a shell that runs dotnet) with the environment every
    /// nested build here gets, plus <paramref name="environment"/>, and collects its output.
    /// </summary>
    public static ProcessResult RunProcess(string fileName, string displayName, string workingDirectory, TimeSpan timeout, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (string name in InheritedMsBuildVariables)
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // No process may outlive the run: no MSBuild nodes, no MSBuild server, no compiler server.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        // The repository's CI marks itself; a nested build of a user's project is not CI.
        start.Environment.Remove("TF_BUILD");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        string commandLine = displayName + " " + string.Join(" ", start.ArgumentList);
        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited just now.
            }
            process.WaitForExit(10_000);
            string partial;
            lock (output) { partial = output.ToString(); }
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s:\n$ {commandLine}\n  (in {workingDirectory})\n{partial}");
        }
        // The child has exited; only the untimed wait also waits for the end of its redirected output.
        // Bounded all the same, in case a grandchild still holds the pipes (build servers are off above).
        System.Threading.Tasks.Task.Run(() => process.WaitForExit()).Wait(TimeSpan.FromSeconds(30));
        stopwatch.Stop();
        string text;
        lock (output) { text = output.ToString(); }
        return new ProcessResult(commandLine, workingDirectory, process.ExitCode, text, stopwatch.Elapsed);
    }

    public static ProcessResult Run(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Run(workingDirectory, timeout, (IEnumerable<string>)arguments);
}
