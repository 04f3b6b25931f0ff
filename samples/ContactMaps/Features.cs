using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ContactMaps;

/// <summary>
/// The network's view of a chain: what it may see, fixed once per chain so that every run trains on the same data.
/// </summary>
/// <param name="Chain">The chain, with its true contact map.</param>
/// <param name="NoisyDistance">Row-major <c>L × L</c>: the distance-like matrix plus symmetric noise, 0 where hidden.</param>
/// <param name="Hidden">Row-major <c>L × L</c>: 1 where the distance channel is hidden (symmetric blocks).</param>
/// <param name="Profile">Row-major <c>L × 3</c>: a noisy loop/helix/strand profile per position.</param>
public sealed record Sample(Chain Chain, float[] NoisyDistance, float[] Hidden, float[] Profile)
{
    /// <summary>Input channels of a pair map: profile of i (3), profile of j (3), distance, hidden, two separation channels, valid.</summary>
    public const int Channels = 11;

    /// <summary>The features of <paramref name="chain"/>: a distance channel with noise of <paramref name="noise"/> Å and a
    /// fraction of about <paramref name="hiddenFraction"/> of the pairs hidden, and a profile that is right about 70 % of the time.</summary>
    public static Sample From(Chain chain, Random random, double noise = 3.0, double hiddenFraction = 0.4)
    {
        int n = chain.Length;
        var noisy = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                var d = chain.Distance[i * n + j] + noise * Gaussian(random);
                noisy[i * n + j] = noisy[j * n + i] = (float)Math.Clamp((d - 8) / 8, -1, 2);
            }

        // Hide symmetric rectangular blocks until about hiddenFraction of the cells are hidden.
        var hidden = new float[n * n];
        double hiddenCells = 0;
        for (int attempt = 0; attempt < 200 && hiddenCells < hiddenFraction * n * n; attempt++)
        {
            int height = random.Next(Math.Max(2, n / 10), Math.Max(3, n / 3)), width = random.Next(Math.Max(2, n / 10), Math.Max(3, n / 3));
            int top = random.Next(0, Math.Max(1, n - height)), left = random.Next(0, Math.Max(1, n - width));
            for (int i = top; i < Math.Min(n, top + height); i++)
                for (int j = left; j < Math.Min(n, left + width); j++)
                    foreach (var cell in new[] { i * n + j, j * n + i })
                        if (hidden[cell] == 0) { hidden[cell] = 1; hiddenCells++; }
        }
        for (int k = 0; k < n * n; k++)
            if (hidden[k] > 0) noisy[k] = 0;

        // Profile: 0.7 on the true class blurred with random mass; sometimes the wrong class wins.
        var profile = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            var weights = new double[3];
            for (int c = 0; c < 3; c++) weights[c] = random.NextDouble();
            weights[(int)chain.Structure[i]] += random.NextDouble() < 0.8 ? 1.4 : 0.2;
            var sum = weights.Sum();
            for (int c = 0; c < 3; c++) profile[i * 3 + c] = (float)(weights[c] / sum);
        }
        return new Sample(chain, noisy, hidden, profile);
    }

    /// <summary>The features of every chain, deterministic in <paramref name="seed"/>.</summary>
    public static List<Sample> From(IEnumerable<Chain> chains, int seed, double noise = 3.0, double hiddenFraction = 0.4)
    {
        var random = new Random(seed);
        return chains.Select(c => From(c, random, noise, hiddenFraction)).ToList();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>A padded batch: features <c>(B, C, N, N)</c>, targets <c>(B, N, N)</c>, validity <c>(B, N, N)</c> bool, lengths <c>(B)</c>.</summary>
public sealed record Batch(Tensor Features, Tensor Targets, Tensor Valid, Tensor Lengths) : IDisposable
{
    /// <summary>
    /// Pads <paramref name="samples"/> to <paramref name="size"/>, or to the longest rounded up to a multiple of 16, and
    /// stacks them. Few distinct sizes keep libtorch from building new convolution kernels for every batch.
    /// </summary>
    public static Batch Of(IReadOnlyList<Sample> samples, int? size = null)
    {
        int b = samples.Count, n = size ?? (samples.Max(s => s.Chain.Length) + 15) / 16 * 16;
        var features = new float[b * Sample.Channels * n * n];
        var targets = new float[b * n * n];
        var lengths = new long[b];
        for (int s = 0; s < b; s++)
        {
            var sample = samples[s];
            int l = sample.Chain.Length;
            lengths[s] = l;
            int Cell(int channel, int i, int j) => ((s * Sample.Channels + channel) * n + i) * n + j;
            for (int i = 0; i < l; i++)
                for (int j = 0; j < l; j++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        features[Cell(c, i, j)] = sample.Profile[i * 3 + c];
                        features[Cell(3 + c, i, j)] = sample.Profile[j * 3 + c];
                    }
                    features[Cell(6, i, j)] = sample.NoisyDistance[i * l + j];
                    features[Cell(7, i, j)] = sample.Hidden[i * l + j];
                    var separation = Math.Abs(i - j);
                    features[Cell(8, i, j)] = Math.Min(separation, 48) / 48f;
                    features[Cell(9, i, j)] = separation is 3 or 4 ? 1 : 0;
                    features[Cell(10, i, j)] = 1;
                    targets[(s * n + i) * n + j] = sample.Chain.Contacts[i * l + j];
                }
        }
        using var scope = NewDisposeScope();
        var lengthTensor = tensor(lengths);
        return new Batch(
            tensor(features).reshape(b, Sample.Channels, n, n).MoveToOuterDisposeScope(),
            tensor(targets).reshape(b, n, n).MoveToOuterDisposeScope(),
            LossDsl.LossMasks.FromLengths(lengthTensor, n).MoveToOuterDisposeScope(),
            lengthTensor.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        Targets.Dispose();
        Valid.Dispose();
        Lengths.Dispose();
    }
}
