using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LossDsl.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace RnaPairs;

/// <summary>Which split a comparison trains and tests on.</summary>
public enum SplitKind
{
    /// <summary>Train, validation and test disjoint at 80 % identity, every family in each.</summary>
    Cluster,
    /// <summary>Test on the held-out families (<see cref="Splits.HeldOutFamilies"/>), which are never trained on.</summary>
    Family,
}

/// <summary>Everything a comparison on base-pair maps depends on: the data, the input, the network, the options and the schedule.</summary>
public sealed record RnaConfig
{
    /// <summary>The splits to run, one comparison each.</summary>
    public IReadOnlyList<SplitKind> Splits { get; init; } = new[] { SplitKind.Cluster };
    /// <summary>The data set file; null for the cache's, built from the Debian packages on first use.</summary>
    public string? DataPath { get; init; }
    /// <summary>The data set itself, instead of <see cref="DataPath"/> (tests).</summary>
    public IReadOnlyList<RnaEntry>? Entries { get; init; }
    /// <summary>Validation sequences used, a seeded sample of the split's (early stopping every epoch, threshold, better half; 0 for all).</summary>
    public int Validation { get; init; } = 20;
    /// <summary>Test sequences used, a seeded sample of the split's (the tables; 0 for all).</summary>
    public int Test { get; init; } = 40;
    /// <summary>The longest sequence scored whole; a longer one is scored on its first <c>Bound</c> bases (the cost of scoring grows as Bound²).</summary>
    public int Bound { get; init; } = 200;
    /// <summary>The bound of the random training crops (<see cref="Crops.Random"/>).</summary>
    public int TrainBound { get; init; } = 64;
    /// <summary>Crops per training step.</summary>
    public int BatchSize { get; init; } = 8;
    /// <summary>Hidden channels of the network.</summary>
    public int Channels { get; init; } = 12;
    /// <summary>Residual blocks of the network.</summary>
    public int Blocks { get; init; } = 4;
    /// <summary>The schedule and seeds, the same for every option.</summary>
    public ComparisonSettings Schedule { get; init; } = new() { Seeds = 2, StepsPerEpoch = 10, MaxEpochs = 3, MinEpochs = 3, Patience = 2, LearningRate = 5e-3 };
    /// <summary>The seed of the validation and test samples.</summary>
    public int DataSeed { get; init; } = 2025;
    /// <summary>The options; the first is the baseline of the differences.</summary>
    public IReadOnlyList<Candidate> Options { get; init; } = SampleOptions.All;
    /// <summary>Where each split's runs and report go (one folder per split).</summary>
    public string Output { get; init; } = Path.Combine("results", "latest", "rna");
    /// <summary>The command line that produced the run, for the report.</summary>
    public string CommandLine { get; init; } = "";
    /// <summary>Whether to draw the PNG plots.</summary>
    public bool Plots { get; init; } = true;

    /// <summary>The folder of one split's runs and report.</summary>
    public string Folder(SplitKind split) => Path.Combine(Output, split.ToString().ToLowerInvariant());
}

/// <summary>The sequences a comparison uses: counts per part, families of the test part, lengths and density.</summary>
public sealed record UsedData(int Train, int Validation, int Test, string TestFamilies, int MinLength, int MaxLength, int Cropped, double Density);

/// <summary>The comparison on one split, as data and a network for <see cref="Comparison"/>.</summary>
public sealed record Experiment(ComparisonData Data, UsedData Used)
{
    /// <summary>Input channels: the 17 pair features, "inside the sequence" (0 on padding) and the separation <c>min(|i − j|, 64) / 64</c> in the sequence.</summary>
    public const int Channels = PairFeatures.Channels + 2;

    private const int SeparationScale = 64;

    /// <summary>Reads the data and builds the comparison of <paramref name="split"/>: random crops for training, one map per sequence for validation and test.</summary>
    public static Experiment Prepare(RnaConfig config, SplitKind split)
    {
        var entries = config.Entries ?? DataPaths.Load(config.DataPath, Console.WriteLine);
        Split PartOf(RnaEntry e) => split == SplitKind.Cluster ? e.Split : e.FamilySplit;
        List<RnaEntry> Part(Split part, int count, int seed)
        {
            var of = entries.Where(e => PartOf(e) == part).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            var random = new Random(seed);
            return count > 0 && count < of.Count ? of.OrderBy(_ => random.Next()).Take(count).OrderBy(e => e.Name, StringComparer.Ordinal).ToList() : of;
        }
        var train = Part(RnaPairs.Split.Train, 0, 0);
        var validation = Part(RnaPairs.Split.Validation, config.Validation, config.DataSeed + 1);
        var test = Part(RnaPairs.Split.Test, config.Test, config.DataSeed + 2);
        if (train.Count == 0 || validation.Count == 0 || test.Count == 0)
            throw new InvalidOperationException($"the {split} split needs training, validation and test sequences (got {train.Count}, {validation.Count}, {test.Count}).");
        var scored = validation.Concat(test).ToList();
        var used = new UsedData(train.Count, validation.Count, test.Count,
            string.Join(", ", test.GroupBy(e => e.Family).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")),
            scored.Min(e => e.Structure.Length), scored.Max(e => e.Structure.Length), scored.Count(e => e.Structure.Length > config.Bound),
            scored.Average(e => e.Structure.Density));
        var data = new ComparisonData
        {
            Batches = (seed, step) => Batch(train, config, new Random(unchecked(seed * 1_000_003 + step))),
            Validation = validation.Select(e => Scored(e, config.Bound)).ToList(),
            Test = test.Select(e => Scored(e, config.Bound)).ToList(),
            Model = Network(config),
            Scoring = Scoring.BasePairs,
            Identity = string.Create(CultureInfo.InvariantCulture, $"RnaPairs {split}: data {config.DataPath ?? (config.Entries is null ? "cache" : "given")} ({entries.Count} sequences), " +
                $"{train.Count} training sequences, {config.BatchSize} crops of ≤ {config.TrainBound}, scored up to {config.Bound} (seed {config.DataSeed}); " +
                $"{Channels} input channels; PairCnn {config.Channels} channels × {config.Blocks} blocks, head prior logit {PairCnn.PriorLogit}"),
        };
        return new Experiment(data, used);
    }

    /// <summary>The network, for a seed (the comparison seeds torch before calling it).</summary>
    public static Func<int, nn.Module<Tensor, Tensor>> Network(RnaConfig config) => _ => new PairCnn(Channels, config.Channels, config.Blocks);

    /// <summary>libtorch and the C allocator set for training (docs/runtime.md, "Troubleshooting"): oneDNN and NNPACK off, freed memory kept.</summary>
    public static void SetUpNative()
    {
        LossDsl.NativeSettings.RetainFreedMemory();
        LossDsl.NativeSettings.DisableOneDnn();
        LossDsl.NativeSettings.DisableNnpack();
    }

    /// <summary>The input of the bases at <paramref name="indices"/>, padded to <paramref name="n"/>: <c>[Channels, n, n]</c>, written at <paramref name="offset"/>.</summary>
    public static void Input(string sequence, IReadOnlyList<int> indices, int n, float[] into, int offset)
    {
        int m = indices.Count;
        var pairs = PairFeatures.Build(sequence, indices);
        for (int c = 0; c < PairFeatures.Channels; c++)
            for (int i = 0; i < m; i++)
                Array.Copy(pairs, (c * m + i) * m, into, offset + (c * n + i) * n, m);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                into[offset + (PairFeatures.Channels * n + i) * n + j] = 1;
                into[offset + ((PairFeatures.Channels + 1) * n + i) * n + j] = Math.Min(Math.Abs(indices[i] - indices[j]), SeparationScale) / (float)SeparationScale;
            }
    }

    /// <summary>A training step: random sequences of the training part, each cropped at random, padded to the longest crop; padding is not valid.</summary>
    private static TrainingBatch Batch(List<RnaEntry> train, RnaConfig config, Random random)
    {
        var crops = Enumerable.Range(0, config.BatchSize).Select(_ =>
        {
            var entry = train[random.Next(train.Count)];
            return (entry, indices: Crops.Random(entry.Structure.Length, config.TrainBound, random));
        }).ToList();
        int b = crops.Count, n = crops.Max(c => c.indices.Length);
        var input = new float[b * Channels * n * n];
        var target = new float[b * n * n];
        var valid = new bool[b * n * n];
        for (int k = 0; k < b; k++)
        {
            var (entry, indices) = crops[k];
            int m = indices.Length;
            Input(entry.Structure.Sequence, indices, n, input, k * Channels * n * n);
            var map = Crops.Map(entry.Structure, indices);
            for (int i = 0; i < m; i++)
            {
                Array.Copy(map, i * m, target, (k * n + i) * n, m);
                Array.Fill(valid, true, (k * n + i) * n, m);
            }
        }
        return new TrainingBatch(tensor(input).reshape(b, Channels, n, n), tensor(target).reshape(b, n, n), tensor(valid).reshape(b, n, n));
    }

    /// <summary>A sequence to validate or test on: whole up to <paramref name="bound"/> bases, else its first <paramref name="bound"/> bases; the input made when asked.</summary>
    private static MapSample Scored(RnaEntry entry, int bound)
    {
        var indices = Enumerable.Range(0, Math.Min(entry.Structure.Length, bound)).ToArray();
        int m = indices.Length;
        return new MapSample(entry.Name, () =>
        {
            var input = new float[Channels * m * m];
            Input(entry.Structure.Sequence, indices, m, input, 0);
            return tensor(input).reshape(Channels, m, m);
        }, tensor(Crops.Map(entry.Structure, indices)).reshape(m, m));
    }
}
