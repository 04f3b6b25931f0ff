using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExperimentConsumer;
using LossDsl.Experiments;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// Tests that need torch's global generator to themselves: a comparison seeds it and then initialises a network, and a
/// test in another class drawing random numbers in between would change the weights.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchSeedCollection
{
    public const string Name = "torch's global seed";
}

/// <summary>LossDsl.Experiments: the schedule, the intervals and verdicts, and a comparison that is stopped and resumed.</summary>
[Collection(TorchSeedCollection.Name)]
public class ExperimentsTests
{
    [Fact]
    public void TheScheduleWarmsUpLinearlyThenAnnealsToNearZero()
    {
        const double peak = 0.01;
        double Rate(LearningRateSchedule schedule, int step) => Schedule.Rate(schedule, peak, 0.1, step, 1200);
        Assert.Equal(120, Schedule.WarmupSteps(0.1, 1200));
        Assert.Equal(peak / 120, Rate(LearningRateSchedule.Cosine, 0), 15);
        Assert.Equal(peak / 2, Rate(LearningRateSchedule.Cosine, 59), 15);
        Assert.Equal(peak, Rate(LearningRateSchedule.Cosine, 120), 15);
        Assert.Equal(peak / 2, Rate(LearningRateSchedule.Cosine, 120 + 540), 15); // halfway through the cosine
        Assert.Equal(peak * (1 - Math.Cos(Math.PI / 1080)) / 2, Rate(LearningRateSchedule.Cosine, 1199), 15);
        var rates = Enumerable.Range(120, 1080).Select(k => Rate(LearningRateSchedule.Cosine, k)).ToList();
        Assert.True(rates.Zip(rates.Skip(1)).All(p => p.Second < p.First), "the cosine falls at every step");
        Assert.All(Enumerable.Range(120, 1080), k => Assert.Equal(peak, Rate(LearningRateSchedule.Constant, k)));
        Assert.Equal(peak, Schedule.Rate(LearningRateSchedule.Cosine, peak, 0, 0, 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Rate(LearningRateSchedule.Cosine, peak, 1, 0, 30));
        Assert.Equal("learning rate 0.01 (linear warm-up over 120 steps, then cosine to 0 at step 1200)",
            Schedule.Describe(LearningRateSchedule.Cosine, peak, 0.1, 1200));
        Assert.Equal("learning rate 0.005 (constant)", Schedule.Describe(LearningRateSchedule.Constant, 0.005, 0, 30));
    }

    [Fact]
    public void TIntervalsHolmAndVerdicts()
    {
        Assert.Equal(2.776445, Stats.TQuantile(4), 6); // t(0.975, 4), from MathNet.Numerics
        Assert.Equal(12.706205, Stats.TQuantile(1), 6);
        var mean = Stats.Mean(new[] { 1.0, 2.0, 3.0, 4.0, 5.0 });
        Assert.Equal("3.000 [1.037, 4.963]", mean.Show());
        Assert.Equal(0.0132, mean.P, 4); // t = 3 / (√2.5 / √5) = 4.243 on 4 degrees of freedom

        Assert.Equal(new[] { 0.03, 0.06, 0.06, 0.02 }, Stats.Holm(new[] { 0.01, 0.04, 0.03, 0.005 }).Select(p => Math.Round(p, 12)));
        Assert.Equal(new[] { 1.0, 1.0 }, Stats.Holm(new[] { 0.6, 0.9 }));

        var auprc = Scoring.ContactMaps.Of("auprc");
        var same = Stats.PairedDifference(new[] { 0.2, 0.3, 0.4 }, new[] { 0.2, 0.3, 0.4 });
        Assert.Equal("+0.0000 [+0.0000, +0.0000]", same.Show(4, signed: true));
        Assert.Equal(Verdict.NoDetectableDifference, Stats.Judge(same, auprc));
        var tiny = Stats.PairedDifference(new[] { 0.20002, 0.30002, 0.40002 }, new[] { 0.2, 0.3, 0.4 }); // consistent, but below the table's rounding
        Assert.True(tiny.P < 0.05);
        Assert.Equal(Verdict.NoDetectableDifference, Stats.Judge(tiny, auprc));
        var better = Stats.PairedDifference(new[] { 0.25, 0.36, 0.44 }, new[] { 0.2, 0.3, 0.4 });
        Assert.Equal(Verdict.Better, Stats.Judge(better, auprc));
        Assert.Equal(Verdict.NoDetectableDifference, Stats.Judge(better, auprc, adjustedP: 0.2));
        Assert.Equal(Verdict.Worse, Stats.Judge(Stats.PairedDifference(new[] { 0.2, 0.3, 0.4 }, new[] { 0.25, 0.36, 0.44 }), auprc));
        Assert.Equal(Verdict.Higher, Stats.Judge(better, Scoring.ContactMaps.Of("asymmetry")));
        var one = Stats.PairedDifference(new[] { 0.5 }, new[] { 0.2 });
        Assert.Equal(Verdict.TooFewSeeds, Stats.Judge(one, auprc));
        Assert.Equal("+0.3000 (1 seed, no interval)", one.Show(4, signed: true));
        Assert.Throws<ArgumentException>(() => Stats.PairedDifference(new[] { 0.5 }, new[] { 0.2, 0.1 }));
    }

    /// <summary>The per-seed values of the full run issue 24 read (Data/issue24) give the t intervals it computed by hand.</summary>
    [Theory]
    [InlineData("predict", "sym-transpose", 4, "+0.0086 [−0.0041, +0.0213]", Verdict.NoDetectableDifference)]
    [InlineData("denoise", "symmetrize", 3, "+0.021 [+0.015, +0.028]", Verdict.Better)]
    [InlineData("predict", "symmetrize", 3, "+0.014 [−0.005, +0.033]", Verdict.NoDetectableDifference)]
    public void TheFullRunIssue24ReadGivesItsTIntervals(string inputs, string option, int digits, string interval, Verdict verdict)
    {
        var runs = Report.ReadRunsCsv(ContactMapsDataTests.RepositoryFile("tests", "LossDsl.Tests", "Data", "issue24", inputs + "-runs.csv"));
        var result = new ComparisonResult(new ComparisonSettings { Seeds = 5 }, Candidates.Question, runs, null);
        var candidate = Candidates.Question.Single(o => o.Key == option);
        Assert.Equal(5, result.CompleteSeeds.Count);
        Assert.Equal(interval, result.Difference(candidate, Scoring.ContactMaps.Headline)!.Value.Show(digits, signed: true));
        Assert.Equal(verdict, result.Verdict(candidate, Scoring.ContactMaps.Headline));
    }

    [Fact]
    public void AStoppedComparisonResumesToTheSameTablesAndItsModelsScoreAgain()
    {
        var root = Path.Combine(Path.GetTempPath(), "lossdsl-experiments-" + Guid.NewGuid().ToString("N"));
        try
        {
            var settings = new ComparisonSettings { Seeds = 2, StepsPerEpoch = 3, MaxEpochs = 2, MinEpochs = 1, Patience = 1, Control = true };
            var options = new[] { Candidates.Baseline, Candidates.BetterHalf };
            var data = SyntheticMaps.Data();
            var whole = Comparison.Run(data, options, settings, Path.Combine(root, "whole"));
            Assert.Equal(6, whole.Runs.Count); // the two options and the A/A control, under two seeds
            Assert.Equal("focal-aa", whole.Options[^1].Key);

            var stopped = Path.Combine(root, "stopped");
            var crash = new Crash();
            Assert.Throws<InvalidOperationException>(() => Comparison.Run(data, options, settings, stopped, crash));
            Assert.Single(Directory.GetDirectories(Path.Combine(stopped, "runs")));
            var resumed = new Counting();
            var result = Comparison.Run(data, options, settings, stopped, resumed);
            Assert.Equal(5, resumed.Started); // the finished run was loaded, not trained again

            static string Without(string runsCsv, int column) =>
                string.Join("\n", runsCsv.Split('\n').Select(l => string.Join(",", l.Split(',').Where((_, k) => k != column))));
            Assert.Equal(Report.SummaryCsv(whole), Report.SummaryCsv(result));
            Assert.Equal(Without(Report.RunsCsv(whole), 6), Without(Report.RunsCsv(result), 6)); // all but seconds_per_epoch
            Assert.Equal(Report.SummaryCsv(whole), Report.SummaryCsv(Comparison.Load(stopped, options)));
            Assert.Equal(Report.Markdown(whole, new ReportText()), Report.Markdown(Comparison.Load(Path.Combine(root, "whole"), options), new ReportText()));

            // The saved models, applied to the test maps again, give the same scores.
            var again = Comparison.Evaluate(stopped, data.Model, data.Test, options);
            Assert.Equal(Report.SummaryCsv(whole), Report.SummaryCsv(again));

            var files = Report.Write(result, Path.Combine(root, "report"), new ReportText("Synthetic"));
            var markdown = File.ReadAllText(files[0]);
            Assert.Contains("**Too small to decide.**", markdown);
            Assert.Contains("A/A controls (A/A: focal (baseline) under seeds + 1000", markdown);
            Assert.Contains("example-maps.png", files.Select(Path.GetFileName));

            // Adding the A/A control to a finished comparison trains only the control's runs.
            var plain = Path.Combine(root, "plain");
            Comparison.Run(data, options, settings with { Control = false }, plain);
            var added = new Counting();
            Assert.Equal(6, Comparison.Run(data, options, settings, plain, added).Runs.Count);
            Assert.Equal(2, added.Started);

            // Another schedule in the same folder is refused.
            Assert.Throws<InvalidOperationException>(() => Comparison.Run(data, options, settings with { StepsPerEpoch = 4 }, stopped));
            var other = SyntheticMaps.Data();
            Assert.Throws<InvalidOperationException>(() => Comparison.Run(new ComparisonData
            {
                Batches = other.Batches, Validation = other.Validation, Test = other.Test, Model = other.Model, Identity = "another network",
            }, options, settings, stopped));
            // So is another scoring, and loading under another scoring than the saved one.
            Assert.Throws<InvalidOperationException>(() => Comparison.Run(new ComparisonData
            {
                Batches = other.Batches, Validation = other.Validation, Test = other.Test, Model = other.Model, Scoring = Scoring.BasePairs,
            }, options, settings, stopped));
            Assert.Throws<InvalidOperationException>(() => Comparison.Load(stopped, options, Scoring.BasePairs));

            // A folder from before scorings were saved loads as contact maps.
            var manifest = Path.Combine(stopped, "comparison.json");
            var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
            Assert.Equal("contact-maps", (string?)json["Scoring"]!["Name"]);
            json.Remove("Scoring");
            File.WriteAllText(manifest, json.ToJsonString());
            Assert.Equal(Report.SummaryCsv(whole), Report.SummaryCsv(Comparison.Load(stopped, options)));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Crashes the comparison after its first finished run, as a libtorch check once did.</summary>
    private sealed class Crash : IComparisonProgress
    {
        public void Start(int runs, int epochs) { }
        public void RunStarted(Candidate option, int seed) { }
        public void EpochDone(Candidate option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds) { }
        public void RunDone(Candidate option, RunRecord run) => throw new InvalidOperationException("injected crash");
    }

    private sealed class Counting : IComparisonProgress
    {
        public int Started { get; private set; }
        public void Start(int runs, int epochs) { }
        public void RunStarted(Candidate option, int seed) => Started++;
        public void EpochDone(Candidate option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds) { }
        public void RunDone(Candidate option, RunRecord run) { }
    }
}
