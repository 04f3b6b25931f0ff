using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Benchmarks;

/// <summary>
/// How the fused kernel's .NET threads and libtorch's OpenMP threads share the cores in a training step: a small
/// convolution head (libtorch, parallel) produces the logits, the generated loss runs, backward runs through both.
/// Each setting is timed round by round, interleaved; the medians of the whole step and of its parts are printed.
/// </summary>
internal static class ThreadsProbe
{
    public static void Print(int rounds)
    {
        manual_seed(1);
        var features = randn(8, 8, 512, 512);
        var conv = nn.Conv2d(8, 1, 3, padding: 1);
        var y = (rand(8, 1, 512, 512) < 0.05).to(ScalarType.Float32);
        using var loss = new SymmetricTransposeMaskLowerLoss();
        var settings = new (string Name, Action Apply)[]
        {
            ("kernel on 1 thread", () => Fused.FusedLoss.MaxThreads = 1),
            ("kernel on 2 threads", () => Fused.FusedLoss.MaxThreads = 2),
        };
        var parts = new[] { "convolution forward", "loss forward + backward", "convolution backward", "whole step" };
        var times = settings.ToDictionary(s => s.Name, _ => parts.ToDictionary(p => p, _ => new List<double>()));
        for (int round = -3; round < rounds; round++)
            foreach (var (name, apply) in settings)
            {
                apply();
                using var scope = NewDisposeScope();
                conv.zero_grad();
                var watch = Stopwatch.StartNew();
                var logits = conv.forward(features);
                var t1 = watch.Elapsed.TotalMilliseconds;
                var value = loss.call(logits, y);
                var gradLogits = autograd.grad(new[] { value }, new[] { logits }, retain_graph: false)[0];
                var t2 = watch.Elapsed.TotalMilliseconds;
                autograd.backward(new[] { logits }, new[] { gradLogits });
                conv.weight!.grad![0, 0, 0, 0].item<float>();
                var t3 = watch.Elapsed.TotalMilliseconds;
                if (round < 0) continue;
                times[name]["convolution forward"].Add(t1);
                times[name]["loss forward + backward"].Add(t2 - t1);
                times[name]["convolution backward"].Add(t3 - t2);
                times[name]["whole step"].Add(t3);
            }
        Console.WriteLine($"Conv2d(8→1, 3×3) on 8×8×512×512, then [Focal][SymmetricTranspose][MaskLower], torch threads {get_num_threads()}; medians of {rounds} interleaved rounds (ms)");
        Console.WriteLine();
        Console.WriteLine("| setting | " + string.Join(" | ", parts) + " |");
        Console.WriteLine("|---|" + string.Concat(parts.Select(_ => "---:|")));
        foreach (var (name, _) in settings)
            Console.WriteLine($"| {name} | " + string.Join(" | ", parts.Select(p => Program.Median(times[name][p]).ToString("F1", CultureInfo.InvariantCulture))) + " |");
        Fused.FusedLoss.MaxThreads = Environment.ProcessorCount;
    }
}
