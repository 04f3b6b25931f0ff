using System;
using System.Diagnostics;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// The fused kernels choose their code by the CPU: AVX-512 instructions where there are some, otherwise Vector512
/// as two Vector256 halves. This machine may have AVX-512, so the lane math and the public vectors run a second
/// time in a child test run with AVX-512 switched off (<c>DOTNET_EnableAVX512=0</c>).
/// </summary>
public class NarrowLaneTests
{
    private const string Switch = "DOTNET_EnableAVX512";

    /// <summary>
    /// In the child run (the switch set), that the switch took, else it would test the wide code twice: a precondition
    /// of every <see cref="LaneMathTests"/> test, so the child fails, and with it the parent's test, if it did not.
    /// </summary>
    internal static void RequireTheSwitchTookInTheChildRun()
    {
        if (Environment.GetEnvironmentVariable(Switch) != "0") return;
        Assert.False(Avx512F.IsSupported, Switch + "=0 did not turn AVX-512 off");
        Assert.False(Vector512.IsHardwareAccelerated, Switch + "=0 did not turn Vector512 acceleration off");
    }

    [Fact]
    public async System.Threading.Tasks.Task LaneMathAndVectorsPassWithoutAvx512()
    {
        // The child's filter leaves this test out; were it run with the switch set, it would start children forever.
        Assert.NotEqual("0", Environment.GetEnvironmentVariable(Switch));
        var assembly = typeof(NarrowLaneTests).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "test", assembly, "--filter", "FullyQualifiedName~LaneMathTests|FullyQualifiedName~VectorTests", "-e", Switch + "=0" })
            start.ArgumentList.Add(a);
        // The surrounding test host's settings would steer the child's.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(10));
        await child.WaitForExitAsync(timeout.Token);
        var text = await output + await errors;
        Assert.True(child.ExitCode == 0, $"child test run with {Switch}=0 failed:\n{text}");
        Assert.Contains("Passed!", text);
    }
}
