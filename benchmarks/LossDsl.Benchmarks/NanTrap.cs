using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Benchmarks;

/// <summary>
/// <c>--nan-trap [runs] [on|off] [steps]</c>: how many float32 training runs of a small Conv2d network get NaN parameter
/// gradients, with libtorch's oneDNN on (its default) or off (<see cref="NativeSettings.DisableOneDnn"/>). The loss is
/// TorchSharp's own <c>binary_cross_entropy_with_logits</c>: no LossDsl type takes part.
/// </summary>
internal static class NanTrap
{
    /// <summary>Input channels of the trap's network: <c>--onednn-shapes</c> finds oneDNN's gradients wrong with 17 (RnaPairs' features), right with 4 and 8.</summary>
    private const int InputChannels = 17;

    /// <summary>The maps' side: 17→16 channels at dilation 2 gave NaN weight gradients at 64, wrong ones at 48 and 80.</summary>
    private const int Side = 64;

    public static void Print(int runs, bool oneDnn, int steps)
    {
        if (!oneDnn && !NativeSettings.DisableOneDnn()) Console.WriteLine("oneDNN could not be turned off here");
        int nanRuns = 0, nanLogitRuns = 0;
        for (int run = 0; run < runs; run++)
        {
            var (parameters, logits) = Train(run, steps);
            if (parameters) nanRuns++;
            if (logits) nanLogitRuns++;
            Console.Error.WriteLine($"run {run + 1}: {(parameters ? "NaN" : "finite")}");
        }
        Console.WriteLine($"oneDNN {(NativeSettings.OneDnnEnabled ? "on" : "off")}: {nanRuns}/{runs} runs with NaN parameter gradients " +
                          $"({nanLogitRuns}/{runs} with non-finite logits.grad), float32, {steps} Adam steps each, torch threads {get_num_threads()}");
    }

    /// <summary>
    /// <c>--onednn-shapes [on|off]</c>: float32 Conv2d weight gradients against float64's (which never use oneDNN) over
    /// 108 shapes (8–24 channels, dilation 1–4, 48–80 pixels, batch 8); prints how many are NaN or off by more than 1e-3.
    /// </summary>
    public static void Shapes(bool oneDnn)
    {
        if (!oneDnn && !NativeSettings.DisableOneDnn()) Console.WriteLine("oneDNN could not be turned off here");
        int shapes = 0, nan = 0, wrong = 0;
        double worst = 0;
        foreach (var channels in new[] { 8, 16, 24 })
            foreach (var dilation in new[] { 1, 2, 3, 4 })
                foreach (var size in new[] { 48, 64, 80 })
                    foreach (var input in new[] { 4, 8, 17 })
                    {
                        using var scope = NewDisposeScope();
                        manual_seed(shapes++);
                        using var conv = nn.Conv2d(input, channels, 3, padding: dilation, dilation: dilation);
                        var x = randn(8, input, size, size, dtype: ScalarType.Float64);
                        var error = ConvolutionCheck.Float32WeightGradientError(conv, x);
                        var shape = $"{input}→{channels} channels, dilation {dilation}, {size}×{size}";
                        if (double.IsNaN(error)) { nan++; Console.Error.WriteLine(shape + ": NaN"); continue; }
                        worst = Math.Max(worst, error);
                        if (error > 1e-3) { wrong++; Console.Error.WriteLine($"{shape}: off by {error:G2}"); }
                    }
        Console.WriteLine($"oneDNN {(NativeSettings.OneDnnEnabled ? "on" : "off")}: of {shapes} float32 Conv2d shapes, {nan} with NaN weight gradients, " +
                          $"{wrong} more off float64 by over 1e-3 (largest finite relative error {worst:G2}); torch threads {get_num_threads()}");
    }

    /// <summary>One run from seed <paramref name="seed"/>: whether any step's parameter gradients, and logits' gradient, were not finite.</summary>
    private static (bool Parameters, bool Logits) Train(int seed, int steps)
    {
        manual_seed(seed);
        var model = nn.Sequential(
            nn.Conv2d(InputChannels, 16, 3, padding: 2, dilation: 2), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding: 2, dilation: 2), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding: 4, dilation: 4), nn.ReLU(),
            nn.Conv2d(16, 1, 1));
        var optimizer = optim.Adam(model.parameters(), 1e-3);
        bool parameters = false, logitsBad = false;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var input = randn(8, InputChannels, Side, Side);
            var target = rand(8, 1, Side, Side).lt(0.03.ToScalar()).to(ScalarType.Float32);
            optimizer.zero_grad();
            var logits = model.call(input);
            logits.retain_grad();
            var loss = nn.functional.binary_cross_entropy_with_logits(logits, target);
            loss.backward();
            logitsBad |= !logits.grad!.isfinite().all().item<bool>();
            if (model.parameters().Any(p => p.grad is { } g && !g.isfinite().all().item<bool>())) { parameters = true; break; }
            optimizer.step();
        }
        model.Dispose();
        return (parameters, logitsBad);
    }
}
