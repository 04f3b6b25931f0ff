using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using static TorchSharp.torch;

namespace LossDsl.Benchmarks;

/// <summary>
/// <c>--phases LOSS [rounds]</c>: where one generated call's time goes — the forward alone (grad on), forward and
/// backward, the value alone, and the libtorch pieces every call pays (an empty_like of the logits, a scalar tensor).
/// </summary>
internal static class Phases
{
    public static void Print(string loss, int rounds)
    {
        var (x, y, module) = Inputs(loss);
        var parts = new (string Name, Action Run)[]
        {
            ("forward (grad on)", () => { using var s = NewDisposeScope(); module.call(x, y).item<float>(); }),
            ("forward + backward", () => { using var s = NewDisposeScope(); var v = module.call(x, y); autograd.grad(new[] { v }, new[] { x })[0].Dispose(); }),
            ("value (no_grad)", () => { using var s = NewDisposeScope(); using var g = no_grad(); module.call(x, y).item<float>(); }),
            ("empty_like + fill 0", () => { using var s = NewDisposeScope(); empty_like(x).zero_(); }),
            ("scalar tensor", () => { using var s = NewDisposeScope(); tensor(1.0, dtype: ScalarType.Float32).item<float>(); }),
        };
        var times = parts.ToDictionary(p => p.Name, _ => new List<double>());
        for (int round = -3; round < rounds; round++)
            foreach (var (name, run) in parts)
            {
                var watch = Stopwatch.StartNew();
                run();
                if (round >= 0) times[name].Add(watch.Elapsed.TotalMilliseconds);
            }
        Console.WriteLine($"{loss}, 8×1×512×512 float32, median of {rounds} (ms), kernel threads {Fused.FusedLoss.MaxThreads}, {LossTable.Allocator()}");
        foreach (var (name, _) in parts)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-22} {Program.Median(times[name]),8:F3}"));
    }

    /// <summary>
    /// <c>--loop LOSS WAY seconds</c>: one way of one loss again and again, for a profiler to sample. WAY is <c>grad</c>
    /// (forward + backward by autograd.grad), <c>backward</c> (by backward() into x.grad), <c>value</c> (no_grad), or
    /// <c>masked</c> (forward + backward with a float32 0/1 validity mask), or <c>after-torch</c>: the value right after a libtorch op on the same
    /// tensors (<c>x − y</c>), as in a training step, where libtorch's OpenMP worker is still spinning; only the loss is timed.
    /// </summary>
    public static void Loop(string loss, string way, double seconds)
    {
        var (x, y, module) = Inputs(loss);
        var mask = (rand_like(y) < 0.9).to(ScalarType.Float32);
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        long faults = MinorFaults();
        var watch = Stopwatch.StartNew();
        var lossTime = TimeSpan.Zero;
        int calls = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            using var s = NewDisposeScope();
            using var g = way is "grad" or "backward" or "masked" ? null : no_grad();
            if (way == "after-torch") (x - y).Dispose();
            long start = Stopwatch.GetTimestamp();
            if (way == "grad") autograd.grad(new[] { module.call(x, y) }, new[] { x })[0].Dispose();
            else if (way == "masked") autograd.grad(new[] { module.call(x, y, mask) }, new[] { x })[0].Dispose();
            else if (way == "backward") { module.call(x, y).backward(); x.grad!.Dispose(); x.grad = null!; }
            else module.call(x, y).item<float>();
            lossTime += Stopwatch.GetElapsedTime(start);
            calls++;
        }
        process.Refresh();
        double cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        // CPU time as well: on a shared machine it is what the call costs, whatever else runs.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{calls} calls, loss {lossTime.TotalMilliseconds / calls:F3} ms each ({watch.Elapsed.TotalMilliseconds / calls:F3} with the rest), CPU {cpuMs / calls:F3} ms each, {(double)(MinorFaults() - faults) / calls:F0} page faults each"));
    }

    /// <summary>This process's minor page faults so far (Linux), -1 elsewhere.</summary>
    private static long MinorFaults()
    {
        try { return long.Parse(System.IO.File.ReadAllText("/proc/self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7], CultureInfo.InvariantCulture); }
        catch (System.IO.IOException) { return -1; }
    }

    /// <summary>The inputs every mode times: 8×1×512×512 logits (seed 1), 5 % ones, and the generated module.</summary>
    private static (Tensor X, Tensor Y, LossModule Module) Inputs(string loss)
    {
        manual_seed(1);
        var x = randn(8, 1, 512, 512).requires_grad_(true);
        var y = (rand(8, 1, 512, 512) < 0.05).to(ScalarType.Float32);
        return (x, y, Losses.Generated(loss));
    }
}
