using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using LossDsl.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace ContactMaps;

/// <summary>Everything a run of the experiment depends on: the data, the network, the options and the schedule.</summary>
public sealed record ExperimentConfig
{
    /// <summary>What the network sees (one comparison each).</summary>
    public IReadOnlyList<Inputs> Inputs { get; init; } = new[] { ContactMaps.Inputs.Denoise, ContactMaps.Inputs.Predict };
    /// <summary>The data set file; null for the bundled one.</summary>
    public string? DataPath { get; init; }
    /// <summary>Training chains used (the first of the split; 0 for all).</summary>
    public int Train { get; init; } = 600;
    /// <summary>Validation chains used (early stopping, threshold, better half; 0 for all).</summary>
    public int Validation { get; init; } = 12;
    /// <summary>Test chains used (the tables; 0 for all).</summary>
    public int Test { get; init; } = 40;
    /// <summary>Side of the random square (diagonal) training crops; shorter chains are used whole.</summary>
    public int Crop { get; init; } = 64;
    /// <summary>Crops per training step.</summary>
    public int BatchSize { get; init; } = 8;
    /// <summary>Hidden channels of the network.</summary>
    public int Channels { get; init; } = 8;
    /// <summary>Residual blocks of the network.</summary>
    public int Blocks { get; init; } = 3;
    /// <summary>Adam's peak learning rate, the same for every option; null for <see cref="DefaultLearningRate"/> of each input.</summary>
    public double? LearningRate { get; init; }
    /// <summary>The schedule and seeds (its learning rate is replaced by <see cref="LearningRateFor"/>). The first epochs (~60 steps) sit
    /// at chance level, so every run trains <see cref="ComparisonSettings.MinEpochs"/> before early stopping may stop it.</summary>
    public ComparisonSettings Schedule { get; init; } = new() { Seeds = 2, StepsPerEpoch = 10, MaxEpochs = 3, MinEpochs = 3, Patience = 2 };
    /// <summary>The seed of the input noise, the same for every run.</summary>
    public int DataSeed { get; init; } = 2024;
    /// <summary>The options to run; the first is the baseline of the differences.</summary>
    public IReadOnlyList<Candidate> Options { get; init; } = Candidates.Question;
    /// <summary>Where each input's runs, tables, CSV files and plots go (one folder per input).</summary>
    public string Output { get; init; } = "results/latest";
    /// <summary>Real chains to evaluate every trained model on (from PDB files).</summary>
    public IReadOnlyList<Chain> RealChains { get; init; } = Array.Empty<Chain>();
    /// <summary>The command line that produced the run, for the report.</summary>
    public string CommandLine { get; init; } = "";
    /// <summary>Whether to draw the PNG plots.</summary>
    public bool Plots { get; init; } = true;

    /// <summary>Adam's peak learning rate for <paramref name="inputs"/>: <see cref="LearningRate"/> if set, else <see cref="DefaultLearningRate"/>.</summary>
    public double LearningRateFor(Inputs inputs) => LearningRate ?? DefaultLearningRate(inputs);

    /// <summary>The comparison's settings for <paramref name="inputs"/>.</summary>
    public ComparisonSettings SettingsFor(Inputs inputs) => Schedule with { LearningRate = LearningRateFor(inputs) };

    /// <summary>The folder of one input's runs and report.</summary>
    public string Folder(Inputs inputs) => Path.Combine(Output, inputs.ToString().ToLowerInvariant());

    /// <summary>The default peak learning rate of each input: 1e-2 for denoise, 5e-3 for predict. In trials of 1,200 cosine-annealed
    /// steps (baseline, seed 1), denoise ended at the same validation AUPRC with 1e-2 and 2e-2; predict ended at 0.13 with 1e-2, 0.22 with 5e-3, 0.17 with 3e-3.</summary>
    public static double DefaultLearningRate(Inputs inputs) => inputs == ContactMaps.Inputs.Denoise ? 1e-2 : 5e-3;
}

/// <summary>The data used: chains per split, their lengths and contact density.</summary>
public sealed record DataSummary(int Train, int Validation, int Test, int MinLength, int MaxLength, double MeanLength, double Density, double HiddenFraction);

/// <summary>The experiment on one kind of input, as data and a network for <see cref="Comparison"/>.</summary>
public sealed record Experiment(ComparisonData Data, DataSummary Summary)
{
    /// <summary>Reads the data set and builds the features of <paramref name="inputs"/>: random diagonal crops for training, whole chains for validation and test.</summary>
    public static Experiment Prepare(ExperimentConfig config, Inputs inputs)
    {
        var chains = DataSet.Read(config.DataPath);
        List<Sample> Split(Split split, int count, int seed)
        {
            var of = chains.Where(c => c.Split == split).Select(c => c.Chain);
            return Sample.From(count > 0 ? of.Take(count) : of, inputs, seed);
        }
        var train = Split(ContactMaps.Split.Train, config.Train, config.DataSeed + 1);
        var validation = Split(ContactMaps.Split.Validation, config.Validation, config.DataSeed + 2);
        var test = Split(ContactMaps.Split.Test, config.Test, config.DataSeed + 3);
        var all = train.Concat(validation).Concat(test).ToList();
        var summary = new DataSummary(train.Count, validation.Count, test.Count, all.Min(s => s.Chain.Length), all.Max(s => s.Chain.Length),
            all.Average(s => s.Chain.Length), all.Average(s => s.Chain.Density), all.Average(s => s.HiddenFraction));
        var data = new ComparisonData
        {
            Batches = (seed, step) =>
            {
                var batch = Batch.Of(Crops(train, config, new Random(unchecked(seed * 1_000_003 + step))), inputs, config.Crop);
                batch.Lengths.Dispose();
                return new TrainingBatch(batch.Features, batch.Targets, batch.Valid);
            },
            Validation = validation.Select(s => Whole(s, inputs)).ToList(),
            Test = test.Select(s => Whole(s, inputs)).ToList(),
            Model = Network(config, inputs),
            Identity = string.Create(CultureInfo.InvariantCulture, $"ContactMaps {inputs}: data {config.DataPath ?? "bundled"} (seed {config.DataSeed}), " +
                $"{train.Count} training chains, {config.BatchSize} crops of {config.Crop}; PairNetwork {config.Channels} channels × {config.Blocks} blocks"),
        };
        return new Experiment(data, summary);
    }

    /// <summary>The network of <paramref name="inputs"/>, for a seed (the comparison seeds torch before calling it).</summary>
    public static Func<int, nn.Module<Tensor, Tensor>> Network(ExperimentConfig config, Inputs inputs) =>
        _ => new PairNetwork(Sample.Channels(inputs), config.Channels, config.Blocks);

    /// <summary>Real chains (from PDB files) as samples of <paramref name="inputs"/>.</summary>
    public static IReadOnlyList<MapSample> RealSamples(ExperimentConfig config, Inputs inputs) =>
        Sample.From(config.RealChains, inputs, config.DataSeed + 4).Select(s => Whole(s, inputs)).ToList();

    /// <summary>libtorch and the C allocator set for training (docs/runtime.md, "Troubleshooting"): oneDNN and NNPACK off, freed memory kept.</summary>
    public static void SetUpNative()
    {
        LossDsl.NativeSettings.RetainFreedMemory();
        LossDsl.NativeSettings.DisableOneDnn();
        LossDsl.NativeSettings.DisableNnpack();
    }

    /// <summary>Runs (or resumes) the comparison on <paramref name="inputs"/> in <see cref="ExperimentConfig.Folder"/>.</summary>
    public static ComparisonResult Run(ExperimentConfig config, Inputs inputs, IComparisonProgress progress, CancellationToken cancel = default)
    {
        SetUpNative();
        return Comparison.Run(Prepare(config, inputs).Data, config.Options, config.SettingsFor(inputs), config.Folder(inputs), progress, cancel);
    }

    /// <summary>A whole chain as a test or validation sample: its features made when asked, its contact map.</summary>
    private static MapSample Whole(Sample sample, Inputs inputs)
    {
        int n = sample.Chain.Length;
        var map = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                map[i * n + j] = sample.Chain.Contact(i, j) ? 1 : 0;
        return new MapSample(sample.Chain.Name, () =>
        {
            using var batch = Batch.Of(new[] { Window.Whole(sample) }, inputs); // padded to a multiple of 16: few shapes, few new kernels
            return batch.Features[0].clone();
        }, tensor(map).reshape(n, n));
    }

    /// <summary>A training step's crops: random chains, each with a random square window on its diagonal.</summary>
    private static List<Window> Crops(List<Sample> train, ExperimentConfig config, Random random)
    {
        var windows = new List<Window>(config.BatchSize);
        for (int b = 0; b < config.BatchSize; b++)
        {
            var sample = train[random.Next(train.Count)];
            int l = sample.Chain.Length, size = Math.Min(l, config.Crop);
            windows.Add(new Window(sample, random.Next(l - size + 1), size));
        }
        return windows;
    }
}
