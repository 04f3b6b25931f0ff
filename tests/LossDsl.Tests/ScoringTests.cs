using System.IO;
using System.Linq;
using LossDsl.Experiments;
using LossDsl.Tests.Samples;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>The scorings of LossDsl.Experiments: contact maps as the committed runs hold them, and base pairs on a map worked by hand.</summary>
public class ScoringTests
{
    [Fact]
    public void ContactMapsScoresTheColumnsOfTheCommittedRuns()
    {
        var header = File.ReadLines(ContactMapsDataTests.RepositoryFile("results", "full", "denoise", "runs.csv")).First().Split(',');
        var keys = Scoring.ContactMaps.Metrics.Select(m => m.Key).ToArray();
        Assert.Equal(keys, header.Skip(8).Take(keys.Length));
        Assert.Equal(6, Scoring.ContactMaps.MinSeparation);
        Assert.Equal("auprc", Scoring.ContactMaps.Headline.Key);
        Assert.All(Scoring.Known, s => Assert.Equal(Enumerable.Range(0, s.Metrics.Count), s.Metrics.Select(m => m.Index)));
        Assert.Same(Scoring.BasePairs, Scoring.Find("base-pairs"));
        Assert.Throws<System.InvalidOperationException>(() => Scoring.Find("hi-c"));
    }

    [Fact]
    public void BasePairsScoresPairsAtLeastFourApartPerSequence()
    {
        // Pairs (0, 9), (1, 8), (2, 7) and (3, 6); the last is 3 apart, closer than a hairpin allows, and not scored.
        var y = zeros(10, 10);
        var p = full(10, 10, 0.01f);
        void Both(Tensor t, int i, int j, float v) { t[i, j] = tensor(v); t[j, i] = tensor(v); }
        foreach (var (i, j) in new[] { (0, 9), (1, 8), (2, 7), (3, 6) }) Both(y, i, j, 1);
        Both(p, 0, 9, 0.9f);
        Both(p, 1, 8, 0.9f);
        Both(p, 2, 7, 0.3f);
        Both(p, 3, 6, 0.95f);
        Both(p, 0, 5, 0.8f); // a false pair
        var s = Scoring.BasePairs;
        var scores = s.Score("hand", p, p, y, null, threshold: 0.5);
        double V(string key) => scores.Value(s.Of(key));
        // 42 scored cells (|i − j| ≥ 4); at 0.5: TP 4, FP 2, FN 2, TN 34.
        Assert.Equal(2.0 / 3, V("f1"), 6);
        Assert.Equal(2.0 / 3, V("precision"), 6);
        Assert.Equal(2.0 / 3, V("recall"), 6);
        Assert.Equal((4.0 * 34 - 2 * 2) / (6.0 * 36), V("mcc"), 6);
        Assert.Equal(3.0 / 5, V("pl2"), 6);                 // top 5 of the upper half: 0.9, 0.9, 0.8, 0.3, 0.01
        Assert.Equal(4.0 / 6 + 2.0 / 6 * 6 / 8, V("auprc"), 6); // recall 4/6 at precision 1, then 6/6 at 6/8
        Assert.Equal(0, V("asymmetry"), 6);
        Assert.Equal(s.Metrics.Count, scores.Numerator.Length);
    }
}
