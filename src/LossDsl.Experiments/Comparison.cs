using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Experiments;

/// <summary>
/// Trains a network under each option and seed with the same schedule, tests every run on whole maps, and saves each
/// finished run, so that a comparison that is stopped goes on from where it was.
/// </summary>
public static class Comparison
{
    /// <summary>
    /// Runs (or resumes) the comparison of <paramref name="options"/> (the first is the baseline) in <paramref name="folder"/>:
    /// seed after seed, every option under seed 1, then seed 2, …; finished runs found in the folder are loaded, not trained again.
    /// </summary>
    public static ComparisonResult Run(ComparisonData data, IReadOnlyList<Candidate> options, ComparisonSettings settings, string folder,
        IComparisonProgress? progress = null, CancellationToken cancel = default)
    {
        settings.Validate();
        if (options.Count == 0) throw new ArgumentException("no options to compare", nameof(options));
        if (data.Validation.Count == 0 || data.Test.Count == 0) throw new ArgumentException("the comparison needs validation and test samples.");
        var all = WithControl(options, settings);
        if (all.Select(o => o.Key).Distinct().Count() != all.Count) throw new ArgumentException("option keys must be distinct: " + string.Join(", ", all.Select(o => o.Key)));
        progress ??= new SilentProgress();
        var store = new RunStore(folder);
        var scoring = data.Scoring;
        store.Begin(settings, all, data.Validation.Count, data.Test.Count, data.Identity, scoring);
        var example = Example(data.Test);
        store.SaveExample(new ExampleMap(data.Test[example].Name, data.Test[example].Length, TopL(scoring, data.Test[example].Target, data.Test[example].Valid, topL: false)));

        progress.Start(all.Count * settings.Seeds, settings.MaxEpochs);
        var runs = new List<RunRecord>();
        Tensor[]? validationInputs = null; // made once, when the first run trains: every epoch of every run scores them
        try
        {
            for (int seed = 1; seed <= settings.Seeds; seed++)
                foreach (var option in all)
                {
                    cancel.ThrowIfCancellationRequested();
                    var run = store.TryLoad(option.Key, seed);
                    if (run is null)
                    {
                        progress.RunStarted(option, seed);
                        validationInputs ??= OwnedInputs(data.Validation);
                        run = Train(data, validationInputs, option, seed, settings, example, store, progress, cancel);
                    }
                    runs.Add(run);
                    progress.RunDone(option, run);
                }
        }
        finally
        {
            foreach (var input in validationInputs ?? Array.Empty<Tensor>()) input.Dispose();
        }
        return new ComparisonResult(settings, all, runs, store.ReadExample()) { Scoring = scoring };
    }

    /// <summary>The result saved in <paramref name="folder"/>, without training: every finished run of <paramref name="options"/>
    /// (matched by key; keys the folder holds but <paramref name="options"/> lacks are shown by key), scored as the folder says
    /// (<paramref name="scoring"/> for a scoring that is not one of <see cref="Scoring.Known"/>).</summary>
    public static ComparisonResult Load(string folder, IReadOnlyList<Candidate> options, Scoring? scoring = null)
    {
        var store = new RunStore(folder);
        var (settings, keys, saved) = store.ReadManifest(scoring);
        var all = Resolve(keys, options, settings);
        var runs = Enumerable.Range(1, settings.Seeds).SelectMany(seed => all.Select(o => store.TryLoad(o.Key, seed))).OfType<RunRecord>().ToList();
        return new ComparisonResult(settings, all, runs, store.ReadExample()) { Scoring = saved };
    }

    /// <summary>
    /// Applies the models saved in <paramref name="folder"/> to <paramref name="samples"/> without training: each run's
    /// best weights, threshold and kept half, as chosen on its validation samples, scored as the folder says.
    /// </summary>
    public static ComparisonResult Evaluate(string folder, Func<int, nn.Module<Tensor, Tensor>> model, IReadOnlyList<MapSample> samples, IReadOnlyList<Candidate> options,
        Scoring? scoring = null)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples to evaluate", nameof(samples));
        var store = new RunStore(folder);
        var saved = Load(folder, options, scoring);
        int example = Example(samples);
        var runs = new List<RunRecord>();
        foreach (var run in saved.Runs)
        {
            var option = saved.Options.Single(o => o.Key == run.Option);
            var weights = store.Weights(run.Option, run.Seed);
            if (!File.Exists(weights)) throw new FileNotFoundException($"the run {run.Option}, seed {run.Seed} has no saved weights.", weights);
            manual_seed(run.Seed + option.SeedOffset);
            using var network = model(run.Seed + option.SeedOffset);
            network.load(weights);
            var choice = run.Kept.Length > 0 ? new HalfChoice(Enum.Parse<MapHalf>(run.Kept), double.NaN, double.NaN) : (HalfChoice?)null;
            var (scores, top) = Test(saved.Scoring, network, option, samples, choice, run.Threshold, example);
            runs.Add(run with { Test = scores, ExampleTopL = top });
        }
        var shown = samples[example];
        return saved with { Runs = runs, Example = new ExampleMap(shown.Name, shown.Length, TopL(saved.Scoring, shown.Target, shown.Valid, topL: false)) };
    }

    private static IReadOnlyList<Candidate> WithControl(IReadOnlyList<Candidate> options, ComparisonSettings settings) =>
        settings.Control ? options.Append(Candidate.Control(options[0], settings.ControlSeedOffset)).ToList() : options;

    private static IReadOnlyList<Candidate> Resolve(string[] keys, IReadOnlyList<Candidate> options, ComparisonSettings settings)
    {
        var known = WithControl(options, settings);
        return keys.Select(k => known.FirstOrDefault(o => o.Key == k)
            ?? new Candidate(k, k, "", () => throw new InvalidOperationException($"option {k} is not known here"), TestStep.None)).ToList();
    }

    /// <summary>The test sample drawn in the report: the one of median side (ties by name).</summary>
    private static int Example(IReadOnlyList<MapSample> samples)
    {
        var order = Enumerable.Range(0, samples.Count).OrderBy(k => samples[k].Length).ThenBy(k => samples[k].Name, StringComparer.Ordinal).ToList();
        return order[order.Count / 2];
    }

    private static RunRecord Train(ComparisonData data, Tensor[] validationInputs, Candidate option, int seed, ComparisonSettings settings, int example, RunStore store,
        IComparisonProgress progress, CancellationToken cancel)
    {
        int trainingSeed = seed + option.SeedOffset;
        manual_seed(trainingSeed);
        using var model = data.Model(trainingSeed);
        using var loss = option.Create();
        using var optimizer = optim.Adam(model.parameters(), lr: settings.LearningRate);
        var trainLoss = new List<double>();
        var validationAuprc = new List<double>();
        var scoring = data.Scoring;
        Dictionary<string, Tensor>? best = null;
        int bestEpoch = 0, skipped = 0, stepsTaken = 0;
        double seconds = 0;
        for (int epoch = 1; epoch <= settings.MaxEpochs && (epoch <= settings.MinEpochs || epoch - bestEpoch <= settings.Patience); epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            double sum = 0;
            int steps = 0;
            for (int step = 0; step < settings.StepsPerEpoch; step++, stepsTaken++)
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var batch = data.Batches(trainingSeed, stepsTaken);
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = Schedule.Rate(settings.Schedule, settings.LearningRate, settings.WarmupFraction, stepsTaken, settings.TotalSteps);
                optimizer.zero_grad();
                var value = loss.call(model.call(batch.Input), batch.Target, batch.Valid);
                value.backward();
                var lossValue = value.item<float>();
                if (!float.IsFinite(lossValue) || model.parameters().Any(w => w.grad is { } g && !g.isfinite().all().item<bool>()))
                {
                    skipped++; // a non-finite step is left out rather than poisoning the weights; the schedule still moves
                    continue;
                }
                optimizer.step();
                sum += lossValue;
                steps++;
            }
            seconds += clock.Elapsed.TotalSeconds;
            trainLoss.Add(steps > 0 ? sum / steps : double.NaN);
            using (NewDisposeScope())
            {
                var logits = Predict(model, data.Validation, validationInputs);
                validationAuprc.Add(data.Validation.Select((s, k) =>
                    Metrics.AveragePrecision(option.TestTime(logits[k], null, out _), s.Target, scoring.Scored(s.Length, s.Valid))).Average());
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
        var validation = Predict(model, data.Validation, validationInputs);
        var choice = option.Step == TestStep.BetterHalf ? ChooseHalf(scoring, data.Validation, validation) : (HalfChoice?)null;
        var threshold = BestThreshold(scoring, data.Validation, validation.Select(x => option.TestTime(x, choice, out _)).ToList());
        var (scores, top) = Test(scoring, model, option, data.Test, choice, threshold, example);
        var run = new RunRecord(option.Key, seed, bestEpoch, threshold, choice?.Keep.ToString() ?? "", seconds / trainLoss.Count, skipped,
            trainLoss.ToArray(), validationAuprc.ToArray(), scores, top);
        store.Save(run, path => model.save(path));
        return run;
    }

    private static (SampleScores[] Scores, int[] ExampleTopL) Test(Scoring scoring, nn.Module<Tensor, Tensor> model, Candidate option, IReadOnlyList<MapSample> samples,
        HalfChoice? choice, double threshold, int example)
    {
        using var scope = NewDisposeScope();
        var logits = Predict(model, samples);
        var scores = samples.Select((s, k) =>
        {
            using var inner = NewDisposeScope();
            var p = option.TestTime(logits[k], choice, out var raw);
            return scoring.Score(s.Name, p, raw, s.Target, s.Valid, threshold);
        }).ToArray();
        return (scores, TopL(scoring, option.TestTime(logits[example], choice, out _), samples[example].Valid, topL: true));
    }

    /// <summary>Each sample's input, as a copy owned by the caller (the sample's own tensor is disposed only if it was made here).</summary>
    private static Tensor[] OwnedInputs(IReadOnlyList<MapSample> samples)
    {
        using var scope = NewDisposeScope();
        return samples.Select(s => s.Input().clone().DetachFromDisposeScope()).ToArray();
    }

    /// <summary>
    /// The network's logits for whole maps (<c>L × L</c> each, in order), one map at a time, without gradient; from
    /// <paramref name="inputs"/> when given, else from each sample's <see cref="MapSample.Input"/>.
    /// </summary>
    private static Tensor[] Predict(nn.Module<Tensor, Tensor> model, IReadOnlyList<MapSample> samples, Tensor[]? inputs = null)
    {
        model.eval();
        using var noGrad = no_grad();
        return samples.Select((s, k) =>
        {
            using var scope = NewDisposeScope();
            var output = model.call((inputs?[k] ?? s.Input()).unsqueeze(0));
            if (output.dim() != 3 || output.shape[1] < s.Length || output.shape[2] < s.Length)
                throw new InvalidOperationException($"the model maps sample {s.Name} (L = {s.Length}) to shape [{string.Join(", ", output.shape)}]; expected [1, N, N] with N ≥ {s.Length}.");
            return output[0][..s.Length, ..s.Length].contiguous().MoveToOuterDisposeScope();
        }).ToArray();
    }

    /// <summary>
    /// With <paramref name="topL"/>: the L / <see cref="Scoring.ExampleDivisor"/> highest scored cells of <paramref name="map"/> in the
    /// upper triangle (the field's top-L predictions); without: every such cell that is 1 (the contacts). As <c>i · L + j</c>.
    /// </summary>
    private static int[] TopL(Scoring scoring, Tensor map, Tensor? valid, bool topL)
    {
        using var scope = NewDisposeScope();
        int n = (int)map.shape[^1];
        var scored = scoring.Scored(n, valid).triu(1).reshape(-1).data<bool>().ToArray();
        var values = map.to_type(ScalarType.Float32).reshape(-1).data<float>().ToArray();
        var cells = Enumerable.Range(0, n * n).Where(k => scored[k]);
        return (topL ? cells.OrderByDescending(k => values[k]).ThenBy(k => k).Take(n / scoring.ExampleDivisor) : cells.Where(k => values[k] > 0.5f)).OrderBy(k => k).ToArray();
    }

    /// <summary>The better half on the validation samples by average precision, pooled over their scored cells.</summary>
    private static HalfChoice ChooseHalf(Scoring scoring, IReadOnlyList<MapSample> validation, Tensor[] logits)
    {
        using var scope = NewDisposeScope();
        var n = validation.Max(s => s.Length);
        var p = zeros(validation.Count, n, n);
        var y = zeros(validation.Count, n, n);
        var w = zeros(validation.Count, n, n, dtype: ScalarType.Bool);
        for (int k = 0; k < validation.Count; k++)
        {
            int l = validation[k].Length;
            p[k].narrow(0, 0, l).narrow(1, 0, l).copy_(sigmoid(logits[k]));
            y[k].narrow(0, 0, l).narrow(1, 0, l).copy_(validation[k].Target);
            w[k].narrow(0, 0, l).narrow(1, 0, l).copy_(scoring.Scored(l, validation[k].Valid));
        }
        return BetterHalf.Choose(p, y, w, metric: (q, t, m) => Metrics.AveragePrecision(q, t, m));
    }

    /// <summary>The threshold in 0.02, 0.04, …, 0.98 with the best F1 on the validation samples (pooled over their scored cells).</summary>
    private static double BestThreshold(Scoring scoring, IReadOnlyList<MapSample> validation, List<Tensor> p)
    {
        using var scope = NewDisposeScope();
        var scores = cat(p.Select((q, k) => q.masked_select(scoring.Scored(q.shape[0], validation[k].Valid))).ToList());
        var labels = cat(validation.Select(s => s.Target.to_type(ScalarType.Float32).masked_select(scoring.Scored(s.Length, s.Valid))).ToList());
        double best = 0.5, bestF1 = -1;
        for (int k = 1; k < 50; k++)
        {
            var f1 = Metrics.F1(scores.unsqueeze(0), labels.unsqueeze(0), null, k / 50.0);
            if (f1 > bestF1) (best, bestF1) = (k / 50.0, f1);
        }
        return best;
    }
}
