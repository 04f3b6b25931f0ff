using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace LossDsl.Fused;

/// <summary>
/// Runs a pass's work items on libtorch's own OpenMP team (libgomp's <c>GOMP_parallel</c>, the call a compiled
/// <c>#pragma omp parallel</c> makes), where libtorch loaded libgomp (Linux). After each parallel libtorch op its
/// worker spins for milliseconds on the other core waiting for the next region, so a thread of ours woken there waits
/// its turn; a region of ours is that next region, and the spinning worker takes its items at once. A region ends at a barrier, so
/// where other processes hold the other core the caller waits for a team thread not yet scheduled even after taking
/// every item itself (benchmarks/yardstick.md); on a free core the thread starts within microseconds.
/// </summary>
internal static unsafe class OpenMpTeam
{
    private static readonly delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void> s_parallel = Find();

    /// <summary>Whether passes run on the OpenMP team (libgomp found in this process; <c>LOSSDSL_OPENMP=0</c> turns it off).</summary>
    public static bool Available => s_parallel != null;

    private static int s_regions;

    /// <summary>How many regions ran (tests check which threads a pass took).</summary>
    internal static int Regions => Volatile.Read(ref s_regions);

    /// <summary>
    /// Whether a region of <paramref name="threads"/> is the size of libtorch's own (<c>torch.get_num_threads()</c>): a
    /// region of another size makes libgomp start or stop pool threads, for our region and again for libtorch's next.
    /// </summary>
    public static bool Fits(int threads) => threads == TorchSharp.torch.get_num_threads();

    /// <summary>Runs <paramref name="split"/>'s items on <paramref name="threads"/> threads of the team, the caller among them; returns when all are done.</summary>
    public static void Run(WorkSplit split, int threads)
    {
        Interlocked.Increment(ref s_regions);
        var handle = GCHandle.Alloc(split);
        try { s_parallel(&Body, (void*)GCHandle.ToIntPtr(handle), (uint)threads, 0); }
        finally { handle.Free(); }
    }

    // Each thread of the team, the caller too: takes items until none is left (WorkSplit.Work records a failure, never throws).
    [UnmanagedCallersOnly]
    private static void Body(void* data) => ((WorkSplit)GCHandle.FromIntPtr((IntPtr)data).Target!).Work();

    /// <summary>GOMP_parallel from the libgomp mapped into this process, if any.</summary>
    private static delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void> Find()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("LOSSDSL_OPENMP") == "0") return null;
        try
        {
            TorchSharp.torch.InitializeDeviceType(TorchSharp.DeviceType.CPU); // libtorch, and with it libgomp, loaded first
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int at = line.IndexOf('/');
                if (at < 0 || !Path.GetFileName(line.AsSpan(at)).StartsWith("libgomp", StringComparison.Ordinal)) continue;
                if (NativeLibrary.TryLoad(line[at..], out var library) && NativeLibrary.TryGetExport(library, "GOMP_parallel", out var parallel))
                    return (delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void>)parallel;
            }
        }
        catch (IOException) { }
        return null;
    }
}
