using System;
using System.Runtime.InteropServices;

namespace LossDsl;

/// <summary>
/// Process-wide settings of libtorch's native code: the remedy for NaN gradients in float32 convolution training
/// (docs/runtime.md, "Troubleshooting: NaN in float32 training").
/// </summary>
public static class NativeSettings
{
    /// <summary>
    /// Turns libtorch's oneDNN (MKL-DNN) off for the rest of the process, so that float32 convolutions run on libtorch's
    /// own im2col + GEMM path: PyTorch's <c>torch.backends.mkldnn.enabled = False</c>, which TorchSharp does not expose.
    /// Call it once, before the first convolution. Returns whether oneDNN is off now: false where the setting cannot be
    /// reached (only Linux x64 builds of libtorch export it under the name used here), and nothing changes there.
    /// </summary>
    /// <remarks>
    /// On AVX-512 CPUs, the oneDNN float32 convolutions of TorchSharp 0.107's libtorch gave NaN or wrong gradients for
    /// many shapes, and float32 training of a small Conv2d network went NaN; float64 does not use oneDNN. With oneDNN off,
    /// outputs and gradients match float64 to 1e-6, at about the same speed.
    /// </remarks>
    public static bool DisableOneDnn() =>
        WithContext(context =>
        {
            SetUserEnabledMkldnn(context, false);
            return !UserEnabledMkldnn(context);
        }, unreachable: false);

    /// <summary>Whether libtorch uses oneDNN (its default); true where the setting cannot be read.</summary>
    public static bool OneDnnEnabled => WithContext(UserEnabledMkldnn, unreachable: true);

    /// <summary><paramref name="use"/> of libtorch's global context, or <paramref name="unreachable"/> where it cannot be reached.</summary>
    private static bool WithContext(Func<IntPtr, bool> use, bool unreachable)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return unreachable;
        TorchSharp.torch.get_num_threads(); // TorchSharp loads libtorch first, so the calls below find that copy
        try { return use(GlobalContext()); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return unreachable; }
    }

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);
}
