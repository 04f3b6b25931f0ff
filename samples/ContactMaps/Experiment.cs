using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using LossDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace ContactMaps;

/// <summary>Everything a run of the experiment depends on.</summary>
public sealed record ExperimentConfig
{
    /// <summary>Training chains.</summary>
    public int Train { get; init; } = 128;
    /// <summary>Validation chains (better half, threshold, curves).</summary>
    public int Validation { get; init; } = 32;
    /// <summary>Test chains (the table).</summary>
    public int Test { get; init; } = 48;
    /// <summary>Shortest chain.</summary>
    public int MinLength { get; init; } = 32;
    /// <summary>Longest chain.</summary>
    public int MaxLength { get; init; } = 64;
    /// <summary>Passes over the training chains.</summary>
    public int Epochs { get; init; } = 5;
    /// <summary>Chains per step.</summary>
    public int BatchSize { get; init; } = 8;
    /// <summary>Hidden channels of the network.</summary>
    public int Channels { get; init; } = 12;
    /// <summary>Residual blocks of the network.</summary>
    public int Blocks { get; init; } = 3;
    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 5e-3;
    /// <summary>Gradient-norm clipping before each Adam step (without it, some seeds blew up after the first epoch).</summary>
    public double ClipNorm { get; init; } = 1.0;
    /// <summary>Training seeds (model initialisation and batch order): 1, 2, …, Seeds.</summary>
    public int Seeds { get; init; } = 1;
    /// <summary>The seed of the data set, the same for every run.</summary>
    public int DataSeed { get; init; } = 2024;
    /// <summary>The options to run (keys of <see cref="LossOption.All"/>).</summary>
    public IReadOnlyList<LossOption> Options { get; init; } = LossOption.All;
    /// <summary>Where the table, CSV files and plots go.</summary>
    public string Output { get; init; } = "results/latest";
    /// <summary>Real chains to evaluate every trained model on (from PDB files).</summary>
    public IReadOnlyList<Chain> RealChains { get; init; } = Array.Empty<Chain>();
    /// <summary>The command line that produced the run, for the report.</summary>
    public string CommandLine { get; init; } = "";
    /// <summary>Whether to draw the PNG plots.</summary>
    public bool Plots { get; init; } = true;
}

/// <summary>What one trained model scored on the test split (or on a real chain).</summary>
public sealed record Scores(double F1, double Mcc, double Precision, double Recall, double Auprc,
    double LongPL, double LongPL2, double LongPL5, double MediumPL, double ShortPL, double Asymmetry);

/// <summary>One training run: an option under a seed.</summary>
public sealed record RunResult(LossOption Option, int Seed, Scores Test, double Threshold, string Kept,
    double SecondsPerEpoch, double[] TrainLoss, double[] ValidationAuprc, float[,] Example,
    IReadOnlyList<(string Chain, Scores Scores)> Real, int SkippedSteps);

/// <summary>The whole experiment: the data, every run, and the example shown in the heatmaps.</summary>
public sealed record ExperimentResult(ExperimentConfig Config, DataSummary Data, IReadOnlyList<RunResult> Runs, float[,] ExampleTarget, string ExampleName);

/// <summary>The data set's size and sparsity.</summary>
public sealed record DataSummary(int Train, int Validation, int Test, double Density, double DensityAtSix, double HiddenFraction);

/// <summary>Receives progress while the experiment runs.</summary>
public interface IExperimentProgress
{
    /// <summary>The experiment starts <paramref name="runs"/> runs of <paramref name="epochs"/> epochs.</summary>
    void Start(int runs, int epochs);
    /// <summary>A run starts.</summary>
    void RunStarted(LossOption option, int seed);
    /// <summary>An epoch ended with this mean training loss and validation AUPRC.</summary>
    void EpochDone(LossOption option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds);
    /// <summary>A run ended.</summary>
    void RunDone(RunResult result);
}

/// <summary>Trains the network under each loss option and seed on one synthetic data set and evaluates it.</summary>
public static class Experiment
{
    /// <summary>Pairs at least this far apart are scored (the contact-prediction convention).</summary>
    public const int EvaluationSeparation = 6;

    /// <summary>Runs the experiment.</summary>
    public static ExperimentResult Run(ExperimentConfig config, IExperimentProgress progress)
    {
        NativeSettings.Apply();
        var train = Features(Synthetic.Chains(config.Train, config.MinLength, config.MaxLength, config.DataSeed, "train"), config.DataSeed + 1);
        var validation = Features(Synthetic.Chains(config.Validation, config.MinLength, config.MaxLength, config.DataSeed + 2, "validation"), config.DataSeed + 3);
        var test = Features(Synthetic.Chains(config.Test, config.MinLength, config.MaxLength, config.DataSeed + 4, "test"), config.DataSeed + 5);
        var real = Features(config.RealChains, config.DataSeed + 6);
        var all = train.Concat(validation).Concat(test).ToList();
        var data = new DataSummary(train.Count, validation.Count, test.Count,
            all.Average(s => s.Chain.Density), all.Average(s => s.Chain.DensityAtSeparation(EvaluationSeparation)),
            all.Average(s => s.Hidden.Average()));

        var example = Enumerable.Range(0, test.Count).MaxBy(k => test[k].Chain.Length);
        using var validationBatch = Batch.Of(validation);
        using var testBatch = Batch.Of(test);
        var realBatches = real.Select(s => Batch.Of(new[] { s })).ToList();

        progress.Start(config.Options.Count * config.Seeds, config.Epochs);
        var runs = new List<RunResult>();
        for (int seed = 1; seed <= config.Seeds; seed++)
            foreach (var option in config.Options)
            {
                progress.RunStarted(option, seed);
                var result = Train(config, option, seed, train, validationBatch, testBatch, example, real, realBatches, progress);
                runs.Add(result);
                progress.RunDone(result);
            }
        foreach (var b in realBatches) b.Dispose();

        var exampleChain = test[example].Chain;
        var target = new float[exampleChain.Length, exampleChain.Length];
        for (int i = 0; i < exampleChain.Length; i++)
            for (int j = 0; j < exampleChain.Length; j++)
                target[i, j] = exampleChain.Contacts[i * exampleChain.Length + j];
        return new ExperimentResult(config, data, runs, target, exampleChain.Name);
    }

    private static List<Sample> Features(IEnumerable<Chain> chains, int seed) => Sample.From(chains, seed);

    private static RunResult Train(ExperimentConfig config, LossOption option, int seed, List<Sample> train,
        Batch validation, Batch test, int example, List<Sample> real, List<Batch> realBatches, IExperimentProgress progress)
    {
        manual_seed(seed);
        using var model = new PairNetwork(Sample.Channels, config.Channels, config.Blocks);
        using var loss = option.Create();
        using var optimizer = optim.Adam(model.parameters(), lr: config.LearningRate);
        var order = new Random(seed);
        var trainLoss = new List<double>();
        var validationAuprc = new List<double>();
        double trainingSeconds = 0;
        int skipped = 0;

        for (int epoch = 1; epoch <= config.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            var shuffled = train.OrderBy(_ => order.Next()).ToList();
            double sum = 0;
            int steps = 0;
            for (int start = 0; start < shuffled.Count; start += config.BatchSize)
            {
                using var scope = NewDisposeScope();
                using var batch = Batch.Of(shuffled.GetRange(start, Math.Min(config.BatchSize, shuffled.Count - start)));
                optimizer.zero_grad();
                var value = loss.call(model.call(batch.Features), batch.Targets, batch.Valid);
                value.backward();
                var lossValue = value.item<float>();
                if (!float.IsFinite(lossValue) || model.parameters().Any(w => w.grad is { } g && !g.isfinite().all().item<bool>()))
                {
                    skipped++; // a non-finite step (see NativeSettings) is left out rather than poisoning the weights
                    continue;
                }
                nn.utils.clip_grad_norm_(model.parameters(), config.ClipNorm);
                optimizer.step();
                sum += lossValue;
                steps++;
            }
            trainingSeconds += clock.Elapsed.TotalSeconds;
            trainLoss.Add(steps > 0 ? sum / steps : double.NaN);

            using var evaluation = NewDisposeScope();
            var logits = Predict(model, validation);
            var p = TestTime(option.Step, logits, null, out _);
            validationAuprc.Add(Metrics.AveragePrecision(p, validation.Targets, Scored(validation.Valid)));
            progress.EpochDone(option, seed, epoch, trainLoss[^1], validationAuprc[^1], clock.Elapsed.TotalSeconds);
        }

        using var final = NewDisposeScope();
        var validationLogits = Predict(model, validation);
        var choice = option.Step == TestStep.BetterHalf
            ? BetterHalf.Choose(sigmoid(validationLogits), validation.Targets, Scored(validation.Valid), metric: (q, y, w) => Metrics.AveragePrecision(q, y, w))
            : (HalfChoice?)null;
        var validationP = TestTime(option.Step, validationLogits, choice, out _);
        var threshold = BestThreshold(validationP, validation.Targets, Scored(validation.Valid));

        var testLogits = Predict(model, test);
        var testP = TestTime(option.Step, testLogits, choice, out var raw);
        var scores = Score(testP, raw, test, threshold);

        int n = (int)test.Lengths[example].item<long>();
        var exampleMap = testP[example][..n, ..n].contiguous().data<float>().ToArray();
        var picture = new float[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                picture[i, j] = exampleMap[i * n + j];

        var realScores = new List<(string, Scores)>();
        for (int k = 0; k < real.Count; k++)
        {
            var logits = Predict(model, realBatches[k]);
            var q = TestTime(option.Step, logits, choice, out var rawQ);
            realScores.Add((real[k].Chain.Name, Score(q, rawQ, realBatches[k], threshold)));
        }

        return new RunResult(option, seed, scores, threshold, choice?.Keep.ToString() ?? "", trainingSeconds / config.Epochs,
            trainLoss.ToArray(), validationAuprc.ToArray(), picture, realScores, skipped);
    }

    /// <summary>The network's logits for a split, 8 chains at a time, without gradient.</summary>
    private static Tensor Predict(PairNetwork model, Batch split)
    {
        model.eval();
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        for (long start = 0; start < split.Features.shape[0]; start += 8)
            parts.Add(model.call(split.Features.narrow(0, start, Math.Min(8, split.Features.shape[0] - start))));
        return cat(parts, 0).to(ScalarType.Float32);
    }

    /// <summary>The option's test-time step on logits; <paramref name="raw"/> is <c>sigmoid(logits)</c> before it.</summary>
    private static Tensor TestTime(TestStep step, Tensor logits, HalfChoice? choice, out Tensor raw)
    {
        raw = sigmoid(logits);
        return step switch
        {
            TestStep.MirrorUpper => Symmetry.MirrorUpper(raw),
            TestStep.BetterHalf => choice is HalfChoice c ? c.Apply(raw) : Symmetry.MirrorUpper(raw),
            TestStep.Symmetrize => sigmoid(Symmetry.Symmetrize(logits)),
            _ => raw,
        };
    }

    /// <summary>The scored cells: valid and at least <see cref="EvaluationSeparation"/> apart (both triangles).</summary>
    private static Tensor Scored(Tensor valid)
    {
        var n = valid.shape[^1];
        var i = arange(n).unsqueeze(1);
        var j = arange(n).unsqueeze(0);
        return valid.logical_and((i - j).abs() >= EvaluationSeparation);
    }

    /// <summary>The threshold in 0.02, 0.04, …, 0.98 with the best F1 on the validation split.</summary>
    private static double BestThreshold(Tensor p, Tensor targets, Tensor scored)
    {
        double best = 0.5, bestF1 = -1;
        for (int k = 1; k < 50; k++)
        {
            var f1 = Metrics.F1(p, targets, scored, k / 50.0);
            if (f1 > bestF1) (best, bestF1) = (k / 50.0, f1);
        }
        return best;
    }

    private static Scores Score(Tensor p, Tensor raw, Batch split, double threshold)
    {
        var scored = Scored(split.Valid);
        var confusion = Metrics.Confusion(p, split.Targets, scored, threshold);
        return new Scores(confusion.F1, confusion.Mcc, confusion.Precision, confusion.Recall,
            Metrics.AveragePrecision(p, split.Targets, scored),
            Metrics.TopLPrecision(p, split.Targets, SeparationRange.Long, 1, split.Valid),
            Metrics.TopLPrecision(p, split.Targets, SeparationRange.Long, 2, split.Valid),
            Metrics.TopLPrecision(p, split.Targets, SeparationRange.Long, 5, split.Valid),
            Metrics.TopLPrecision(p, split.Targets, SeparationRange.Medium, 1, split.Valid),
            Metrics.TopLPrecision(p, split.Targets, SeparationRange.Short, 1, split.Valid),
            Metrics.Asymmetry(raw, split.Valid));
    }
}
