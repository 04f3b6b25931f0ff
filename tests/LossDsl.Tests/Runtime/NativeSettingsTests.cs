using System;
using System.Runtime.InteropServices;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// <see cref="NativeSettings.DisableOneDnn"/> (docs/runtime.md, "Troubleshooting: NaN in float32 training") turns
/// libtorch's oneDNN off where it can, and float32 convolutions then give float64's gradients.
/// </summary>
public class NativeSettingsTests
{
    [Fact]
    public void DisablingOneDnnLeavesFloat32ConvolutionGradientsAsFloat64Has()
    {
        bool off = NativeSettings.DisableOneDnn();
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64) Assert.True(off);
        Assert.Equal(!off, NativeSettings.OneDnnEnabled);

        using var scope = NewDisposeScope();
        manual_seed(3);
        // 17 input channels: oneDNN's float32 weight gradients were NaN or far off for every such shape (docs/runtime.md).
        using var conv = nn.Conv2d(17, 16, 3, padding: 2, dilation: 2);
        var x = randn(8, 17, 64, 64);
        var error = ConvolutionCheck.Float32WeightGradientError(conv, x);
        Assert.True(error <= 1e-5, $"float32 weight gradient off by {error} (relative to its largest value)");
    }

    [Fact]
    public void NnpackAndTheAllocatorSettingsTakeOnLinux()
    {
        bool linux = OperatingSystem.IsLinux(), x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
        Assert.Equal(linux && x64, NativeSettings.DisableNnpack());
        Assert.Equal(linux, NativeSettings.RetainFreedMemory()); // glibc here; mallopt answers 1 when a setting took
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(2, 4, 3, padding: 1);
        Assert.Equal(new long[] { 1, 4, 8, 8 }, conv.call(randn(1, 2, 8, 8)).shape); // convolutions still run
    }
}
