using System;
using System.Runtime.InteropServices;

namespace ContactMaps;

/// <summary>Process-wide settings for libtorch's native code, applied before the first convolution.</summary>
public static class NativeSettings
{
    /// <summary>Whether <see cref="Apply"/> turned oneDNN off.</summary>
    public static bool OneDnnDisabled { get; private set; }

    /// <summary>
    /// Turns libtorch's oneDNN (MKL-DNN) convolutions off, so that float32 convolutions run on libtorch's own
    /// im2col + GEMM path (PyTorch's <c>torch.backends.mkldnn.enabled = False</c>, which TorchSharp does not expose).
    /// </summary>
    /// <remarks>
    /// On the AVX-512 machine this experiment was built on (an AMD EPYC, 2 cores, in a sandbox), oneDNN's kernels in
    /// TorchSharp 0.107's libtorch gave wrong float32 convolutions. Checked against float64 (which does not use oneDNN)
    /// on 108 shapes (8–24 channels, dilation 1–4, 48–80 pixels, batch 8): the default AVX-512 kernels gave NaN or
    /// garbage gradients in 72 shapes, AVX2 kernels (<c>DNNL_MAX_CPU_ISA=AVX2</c>) errors up to 58 % in 27, AVX
    /// kernels wrong outputs in 18; SSE4.1 kernels were right but 3–6× slower. With oneDNN off, every output and
    /// gradient matched to 1e-6, at about the speed of the default kernels. Training on the default kernels went NaN
    /// within a few steps. Only on Linux x64 (the C++ symbols are Itanium-mangled); elsewhere nothing changes, and the
    /// training loop still skips any step whose loss or gradients are not finite.
    /// </remarks>
    public static void Apply()
    {
        if (OneDnnDisabled || !OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        TorchSharp.torch.get_num_threads(); // TorchSharp loads libtorch first, so the call below finds that copy
        try
        {
            var context = GlobalContext();
            SetUserEnabledMkldnn(context, false);
            OneDnnDisabled = !UserEnabledMkldnn(context);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);
}
