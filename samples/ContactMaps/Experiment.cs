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
    /// <summary>What the network sees (one table each).</summary>
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
    /// <summary>Training steps between two validations (an "epoch").</summary>
    public int StepsPerEpoch { get; init; } = 10;
    /// <summary>The most epochs a run trains.</summary>
    public int MaxEpochs { get; init; } = 3;
    /// <summary>Early stopping: a run stops after this many epochs without a better validation AUPRC, and keeps its best weights.</summary>
    public int Patience { get; init; } = 2;
    /// <summary>Epochs every run trains before early stopping may stop it: the first ~60 steps sit at chance level,
    /// and patience alone stopped some runs there (one in a trial stopped after 4 epochs with its best at epoch 1).</summary>
    public int MinEpochs { get; init; } = 3;
    /// <summary>Hidden channels of the network.</summary>
    public int Channels { get; init; } = 8;
    /// <summary>Residual blocks of the network.</summary>
    public int Blocks { get; init; } = 3;
    /// <summary>Adam's learning rate, the same for every option; null for <see cref="DefaultLearningRate"/> of each input.</summary>
    public double? LearningRate { get; init; }
    /// <summary>How the learning rate moves over the <see cref="MaxEpochs"/> × <see cref="StepsPerEpoch"/> steps of a run after the warm-up:
    /// annealed to 0, so that every option's validation curve flattens within the same budget.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;
    /// <summary>The fraction of those steps spent in a linear warm-up from 0 to the peak learning rate. In trials (1,200 steps, baseline, seed 1),
    /// runs without a warm-up ended lower: validation AUPRC 0.48 against 0.57 with 40 warm-up steps for denoise, 0.12 against 0.22 for predict;
    /// 120 steps (this default) ended at 0.59 for denoise and lifted predict's slow seed 2 from 0.13 to 0.18.</summary>
    public double WarmupFraction { get; init; } = 0.1;
    /// <summary>Gradient-norm clipping before each Adam step; 0 for none (the default: clipping at one norm favours losses of a larger scale).</summary>
    public double ClipNorm { get; init; }
    /// <summary>Training seeds (model initialisation, crops and batch order): 1, 2, …, Seeds, the same for every option.</summary>
    public int Seeds { get; init; } = 2;
    /// <summary>The seed of the input noise, the same for every run.</summary>
    public int DataSeed { get; init; } = 2024;
    /// <summary>The options to run; the first is the baseline of the differences.</summary>
    public IReadOnlyList<LossOption> Options { get; init; } = LossOption.Question;
    /// <summary>Where the tables, CSV files and plots go (one folder per input).</summary>
    public string Output { get; init; } = "results/latest";
    /// <summary>Real chains to evaluate every trained model on (from PDB files).</summary>
    public IReadOnlyList<Chain> RealChains { get; init; } = Array.Empty<Chain>();
    /// <summary>The command line that produced the run, for the report.</summary>
    public string CommandLine { get; init; } = "";
    /// <summary>Whether to draw the PNG plots.</summary>
    public bool Plots { get; init; } = true;

    /// <summary>Adam's peak learning rate for <paramref name="inputs"/>: <see cref="LearningRate"/> if set, else <see cref="DefaultLearningRate"/>.</summary>
    public double LearningRateFor(Inputs inputs) => LearningRate ?? DefaultLearningRate(inputs);

    /// <summary>The default peak learning rate of each input: 1e-2 for denoise, 5e-3 for predict. In trials of 1,200 cosine-annealed
    /// steps (baseline, seed 1), denoise ended at the same validation AUPRC with 1e-2 and 2e-2; predict ended at 0.13 with 1e-2, 0.22 with 5e-3, 0.17 with 3e-3.</summary>
    public static double DefaultLearningRate(Inputs inputs) => inputs == ContactMaps.Inputs.Denoise ? 1e-2 : 5e-3;
}

/// <summary>One training run: an option under a seed, with its per-chain test scores.</summary>
public sealed record RunResult(LossOption Option, int Seed, IReadOnlyList<ChainScores> Test, IReadOnlyList<ChainScores> Real,
    double Threshold, string Kept, int BestEpoch, double SecondsPerEpoch, double[] TrainLoss, double[] ValidationAuprc, float[,] Example, int SkippedSteps);

/// <summary>The experiment on one kind of input: the data, every run, and the chain shown in the heatmaps.</summary>
public sealed record ExperimentResult(ExperimentConfig Config, Inputs Inputs, DataSummary Data, IReadOnlyList<RunResult> Runs, float[,] ExampleTarget, string ExampleName);

/// <summary>The data used: chains per split, their lengths and contact density.</summary>
public sealed record DataSummary(int Train, int Validation, int Test, int MinLength, int MaxLength, double MeanLength, double Density, double HiddenFraction);

/// <summary>Receives progress while the experiment runs.</summary>
public interface IExperimentProgress
{
    /// <summary>The experiment on <paramref name="inputs"/> starts <paramref name="runs"/> runs of at most <paramref name="epochs"/> epochs.</summary>
    void Start(Inputs inputs, int runs, int epochs);
    /// <summary>A run starts.</summary>
    void RunStarted(LossOption option, int seed);
    /// <summary>An epoch ended with this mean training loss and validation AUPRC.</summary>
    void EpochDone(LossOption option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds);
    /// <summary>A run ended.</summary>
    void RunDone(RunResult result);
}

/// <summary>Trains the network under each loss option and seed on the real chains and evaluates it on whole test chains.</summary>
public static class Experiment
{

    /// <summary>
    /// Runs the experiment on one kind of input, seed after seed (every option under seed 1, then seed 2, …);
    /// <paramref name="seedDone"/> gets the result so far after each seed but the last, so a long run that is stopped
    /// still leaves its complete seeds behind.
    /// </summary>
    public static ExperimentResult Run(ExperimentConfig config, Inputs inputs, IExperimentProgress progress, Action<ExperimentResult>? seedDone = null)
    {
        NativeSettings.DisableOneDnn();
        var chains = DataSet.Read(config.DataPath);
        List<Sample> Split(Split split, int count, int seed)
        {
            var of = chains.Where(c => c.Split == split).Select(c => c.Chain);
            return Sample.From(count > 0 ? of.Take(count) : of, inputs, seed);
        }
        var train = Split(ContactMaps.Split.Train, config.Train, config.DataSeed + 1);
        var validation = Split(ContactMaps.Split.Validation, config.Validation, config.DataSeed + 2);
        var test = Split(ContactMaps.Split.Test, config.Test, config.DataSeed + 3);
        var real = Sample.From(config.RealChains, inputs, config.DataSeed + 4);
        var all = train.Concat(validation).Concat(test).ToList();
        var data = new DataSummary(train.Count, validation.Count, test.Count, all.Min(s => s.Chain.Length), all.Max(s => s.Chain.Length),
            all.Average(s => s.Chain.Length), all.Average(s => s.Chain.Density), all.Average(s => s.HiddenFraction));
        var example = Enumerable.Range(0, test.Count).MinBy(k => (Math.Abs(test[k].Chain.Length - 120), test[k].Chain.Name));

        var exampleChain = test[example].Chain;
        var target = new float[exampleChain.Length, exampleChain.Length];
        for (int i = 0; i < exampleChain.Length; i++)
            for (int j = 0; j < exampleChain.Length; j++)
                target[i, j] = exampleChain.Contact(i, j) ? 1 : 0;

        progress.Start(inputs, config.Options.Count * config.Seeds, config.MaxEpochs);
        var runs = new List<RunResult>();
        for (int seed = 1; seed <= config.Seeds; seed++)
        {
            foreach (var option in config.Options)
            {
                progress.RunStarted(option, seed);
                var result = Train(config, inputs, option, seed, train, validation, test, example, real, progress);
                runs.Add(result);
                progress.RunDone(result);
            }
            if (seed < config.Seeds) seedDone?.Invoke(new ExperimentResult(config with { Seeds = seed }, inputs, data, runs.ToList(), target, exampleChain.Name));
        }
        return new ExperimentResult(config, inputs, data, runs, target, exampleChain.Name);
    }

    private static RunResult Train(ExperimentConfig config, Inputs inputs, LossOption option, int seed, List<Sample> train,
        List<Sample> validation, List<Sample> test, int example, List<Sample> real, IExperimentProgress progress)
    {
        manual_seed(seed);
        using var model = new PairNetwork(Sample.Channels(inputs), config.Channels, config.Blocks);
        using var loss = option.Create();
        var peak = config.LearningRateFor(inputs);
        using var optimizer = optim.Adam(model.parameters(), lr: peak);
        var random = new Random(seed);
        var trainLoss = new List<double>();
        var validationAuprc = new List<double>();
        Dictionary<string, Tensor>? best = null;
        int bestEpoch = 0, skipped = 0, stepsTaken = 0;
        double trainingSeconds = 0;

        for (int epoch = 1; epoch <= config.MaxEpochs && (epoch <= config.MinEpochs || epoch - bestEpoch <= config.Patience); epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            double sum = 0;
            int steps = 0;
            for (int step = 0; step < config.StepsPerEpoch; step++)
            {
                using var scope = NewDisposeScope();
                using var batch = Batch.Of(Crops(train, config, random), inputs, config.Crop);
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = ContactMaps.Schedule.Rate(config.Schedule, peak, config.WarmupFraction, stepsTaken, config.MaxEpochs * config.StepsPerEpoch);
                stepsTaken++; // a skipped step still moves the schedule, so that it depends on the step count alone
                optimizer.zero_grad();
                var value = loss.call(model.call(batch.Features), batch.Targets, batch.Valid);
                value.backward();
                var lossValue = value.item<float>();
                if (!float.IsFinite(lossValue) || model.parameters().Any(w => w.grad is { } g && !g.isfinite().all().item<bool>()))
                {
                    skipped++; // a non-finite step (see LossDsl.NativeSettings) is left out rather than poisoning the weights
                    continue;
                }
                if (config.ClipNorm > 0) nn.utils.clip_grad_norm_(model.parameters(), config.ClipNorm);
                optimizer.step();
                sum += lossValue;
                steps++;
            }
            trainingSeconds += clock.Elapsed.TotalSeconds;
            trainLoss.Add(steps > 0 ? sum / steps : double.NaN);

            using (var evaluation = NewDisposeScope())
            {
                var logits = Predict(model, validation, inputs);
                validationAuprc.Add(validation.Select((s, k) =>
                    Metrics.AveragePrecision(TestTime(option.Step, logits[k], null, out _), Targets(s.Chain), ChainScores.Scored(s.Chain.Length))).Average());
            }
            if (best is null || validationAuprc[^1] > validationAuprc[bestEpoch - 1])
            {
                foreach (var t in best?.Values ?? Enumerable.Empty<Tensor>()) t.Dispose();
                best = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                bestEpoch = epoch;
            }
            progress.EpochDone(option, seed, epoch, trainLoss[^1], validationAuprc[^1], clock.Elapsed.TotalSeconds);
        }
        model.load_state_dict(best!);
        foreach (var t in best!.Values) t.Dispose();

        using var final = NewDisposeScope();
        var validationLogits = Predict(model, validation, inputs);
        var choice = option.Step == TestStep.BetterHalf ? ChooseHalf(validation, validationLogits) : (HalfChoice?)null;
        var threshold = BestThreshold(validation, validationLogits.Select(x => TestTime(option.Step, x, choice, out _)).ToList());

        var testLogits = Predict(model, test, inputs);
        var scores = Score(test, testLogits, option.Step, choice, threshold);
        var exampleMap = TestTime(option.Step, testLogits[example], choice, out _);
        int n = test[example].Chain.Length;
        var values = exampleMap.contiguous().data<float>().ToArray();
        var picture = new float[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                picture[i, j] = values[i * n + j];
        var realScores = real.Count > 0 ? Score(real, Predict(model, real, inputs), option.Step, choice, threshold) : Array.Empty<ChainScores>();

        return new RunResult(option, seed, scores, realScores, threshold, choice?.Keep.ToString() ?? "", bestEpoch,
            trainingSeconds / trainLoss.Count, trainLoss.ToArray(), validationAuprc.ToArray(), picture, skipped);
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

    /// <summary>The network's logits for whole chains (<c>L × L</c> each, in order), in batches of chains of similar length, without gradient.</summary>
    private static Tensor[] Predict(PairNetwork model, List<Sample> samples, Inputs inputs)
    {
        model.eval();
        using var noGrad = no_grad();
        var result = new Tensor[samples.Count];
        var order = Enumerable.Range(0, samples.Count).OrderBy(k => samples[k].Chain.Length).ToList();
        for (int start = 0; start < order.Count; start += 8)
        {
            var group = order.Skip(start).Take(8).ToList();
            using var scope = NewDisposeScope();
            using var batch = Batch.Of(group.Select(k => Window.Whole(samples[k])).ToList(), inputs);
            var logits = model.call(batch.Features);
            for (int g = 0; g < group.Count; g++)
            {
                int l = samples[group[g]].Chain.Length;
                result[group[g]] = logits[g][..l, ..l].contiguous().MoveToOuterDisposeScope();
            }
        }
        return result;
    }

    /// <summary>The 0/1 contact map of a whole chain.</summary>
    private static Tensor Targets(Chain chain)
    {
        int n = chain.Length;
        var map = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                map[i * n + j] = chain.Contact(i, j) ? 1 : 0;
        return tensor(map).reshape(n, n);
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

    /// <summary>The better half on the validation chains by average precision, pooled over their pairs <c>|i − j| ≥ 6</c>.</summary>
    private static HalfChoice ChooseHalf(List<Sample> validation, Tensor[] logits)
    {
        using var scope = NewDisposeScope();
        var n = validation.Max(s => s.Chain.Length);
        var p = zeros(validation.Count, n, n);
        var y = zeros(validation.Count, n, n);
        var lengths = tensor(validation.Select(s => (long)s.Chain.Length).ToArray());
        for (int k = 0; k < validation.Count; k++)
        {
            int l = validation[k].Chain.Length;
            p[k].narrow(0, 0, l).narrow(1, 0, l).copy_(sigmoid(logits[k]));
            y[k].narrow(0, 0, l).narrow(1, 0, l).copy_(Targets(validation[k].Chain));
        }
        var scored = LossMasks.FromLengths(lengths, n).logical_and(ChainScores.Scored(n));
        return BetterHalf.Choose(p, y, scored, metric: (q, t, w) => Metrics.AveragePrecision(q, t, w));
    }

    /// <summary>The threshold in 0.02, 0.04, …, 0.98 with the best F1 on the validation chains (pooled over their pairs <c>|i − j| ≥ 6</c>).</summary>
    private static double BestThreshold(List<Sample> validation, List<Tensor> p)
    {
        using var scope = NewDisposeScope();
        var scores = cat(p.Select((q, k) => q.masked_select(ChainScores.Scored(q.shape[0]))).ToList());
        var labels = cat(validation.Select(s => Targets(s.Chain).masked_select(ChainScores.Scored(s.Chain.Length))).ToList());
        double best = 0.5, bestF1 = -1;
        for (int k = 1; k < 50; k++)
        {
            var f1 = Metrics.F1(scores.unsqueeze(0), labels.unsqueeze(0), null, k / 50.0);
            if (f1 > bestF1) (best, bestF1) = (k / 50.0, f1);
        }
        return best;
    }

    private static ChainScores[] Score(List<Sample> samples, Tensor[] logits, TestStep step, HalfChoice? choice, double threshold) =>
        samples.Select((s, k) =>
        {
            using var scope = NewDisposeScope();
            var p = TestTime(step, logits[k], choice, out var raw);
            return ChainScores.Of(s.Chain.Name, p, raw, Targets(s.Chain), threshold);
        }).ToArray();
}
