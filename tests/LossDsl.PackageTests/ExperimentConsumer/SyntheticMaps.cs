using System;
using System.Linq;
using LossDsl.Experiments;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExperimentConsumer;

/// <summary>
/// Small synthetic data of its own: symmetric 0/1 maps with about 5 % contacts at |i − j| ≥ 6, seen through
/// one noisy, not symmetric input channel and a channel of ones.
/// </summary>
public static class SyntheticMaps
{
    /// <summary>A map of side <paramref name="n"/>: its <c>(2, n, n)</c> input and <c>(n, n)</c> target.</summary>
    public static (float[] Input, float[] Target) Map(int n, Random random)
    {
        var target = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i + 6; j < n; j++)
                if (random.NextDouble() < 0.05) target[i * n + j] = target[j * n + i] = 1;
        var input = new float[2 * n * n];
        for (int k = 0; k < n * n; k++)
        {
            input[k] = target[k] + (float)(0.8 * (random.NextDouble() - 0.5) * 2);
            input[n * n + k] = 1;
        }
        return (input, target);
    }

    /// <summary>A whole map to validate or test on.</summary>
    public static MapSample Sample(string name, int n, Random random)
    {
        var (input, target) = Map(n, random);
        return new MapSample(name, () => tensor(input).reshape(2, n, n), tensor(target).reshape(n, n));
    }

    /// <summary>The data: batches of four 24 × 24 maps, a fixed function of (seed, step); validation and test maps of sides 20 to 31.</summary>
    public static ComparisonData Data(int validation = 4, int test = 8)
    {
        var random = new Random(7);
        return new ComparisonData
        {
            Batches = (seed, step) =>
            {
                var r = new Random(unchecked(seed * 7919 + step));
                var maps = Enumerable.Range(0, 4).Select(_ => Map(24, r)).ToList();
                return new TrainingBatch(tensor(maps.SelectMany(m => m.Input).ToArray()).reshape(4, 2, 24, 24),
                    tensor(maps.SelectMany(m => m.Target).ToArray()).reshape(4, 24, 24));
            },
            Validation = Enumerable.Range(0, validation).Select(k => Sample($"val{k}", 20 + random.Next(12), random)).ToList(),
            Test = Enumerable.Range(0, test).Select(k => Sample($"test{k}", 20 + random.Next(12), random)).ToList(),
            Model = _ => new TinyNetwork(),
        };
    }
}

/// <summary>Two convolutions: <c>(B, 2, N, N)</c> to <c>(B, N, N)</c> logits.</summary>
public sealed class TinyNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _first = nn.Conv2d(2, 4, 3, padding: 1);
    private readonly Conv2d _second = nn.Conv2d(4, 1, 1);

    /// <summary>Creates the network with fresh weights (seeded by the caller).</summary>
    public TinyNetwork() : base(nameof(TinyNetwork)) => RegisterComponents();

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _second.call(nn.functional.relu(_first.call(input))).squeeze(1).MoveToOuterDisposeScope();
    }
}
