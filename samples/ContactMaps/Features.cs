using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ContactMaps;

/// <summary>What the network sees of a chain.</summary>
public enum Inputs
{
    /// <summary>Denoise: a noisy, partly hidden Cβ distance channel and a noisy secondary-structure profile.</summary>
    Denoise,
    /// <summary>Predict: sequence and secondary structure only, no coordinates.</summary>
    Predict,
}

/// <summary>
/// The network's view of a chain, fixed once per chain so that every run sees the same data: per-position features
/// (<c>R × L</c>, put in as the pair <c>[f(i), f(j)]</c>) and pair features (<c>P × L × L</c>).
/// </summary>
/// <param name="Chain">The chain, with its true contact map.</param>
/// <param name="Residue">Row-major <c>R × L</c>: denoise a noisy loop/helix/strand profile (R = 3); predict the one-hot residue (20) and structure (3).</param>
/// <param name="Pair">Row-major <c>P × L × L</c>: denoise the noisy distance (0 where hidden) and the hidden flag (P = 2); predict nothing.</param>
public sealed record Sample(Chain Chain, float[] Residue, float[] Pair)
{
    private const string Residues = "ACDEFGHIKLMNPQRSTVWY";

    /// <summary>Per-position channels <c>R</c>.</summary>
    public static int ResidueChannels(Inputs inputs) => inputs == Inputs.Denoise ? 3 : Residues.Length + 3;

    /// <summary>Pair channels <c>P</c>.</summary>
    public static int PairChannels(Inputs inputs) => inputs == Inputs.Denoise ? 2 : 0;

    /// <summary>Input channels of the network: <c>[f(i), f(j)]</c>, the pair channels, two separation channels and the valid flag.</summary>
    public static int Channels(Inputs inputs) => 2 * ResidueChannels(inputs) + PairChannels(inputs) + 3;

    /// <summary>The features of every chain, deterministic in <paramref name="seed"/>.</summary>
    public static List<Sample> From(IEnumerable<Chain> chains, Inputs inputs, int seed)
    {
        var random = new Random(seed);
        return chains.Select(c => inputs == Inputs.Denoise ? Denoise(c, random) : Predict(c)).ToList();
    }

    /// <summary>Sequence one-hot (20) and structure one-hot (3) per position.</summary>
    public static Sample Predict(Chain chain)
    {
        int n = chain.Length, r = ResidueChannels(Inputs.Predict);
        var residue = new float[r * n];
        for (int i = 0; i < n; i++)
        {
            var aa = Residues.IndexOf(chain.Sequence[i]);
            if (aa >= 0) residue[aa * n + i] = 1;
            residue[(Residues.Length + (int)chain.Structure[i]) * n + i] = 1;
        }
        return new Sample(chain, residue, Array.Empty<float>());
    }

    /// <summary>
    /// The Cβ distance plus symmetric Gaussian noise of <paramref name="noise"/> Å, scaled to <c>(d − 8)/8</c> in
    /// <c>[−1, 2]</c>, with symmetric rectangular blocks hidden until about <paramref name="hiddenFraction"/> of the
    /// cells are; and a profile that puts most weight on the true structure class about 80 % of the time.
    /// </summary>
    public static Sample Denoise(Chain chain, Random random, double noise = 3.0, double hiddenFraction = 0.4)
    {
        int n = chain.Length;
        var pair = new float[2 * n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                var d = chain.Distance(i, j) + noise * Gaussian(random);
                pair[i * n + j] = pair[j * n + i] = (float)Math.Clamp((d - 8) / 8, -1, 2);
            }

        double hiddenCells = 0;
        for (int attempt = 0; attempt < 200 && hiddenCells < hiddenFraction * n * n; attempt++)
        {
            int height = random.Next(Math.Max(2, n / 10), Math.Max(3, n / 3)), width = random.Next(Math.Max(2, n / 10), Math.Max(3, n / 3));
            int top = random.Next(0, Math.Max(1, n - height)), left = random.Next(0, Math.Max(1, n - width));
            for (int i = top; i < Math.Min(n, top + height); i++)
                for (int j = left; j < Math.Min(n, left + width); j++)
                    foreach (var cell in new[] { i * n + j, j * n + i })
                        if (pair[n * n + cell] == 0) { pair[n * n + cell] = 1; pair[cell] = 0; hiddenCells++; }
        }

        var residue = new float[3 * n];
        var weights = new double[3];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++) weights[c] = random.NextDouble();
            weights[(int)chain.Structure[i]] += random.NextDouble() < 0.8 ? 1.4 : 0.2;
            var sum = weights.Sum();
            for (int c = 0; c < 3; c++) residue[c * n + i] = (float)(weights[c] / sum);
        }
        return new Sample(chain, residue, pair);
    }

    /// <summary>The fraction of hidden distance cells (denoise; 0 for predict).</summary>
    public double HiddenFraction => Pair.Length == 0 ? 0 : Pair.Skip(Chain.Length * Chain.Length).Average(h => (double)h);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>A window of a sample: positions <c>Start … Start + Size − 1</c> (the whole chain when <c>Size</c> is its length).</summary>
public readonly record struct Window(Sample Sample, int Start, int Size)
{
    /// <summary>The whole chain.</summary>
    public static Window Whole(Sample sample) => new(sample, 0, sample.Chain.Length);
}

/// <summary>A padded batch: features <c>(B, C, N, N)</c>, targets <c>(B, N, N)</c>, validity <c>(B, N, N)</c> bool, lengths <c>(B)</c>.</summary>
public sealed record Batch(Tensor Features, Tensor Targets, Tensor Valid, Tensor Lengths) : IDisposable
{
    /// <summary>
    /// Stacks square windows (diagonal crops, so each target stays symmetric) padded to <paramref name="size"/>, or to
    /// the longest rounded up to a multiple of 16: few distinct sizes keep libtorch from building new kernels.
    /// </summary>
    public static Batch Of(IReadOnlyList<Window> windows, Inputs inputs, int? size = null)
    {
        int b = windows.Count, n = size ?? (windows.Max(w => w.Size) + 15) / 16 * 16;
        int r = Sample.ResidueChannels(inputs), p = Sample.PairChannels(inputs);
        var residue = new float[b * r * n];
        var pair = new float[b * p * n * n];
        var targets = new float[b * n * n];
        var lengths = new long[b];
        for (int s = 0; s < b; s++)
        {
            var (sample, start, l) = windows[s];
            int full = sample.Chain.Length;
            lengths[s] = l;
            for (int c = 0; c < r; c++)
                Array.Copy(sample.Residue, c * full + start, residue, (s * r + c) * n, l);
            for (int i = 0; i < l; i++)
            {
                for (int c = 0; c < p; c++)
                    Array.Copy(sample.Pair, (c * full + start + i) * full + start, pair, ((s * p + c) * n + i) * n, l);
                for (int j = 0; j < l; j++)
                    targets[(s * n + i) * n + j] = sample.Chain.Contact(start + i, start + j) ? 1 : 0;
            }
        }
        using var scope = NewDisposeScope();
        // Scalars kept to the end: TorchSharp 0.107 lets an implicit one be finalized while libtorch reads it (Network.cs).
        using Scalar zero = 0, one = 1, count = n, longest = 48, three = 3, four = 4;
        var lengthTensor = tensor(lengths);
        var valid = LossDsl.LossMasks.FromLengths(lengthTensor, n);
        var f = tensor(residue).reshape(b, r, n);
        var index = arange(zero, count, one);
        var separation = (index.unsqueeze(1) - index.unsqueeze(0)).abs().to(ScalarType.Float32).expand(b, 1, n, n);
        var features = cat(new[]
        {
            f.unsqueeze(3).expand(b, r, n, n),                       // f(i) along rows
            f.unsqueeze(2).expand(b, r, n, n),                       // f(j) along columns
            tensor(pair).reshape(b, p, n, n),
            separation.clamp_max(longest).div(longest),
            separation.eq(three).logical_or(separation.eq(four)).to(ScalarType.Float32),
            ones(b, 1, n, n),
        }, 1) * valid.unsqueeze(1);
        return new Batch(features.contiguous().MoveToOuterDisposeScope(), tensor(targets).reshape(b, n, n).MoveToOuterDisposeScope(),
            valid.MoveToOuterDisposeScope(), lengthTensor.MoveToOuterDisposeScope());
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
