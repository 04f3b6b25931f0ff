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

    /// <summary>One run from seed <paramref name="seed"/>: whether any step's parameter gradients, and logits' gradient, were not finite.</summary>
    private static (bool Parameters, bool Logits) Train(int seed, int steps)
    {
        manual_seed(seed);
        var model = nn.Sequential(
            nn.Conv2d(4, 16, 3, padding: 1), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding: 2, dilation: 2), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding: 4, dilation: 4), nn.ReLU(),
            nn.Conv2d(16, 1, 1));
        var optimizer = optim.Adam(model.parameters(), 1e-3);
        bool parameters = false, logitsBad = false;
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var input = randn(8, 4, 48, 48);
            var target = rand(8, 1, 48, 48).lt(0.03.ToScalar()).to(ScalarType.Float32);
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
