using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace LossDsl.Benchmarks;

/// <summary>
/// The compiled-code yardstick: focal.c (torchvision's focal loss, forward and backward in one loop) built here with
/// <c>gcc -O3 -march=native -ffast-math -fopenmp</c>, so glibc's vector <c>expf</c>/<c>log1pf</c> come in, and called
/// through a function pointer. Its OpenMP runtime is libtorch's: the .so asks for <c>libgomp.so.1</c>, the soname of
/// the libgomp libtorch already loaded.
/// </summary>
internal sealed unsafe class CFocal
{
    /// <summary>The compiler and flags, as the tables state them.</summary>
    public const string Flags = "gcc -O3 -march=native -ffast-math -fopenmp";

    private readonly delegate* unmanaged<float*, float*, float*, long, int, double> _run;

    private CFocal(IntPtr run) => _run = (delegate* unmanaged<float*, float*, float*, long, int, double>)run;

    /// <summary>Builds and loads the loop, or says why not (no gcc, or it failed) in <paramref name="why"/>.</summary>
    public static CFocal? Build(out string why)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Yardstick", "focal.c");
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "yardstick-build")).FullName;
        var library = Path.Combine(folder, $"libfocal-{Environment.ProcessId}.so");
        var arguments = $"{Flags[4..]} -shared -fPIC -o \"{library}\" \"{source}\" -lmvec -lm";
        try
        {
            using var gcc = Process.Start(new ProcessStartInfo("gcc", arguments) { RedirectStandardError = true, UseShellExecute = false })!;
            var errors = gcc.StandardError.ReadToEnd();
            gcc.WaitForExit();
            if (gcc.ExitCode != 0) { why = $"gcc {arguments} failed: {errors}"; return null; }
        }
        catch (System.ComponentModel.Win32Exception) { why = "gcc not found: the C yardstick is skipped"; return null; }
        TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU); // libtorch's libgomp first, so the loop shares it
        var handle = NativeLibrary.Load(library);
        File.Delete(library); // mapped now; nothing left behind
        why = "";
        return new CFocal(NativeLibrary.GetExport(handle, "focal_forward_backward"));
    }

    /// <summary>The mean focal loss of <paramref name="x"/> against <paramref name="y"/>; its gradient into <paramref name="g"/>.</summary>
    public double Run(float* x, float* y, float* g, long n, int threads) => _run(x, y, g, n, threads);
}
