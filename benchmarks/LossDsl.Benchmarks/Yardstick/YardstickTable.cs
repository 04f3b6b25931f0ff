using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Benchmarks;

/// <summary>
/// <c>--yardstick [rounds] [N]</c>: the generated <c>[Focal]</c> module forward + backward (the call through the module,
/// autograd, the gradient tensor: every per-call cost) beside the C loop of <see cref="CFocal"/> over the same
/// 8×1×N×N float32 cells, each at 1 and 2 threads, interleaved round by round; first both are checked against each other.
/// </summary>
internal static unsafe class YardstickTable
{
    public static void Print(int rounds, int n)
    {
        var c = CFocal.Build(out var why);
        if (c is null) { Console.WriteLine(why); return; }
        manual_seed(1);
        var x = randn(8, 1, n, n).requires_grad_(true);
        var y = (rand(8, 1, n, n) < 0.05).to(ScalarType.Float32);
        using var focal = new FocalLoss();
        long cells = x.numel();
        // The C loop's own copies, its gradient's pages touched once: it pays no allocation.
        var cx = Copy(x);
        var cy = Copy(y);
        var cg = (float*)NativeMemory.AlignedAlloc((nuint)(cells * sizeof(float)), 64);
        new Span<float>(cg, (int)cells).Clear();
        try
        {
            Check(c, focal, x, y, cx, cy, cg, cells);
            int fusedThreads = Fused.FusedLoss.MaxThreads;
            var ways = new (string Name, Func<double> Run)[]
            {
                ("C loop, 1 thread", () => c.Run(cx, cy, cg, cells, 1)),
                ("[Focal], 1 thread", () => Generated(focal, x, y, 1)),
                ("C loop, 2 threads", () => c.Run(cx, cy, cg, cells, 2)),
                ("[Focal], 2 threads", () => Generated(focal, x, y, 2)),
                ("[Focal], 2 helper threads", () => OnHelpers(() => Generated(focal, x, y, 2))),
            };
            var times = ways.ToDictionary(w => w.Name, _ => new List<double>());
            var load = System.IO.File.ReadAllText("/proc/loadavg").Trim();
            for (int round = -3; round < rounds; round++)
                foreach (var (name, run) in ways)
                {
                    long start = Stopwatch.GetTimestamp();
                    run();
                    if (round >= 0) times[name].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            Fused.FusedLoss.MaxThreads = fusedThreads;
            Console.WriteLine($"8×1×{n}×{n} float32, median of {rounds} interleaved rounds (ms), torch threads {get_num_threads()}, {LossTable.Allocator()}");
            Console.WriteLine($"load before: {load}; after: {System.IO.File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine($"C loop: benchmarks/LossDsl.Benchmarks/Yardstick/focal.c, {CFocal.Flags}");
            Console.WriteLine();
            Console.WriteLine("| threads | C loop | [Focal] fwd+bwd, every per-call cost | C ÷ [Focal], round by round: median (quartiles) |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var threads in new[] { 1, 2 })
            {
                var cTimes = times[$"C loop, {threads} thread{(threads > 1 ? "s" : "")}"];
                var fTimes = times[$"[Focal], {threads} thread{(threads > 1 ? "s" : "")}"];
                Console.WriteLine($"| {threads} | {Program.Median(cTimes):F3} | {Program.Median(fTimes):F3} | {LossTable.Quartiles(cTimes, fTimes)} |");
            }
            var helpers = times["[Focal], 2 helper threads"];
            Console.WriteLine($"| 2, the library's helper threads | {Program.Median(times["C loop, 2 threads"]):F3} | {Program.Median(helpers):F3} | {LossTable.Quartiles(times["C loop, 2 threads"], helpers)} |");
        }
        finally { NativeMemory.AlignedFree(cg); NativeMemory.AlignedFree(cx); NativeMemory.AlignedFree(cy); }
    }

    /// <summary><paramref name="run"/> with passes on the library's helper threads instead of libtorch's OpenMP team.</summary>
    private static double OnHelpers(Func<double> run)
    {
        bool team = Fused.WorkSplit.UseOpenMpTeam;
        Fused.WorkSplit.UseOpenMpTeam = false;
        try { return run(); }
        finally { Fused.WorkSplit.UseOpenMpTeam = team; }
    }

    /// <summary>One forward and backward of the generated module on <paramref name="threads"/> kernel threads.</summary>
    private static double Generated(LossModule focal, Tensor x, Tensor y, int threads)
    {
        Fused.FusedLoss.MaxThreads = threads;
        using var scope = NewDisposeScope();
        var value = focal.call(x, y);
        var gradient = autograd.grad(new[] { value }, new[] { x })[0];
        return value.item<float>() + gradient[0, 0, 0, 0].item<float>();
    }

    /// <summary>The C loop's value and gradient against the fused kernel's: they must agree to float32 rounding.</summary>
    private static void Check(CFocal c, LossModule focal, Tensor x, Tensor y, float* cx, float* cy, float* cg, long cells)
    {
        using var scope = NewDisposeScope();
        double cValue = c.Run(cx, cy, cg, cells, 2);
        var value = focal.call(x, y);
        var gradient = autograd.grad(new[] { value }, new[] { x })[0];
        var cGradient = tensor(new ReadOnlySpan<float>(cg, (int)cells).ToArray()).reshape(x.shape);
        double fused = value.item<float>(), scale = gradient.abs().max().item<float>();
        double gap = (gradient - cGradient).abs().max().item<float>();
        Console.WriteLine(FormattableString.Invariant($"check: value C {cValue:G9}, fused {fused:G9} (relative gap {Math.Abs(cValue - fused) / fused:E1}); gradient max |C − fused| {gap:E1} of max |g| {scale:E1}"));
        if (Math.Abs(cValue - fused) > 1e-5 * fused || gap > 1e-4 * scale) throw new InvalidOperationException("the C loop and the fused kernel disagree");
    }

    private static float* Copy(Tensor t)
    {
        var values = t.detach().data<float>().ToArray();
        var p = (float*)NativeMemory.AlignedAlloc((nuint)(values.Length * sizeof(float)), 64);
        values.AsSpan().CopyTo(new Span<float>(p, values.Length));
        return p;
    }
}
