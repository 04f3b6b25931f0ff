using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using TorchSharp;

namespace LossDsl.Benchmarks;

/// <summary>
/// Every loss and way timed round by round, interleaved, so that a machine busy with other work slows them all alike
/// (and each kernel runs between libtorch ops, as in a training step); prints the medians, then the target ratios taken
/// round by round.
/// </summary>
internal static class LossTable
{
    /// <summary>The ways, in table order: forward and backward first, then the value alone.</summary>
    private static readonly (string Name, Func<LossBenchmarks, Func<double>> Way)[] Ways =
    {
        ("hand-composed", b => b.HandComposed),
        ("composed path", b => b.ComposedPath),
        ("generated", b => b.Generated),
        ("generated bool target", b => b.GeneratedBoolTarget),
        ("generated uint8 target", b => b.GeneratedByteTarget),
        ("generated int64 target", b => b.GeneratedLongTarget),
        ("generated float mask", b => b.GeneratedFloatMask),
        ("hand-composed no_grad", b => b.HandComposedNoGrad),
        ("composed path no_grad", b => b.ComposedPathNoGrad),
        ("generated no_grad", b => b.GeneratedNoGrad),
    };

    /// <summary>Prints the table for maps of <paramref name="n"/>; <paramref name="only"/> (e.g. <c>generated</c>, or a comma-separated list) times those ways alone.</summary>
    public static void Print(int rounds, string? only = null, int n = 512) => Print(Losses.Names, rounds, only, n);

    /// <summary><c>--terms</c>: the region and set terms as generated modules, forward + backward and the value alone.</summary>
    public static void PrintTerms(int rounds, int n = 512) => Print(Losses.TermNames, rounds, "generated,generated no_grad", n);

    private static void Print(string[] losses, int rounds, string? only, int n)
    {
        var picked = only?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        bool Wanted(string way) => picked is null || Array.IndexOf(picked, way) >= 0;
        var runs = new List<(string Loss, string Way, Func<double> Run)>();
        foreach (var loss in losses)
        {
            var b = new LossBenchmarks { Loss = loss, N = n };
            b.Setup();
            foreach (var (name, way) in Ways)
                if (Wanted(name)) runs.Add((loss, name, way(b)));
        }
        var times = runs.ToDictionary(w => (w.Loss, w.Way), _ => new List<double>());
        for (int round = -3; round < rounds; round++)
            foreach (var (loss, way, run) in runs)
            {
                var watch = Stopwatch.StartNew();
                run();
                if (round >= 0) times[(loss, way)].Add(watch.Elapsed.TotalMilliseconds);
            }
        Console.WriteLine($"8×1×{n}×{n} float32, median of {rounds} interleaved rounds (ms), torch threads {torch.get_num_threads()}, " +
                          $"kernel threads {Fused.FusedLoss.MaxThreads}, {Allocator()}");
        Console.WriteLine();
        var shown = Ways.Select(w => w.Name).Where(Wanted).ToList();
        if (shown.Count > 0)
        {
            Console.WriteLine("| loss | " + string.Join(" | ", shown) + " |");
            Console.WriteLine("|---|" + string.Concat(shown.Select(_ => "---:|")));
            foreach (var loss in losses)
                Console.WriteLine($"| {loss} | " + string.Join(" | ", shown.Select(w => Show(Program.Median(times[(loss, w)])))) + " |");
        }
        PrintPaired(losses, times);
        PrintMultiplesOfFocal(losses, times);
    }

    /// <summary>
    /// Each loss's time as a multiple of <c>[Focal]</c>'s, round by round, for the generated ways timed: what a loss
    /// costs above plain focal (for the pair kernels, whose arithmetic is no more than focal's twice, mostly the walk).
    /// </summary>
    private static void PrintMultiplesOfFocal(string[] losses, Dictionary<(string Loss, string Way), List<double>> times)
    {
        var ways = new[] { "generated", "generated no_grad" }.Where(w => times.ContainsKey(("Focal", w))).ToList();
        if (ways.Count == 0 || Array.IndexOf(losses, "Focal") < 0) return;
        Console.WriteLine("\nMultiples of [Focal]'s time, round by round: median (first–third quartile)\n");
        Console.WriteLine("| loss | " + string.Join(" | ", ways.Select(w => w + " ÷ Focal")) + " |");
        Console.WriteLine("|---|" + string.Concat(ways.Select(_ => "---:|")));
        foreach (var loss in losses)
            Console.WriteLine($"| {loss} | " + string.Join(" | ", ways.Select(w => Quartiles(times[(loss, w)], times[("Focal", w)]))) + " |");
    }

    /// <summary>
    /// The ratios the speed targets are stated in, taken round by round: both ways of a ratio ran in the same round,
    /// moments apart, so a slow spell that hits one side hits the other too (the machine's speed drifts by 15–35 %
    /// between sittings).
    /// </summary>
    private static readonly (string Name, string Numerator, string Denominator)[] PairedRatios =
    {
        ("hand ÷ generated", "hand-composed", "generated"),
        ("hand no_grad ÷ generated no_grad", "hand-composed no_grad", "generated no_grad"),
        ("hand ÷ composed", "hand-composed", "composed path"),
        ("float ÷ bool target", "generated", "generated bool target"),
        ("float ÷ uint8 target", "generated", "generated uint8 target"),
    };

    /// <summary>Each paired ratio whose two ways were timed: the median of the per-round ratios, and their quartiles.</summary>
    private static void PrintPaired(string[] losses, Dictionary<(string Loss, string Way), List<double>> times)
    {
        List<double>? Times(string loss, string way) =>
            times.TryGetValue((loss, way), out var t) ? t : null;
        var shown = PairedRatios.Where(r => Times(losses[0], r.Numerator) is not null && Times(losses[0], r.Denominator) is not null).ToList();
        if (shown.Count == 0) return;
        Console.WriteLine("\nPaired ratios, round by round: median (first–third quartile)\n");
        Console.WriteLine("| loss | " + string.Join(" | ", shown.Select(r => r.Name)) + " |");
        Console.WriteLine("|---|" + string.Concat(shown.Select(_ => "---:|")));
        foreach (var loss in losses)
            Console.WriteLine($"| {loss} | " + string.Join(" | ", shown.Select(r => Quartiles(Times(loss, r.Numerator)!, Times(loss, r.Denominator)!))) + " |");
    }

    internal static string Quartiles(List<double> numerator, List<double> denominator)
    {
        var ratios = numerator.Zip(denominator, (a, b) => a / b).OrderBy(r => r).ToList();
        return $"{Show(Program.Median(ratios))} ({Show(ratios[(ratios.Count - 1) / 4])}–{Show(ratios[3 * (ratios.Count - 1) / 4])})";
    }

    /// <summary>A time in ms or a ratio: two decimals below 10, one above.</summary>
    private static string Show(double value) => value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);

    /// <summary>The glibc allocator settings in force, as every benchmark states them.</summary>
    internal static string Allocator()
    {
        var mmap = Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_");
        var trim = Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_");
        return mmap is null && trim is null ? "default allocator" : $"MALLOC_MMAP_THRESHOLD_={mmap ?? "unset"} MALLOC_TRIM_THRESHOLD_={trim ?? "unset"}";
    }
}
