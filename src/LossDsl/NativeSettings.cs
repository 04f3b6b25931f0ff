using System;
using System.Runtime.InteropServices;

namespace LossDsl;

/// <summary>
/// Process-wide settings of libtorch's native code and of the C allocator under it: the remedy for NaN gradients in
/// float32 convolution training, and for slow training steps (docs/runtime.md, "Troubleshooting").
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
    /// outputs and gradients match float64 to 1e-6; the convolutions can be slower (docs/runtime.md, "Troubleshooting").
    /// </remarks>
    public static bool DisableOneDnn() =>
        WithContext(context =>
        {
            SetUserEnabledMkldnn(context, false);
            return !UserEnabledMkldnn(context);
        }, unreachable: false);

    /// <summary>Whether libtorch uses oneDNN (its default); true where the setting cannot be read.</summary>
    public static bool OneDnnEnabled => WithContext(UserEnabledMkldnn, unreachable: true);

    /// <summary>
    /// Turns libtorch's NNPACK off for the rest of the process (PyTorch's <c>torch.backends.nnpack.set_flags(False)</c>).
    /// On a CPU NNPACK does not support, libtorch tries it at every convolution and writes "Could not initialize
    /// NNPACK! Reason: Unsupported hardware." to the error stream each time before it falls back. Returns whether NNPACK
    /// is off now (false where the setting cannot be reached, as for <see cref="DisableOneDnn"/>).
    /// </summary>
    public static bool DisableNnpack() =>
        WithContext(context =>
        {
            SetUserEnabledNnpack(context, false);
            return !UserEnabledNnpack(context);
        }, unreachable: false);

    /// <summary>
    /// Keeps memory that libtorch frees in the process for its next tensors, instead of handing it back to the kernel:
    /// glibc's malloc then serves blocks up to 32 MB from its heap (<c>M_MMAP_THRESHOLD</c>) and trims the heap only
    /// past 1 GB free (<c>M_TRIM_THRESHOLD</c>), as <c>MALLOC_MMAP_THRESHOLD_</c> and <c>MALLOC_TRIM_THRESHOLD_</c>
    /// would at start-up. A training step allocates its activations afresh each time; where the kernel is slow to hand
    /// out pages (virtual machines), faulting them in can cost more than the arithmetic. Returns whether both settings
    /// took: false off Linux and where the C library is not glibc.
    /// </summary>
    public static bool RetainFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return MallocOption(MallocMmapThreshold, 32 << 20) == 1 & MallocOption(MallocTrimThreshold, 1 << 30) == 1; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    private const int MallocTrimThreshold = -1, MallocMmapThreshold = -3; // glibc's malloc.h: M_TRIM_THRESHOLD, M_MMAP_THRESHOLD

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallocOption(int parameter, int value);

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

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);
}
