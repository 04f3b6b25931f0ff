using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using ContactMaps;
using static TorchSharp.torch;

namespace LossDsl.Benchmarks;

/// <summary>
/// One training step of the ContactMaps sample (its <see cref="PairNetwork"/>: 8 channels, 3 residual blocks, on a batch
/// of 8 pair-feature maps; forward, loss, backward, Adam) with the generated loss and with the same loss written by
/// hand, interleaved round by round; medians of the whole step and of the loss's share.
/// </summary>
internal static class TrainingStep
{
    public static void Print(int rounds, int n)
    {
        NativeSettings.DisableOneDnn(); // the sample's setting: oneDNN's float32 convolutions give wrong gradients on some CPUs
        manual_seed(1);
        const int inputChannels = 11;
        var features = randn(8, inputChannels, n, n);
        var target = (rand(8, 1, n, n) < 0.05).to(ScalarType.Float32);
        var hand = Losses.HandComposed("SymmetricTranspose+MaskLower", n);
        using var generated = new SymmetricTransposeMaskLowerLoss();
        var ways = new (string Name, Func<Tensor, Tensor> Loss)[]
        {
            ("generated [Focal][SymmetricTranspose][MaskLower]", logits => generated.call(logits, target)),
            ("the same loss by hand", logits => hand(logits, target)),
        };
        var models = ways.Select(_ => { manual_seed(2); return new PairNetwork(inputChannels, 8, 3); }).ToArray();
        var optimizers = models.Select(m => optim.Adam(m.parameters(), 5e-3)).ToArray();
        var step = ways.ToDictionary(w => w.Name, _ => new List<double>());
        var loss = ways.ToDictionary(w => w.Name, _ => new List<double>());
        for (int round = -3; round < rounds; round++)
            for (int k = 0; k < ways.Length; k++)
            {
                using var scope = NewDisposeScope();
                var watch = Stopwatch.StartNew();
                optimizers[k].zero_grad();
                var logits = models[k].call(features).unsqueeze(1);
                var t0 = watch.Elapsed.TotalMilliseconds;
                var value = ways[k].Loss(logits);
                var gradLogits = autograd.grad(new[] { value }, new[] { logits }, retain_graph: true)[0];
                var t1 = watch.Elapsed.TotalMilliseconds;
                autograd.backward(new[] { logits }, new[] { gradLogits });
                optimizers[k].step();
                if (round < 0) continue;
                step[ways[k].Name].Add(watch.Elapsed.TotalMilliseconds);
                loss[ways[k].Name].Add(t1 - t0);
            }
        Console.WriteLine($"ContactMaps training step: PairNetwork({inputChannels} → 8 channels, 3 blocks) on 8×{inputChannels}×{n}×{n}, loss, backward, Adam; " +
                          $"torch threads {get_num_threads()}, kernel threads {Fused.FusedLoss.MaxThreads}, {LossTable.Allocator()}, medians of {rounds} interleaved rounds (ms)");
        Console.WriteLine();
        Console.WriteLine("| loss | whole step | loss forward + backward |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, _) in ways)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Program.Median(step[name]):F1} | {Program.Median(loss[name]):F2} |"));
    }
}
