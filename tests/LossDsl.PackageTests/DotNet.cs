using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace LossDsl.PackageTests;

/// <summary>The output of one <c>dotnet</c> command.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output, TimeSpan Duration)
{
    /// <summary>The command and its whole output, for assertion messages.</summary>
    public override string ToString() => $"$ {CommandLine}\n(exit code {ExitCode}, {Duration.TotalSeconds:F1} s)\n{Output}";
}

/// <summary>
/// Runs the <c>dotnet</c> on PATH (the one running these tests) as a child process, with a timeout and its
/// output captured, in an environment cleaned of what <c>dotnet test</c> sets for its own build and test host.
/// </summary>
public static class DotNet
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Variables the surrounding <c>dotnet test</c> (MSBuild, VSTest) sets that would steer a nested build or
    /// program: MSBuild's own paths and node settings, the test host's settings. Everything else (DOTNET_CLI_HOME,
    /// DOTNET_ROOT, NUGET_PACKAGES, proxies, ...) is kept.
    /// </summary>
    private static bool Inherited(string name) =>
        !name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        && !name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
        && !name.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase)
        && !name.Equals("DOTNET_STARTUP_HOOKS", StringComparison.OrdinalIgnoreCase)
        && !name.Equals("DOTNET_MODIFIABLE_ASSEMBLIES", StringComparison.OrdinalIgnoreCase)
        && !name.Equals("DOTNET_ADDITIONAL_DEPS", StringComparison.OrdinalIgnoreCase);

    public static CommandResult Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => !Inherited(k)).ToList()) start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No process may outlive the command holding its output pipe open: no reused MSBuild nodes, no MSBuild server.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

        var commandLine = "dotnet " + string.Join(" ", arguments);
        var output = new StringBuilder();
        var stdoutClosed = new TaskCompletionSource();
        var stderrClosed = new TaskCompletionSource();
        void Append(string? line, TaskCompletionSource closed)
        {
            if (line is null) { closed.TrySetResult(); return; }
            lock (output) output.AppendLine(line);
        }

        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data, stdoutClosed);
        process.ErrorDataReceived += (_, e) => Append(e.Data, stderrClosed);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(TimeSpan.FromSeconds(30));
            string partial;
            lock (output) partial = output.ToString();
            throw new TimeoutException($"Timed out after {Timeout.TotalMinutes} min:\n$ {commandLine}\n{partial}");
        }
        // The rest of the output; bounded, in case a grandchild process still holds the pipes.
        Task.WaitAll(new Task[] { stdoutClosed.Task, stderrClosed.Task }, TimeSpan.FromSeconds(30));
        watch.Stop();
        lock (output) return new CommandResult(commandLine, process.ExitCode, output.ToString(), watch.Elapsed);
    }
}
