using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using TorchSharp;

namespace LossDsl.Benchmarks;

/// <summary>
/// A quick second opinion next to BenchmarkDotNet: every loss and way timed round by round, interleaved, so that a
/// machine busy with other work slows them all alike; prints the medians.
/// </summary>
internal static class LossTable
{
    /// <summary>
    /// Prints the table for maps of <paramref name="n"/>; <paramref name="onlyWay"/> (e.g. <c>generated</c>, or a comma-separated
    /// list) times those ways alone, including <c>generated bool</c> (bool target), <c>generated no_grad</c> and
    /// <c>hand-composed no_grad</c>.
    /// </summary>
    public static void Print(int rounds, string? onlyWay = null, int n = 512)
    {
        var ways = new List<(string Loss, string Way, Func<double> Run)>();
        foreach (var loss in Losses.Names)
        {
            var b = new LossBenchmarks { Loss = loss, N = n };
            b.Setup();
            ways.Add((loss, "hand-composed", b.HandComposed));
            ways.Add((loss, "composed path", b.ComposedPath));
            ways.Add((loss, "generated", b.Generated));
            ways.Add((loss, "generated bool", b.GeneratedBoolTarget));
            ways.Add((loss, "generated no_grad", b.GeneratedNoGrad));
            ways.Add((loss, "hand-composed no_grad", b.HandComposedNoGrad));
        }
        var chosen = onlyWay?.Split(',') ?? new[] { "hand-composed", "composed path", "generated" };
        ways.RemoveAll(w => !chosen.Contains(w.Way));
        var times = ways.ToDictionary(w => (w.Loss, w.Way), _ => new List<double>());
        for (int round = -3; round < rounds; round++)
            foreach (var (loss, way, run) in ways)
            {
                var watch = Stopwatch.StartNew();
                run();
                if (round >= 0) times[(loss, way)].Add(watch.Elapsed.TotalMilliseconds);
            }
        Console.WriteLine($"8×1×{n}×{n} float32, forward + backward, median of {rounds} interleaved rounds, torch threads {torch.get_num_threads()}, kernel threads {Fused.FusedLoss.MaxThreads}");
        Console.WriteLine();
        Console.WriteLine("| loss | hand-composed (ms) | composed path (ms) | generated (ms) | hand ÷ generated |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        if (onlyWay is not null)
        {
            foreach (var (loss, way, _) in ways)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {loss} | {way} | {Program.Median(times[(loss, way)]):F2} ms |"));
            return;
        }
        foreach (var loss in Losses.Names)
        {
            double hand = Program.Median(times[(loss, "hand-composed")]), composed = Program.Median(times[(loss, "composed path")]), generated = Program.Median(times[(loss, "generated")]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {loss} | {hand:F1} | {composed:F1} | {generated:F2} | {hand / generated:F1}× |"));
        }
    }
}
