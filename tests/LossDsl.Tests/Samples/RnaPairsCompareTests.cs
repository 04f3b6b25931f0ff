using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LossDsl.Experiments;
using RnaPairs;
using Xunit;

namespace LossDsl.Tests.Samples;

/// <summary>The RnaPairs comparison end to end at a tiny size, on the committed Rfam (CC0) excerpts: no Debian package needed.</summary>
[Collection(TorchSeedCollection.Name)]
public class RnaPairsCompareTests
{
    /// <summary>Six sequences from the excerpts: four Vault RNAs and two PK-HAV; train, validation and test by hand.</summary>
    private static List<RnaEntry> Entries()
    {
        var seen = new HashSet<string>();
        var kept = new[] { ("Vault-excerpt.sto", "Vault"), ("PK-HAV.sto", "PK-HAV") }
            .SelectMany(f => DataBuilder.ReadFile(new SourceFile("test", f.Item1, f.Item2, "Rfam seed excerpt", Cc0: true), RnaPairsDataTests.Excerpt(f.Item1), 40, seen).Kept).ToList();
        Assert.Equal(6, kept.Count);
        var parts = new[] { Split.Train, Split.Train, Split.Validation, Split.Test, Split.Train, Split.Test };
        return kept.Select((k, n) => new RnaEntry(k.Name, k.Family, "excerpt", k.Structure, n, 1, parts[n], parts[n])).ToList();
    }

    [Fact]
    public void ATinyComparisonScoresBasePairsAndSavesItsScoring()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lossdsl-rnapairs-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = new RnaConfig
            {
                Entries = Entries(), Validation = 0, Test = 0, TrainBound = 32, BatchSize = 2, Channels = 4, Blocks = 1,
                Schedule = new ComparisonSettings { StepsPerEpoch = 2, MaxEpochs = 2, MinEpochs = 1, Patience = 1, Seeds = 2, LearningRate = 5e-3 },
                Options = SampleOptions.Select(new[] { "focal,bce" }), Output = folder,
            };
            Assert.Equal(0, Cli.Compare(config, threads: 1, recompute: false));
            var result = Comparison.Load(config.Folder(SplitKind.Cluster), config.Options);
            Assert.Same(Scoring.BasePairs, result.Scoring);
            Assert.Equal(4, result.Runs.Count);
            Assert.All(result.Runs, r => Assert.True(r.Test.Count == 2 && r.TrainLoss.All(double.IsFinite) && r.BestEpoch >= 1));
            Assert.All(result.Runs, r => Assert.All(result.Scoring.Metrics, m => Assert.InRange(r.Value(m), -1, 1)));

            var markdown = File.ReadAllText(Path.Combine(config.Folder(SplitKind.Cluster), "results.md"));
            Assert.Contains("| focal (baseline) |", markdown);
            Assert.Contains("| BCE PosWeight = 300 |", markdown);
            Assert.Contains("| option | loss | test time | best epoch | AUPRC | F1 | MCC | P@L/2 | asymmetry |", markdown);
            Assert.Contains("## Pairs at the threshold", markdown);
            Assert.Contains("|i − j| ≥ 4", markdown);
            Assert.Contains("**Too small to decide.**", markdown);
            var csv = File.ReadAllLines(Path.Combine(config.Folder(SplitKind.Cluster), "results.csv"));
            Assert.Equal(1 + 2 * Scoring.BasePairs.Metrics.Count, csv.Length);
            Assert.Contains(csv, l => l.Contains(",mcc,", StringComparison.Ordinal));

            // --recompute reads the scoring from the folder and writes the same tables.
            Assert.Equal(0, Cli.Compare(config, threads: 1, recompute: true));
            Assert.Equal(markdown, File.ReadAllText(Path.Combine(config.Folder(SplitKind.Cluster), "results.md")));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TheInputMarksTheSequenceAndItsTrueSeparationAndIsPadded()
    {
        var into = new float[Experiment.Channels * 4 * 4];
        Experiment.Input("G" + new string('A', 69) + "CU", new[] { 0, 70, 71 }, 4, into, 0);
        float At(int channel, int i, int j) => into[(channel * 4 + i) * 4 + j];
        Assert.Equal(1f, At(PairFeatures.CanPair, 0, 1)); // G–C
        Assert.Equal(1f, At(PairFeatures.CanPair, 0, 2)); // G–U
        Assert.Equal(1f, At(PairFeatures.Channels, 2, 1));
        Assert.Equal(0f, At(PairFeatures.Channels, 3, 1)); // padding
        Assert.Equal(1f, At(PairFeatures.Channels + 1, 0, 1)); // 70 apart in the sequence: capped at 64
        Assert.Equal(1f / 64, At(PairFeatures.Channels + 1, 1, 2), 6);
        Assert.Equal(0f, At(PairFeatures.Channels + 1, 3, 0));
    }
}
