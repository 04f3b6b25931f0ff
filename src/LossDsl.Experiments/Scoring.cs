using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Experiments;

/// <summary>
/// How a comparison scores a map: the cells scored (<c>|i − j| ≥ MinSeparation</c>), the metrics in column order, the
/// headline metric (Holm-adjusted, the A/A control's test), and how the report lays them out. A comparison saves its
/// scoring's name in its folder, so that loading, evaluating and recomputing score the same way.
/// </summary>
public sealed record Scoring
{
    /// <summary>Creates a scoring; <paramref name="headline"/>, <paramref name="table"/>, <paramref name="differences"/> and <paramref name="detail"/> name metrics by key.</summary>
    public Scoring(string name, int minSeparation, IReadOnlyList<Metric> metrics, string headline, IReadOnlyList<string> table, IReadOnlyList<string> differences,
        string detailTitle, IReadOnlyList<string> detail, int exampleDivisor, string definitions)
    {
        if (minSeparation < 0) throw new ArgumentOutOfRangeException(nameof(minSeparation), minSeparation, "the minimum separation must be at least 0.");
        if (exampleDivisor < 1) throw new ArgumentOutOfRangeException(nameof(exampleDivisor), exampleDivisor, "the example's divisor must be at least 1.");
        if (metrics.Select(m => m.Key).Distinct().Count() != metrics.Count) throw new ArgumentException("metric keys must be distinct.", nameof(metrics));
        (Name, MinSeparation, ExampleDivisor, Definitions, DetailTitle) = (name, minSeparation, exampleDivisor, definitions, detailTitle);
        Metrics = metrics.Select((m, k) => m with { Index = k }).ToList();
        Headline = Of(headline);
        Table = table.Select(Of).ToList();
        Differences = differences.Select(Of).ToList();
        Detail = detail.Select(Of).ToList();
    }

    /// <summary>The name saved with a comparison's runs (see <see cref="Known"/>).</summary>
    public string Name { get; }
    /// <summary>The smallest separation <c>|i − j|</c> scored.</summary>
    public int MinSeparation { get; }
    /// <summary>Every metric, in column order; <see cref="SampleScores"/> stores them in this order.</summary>
    public IReadOnlyList<Metric> Metrics { get; }
    /// <summary>The headline metric: the one corrected for the number of options (Holm) and the A/A control's test.</summary>
    public Metric Headline { get; }
    /// <summary>The main table's metrics (those with a direction are also the panels of the differences plot).</summary>
    public IReadOnlyList<Metric> Table { get; }
    /// <summary>The columns of the paired differences.</summary>
    public IReadOnlyList<Metric> Differences { get; }
    /// <summary>The title of the report's third table.</summary>
    public string DetailTitle { get; }
    /// <summary>The third table's metrics (followed by the threshold).</summary>
    public IReadOnlyList<Metric> Detail { get; }
    /// <summary>The example map shows the top <c>L / ExampleDivisor</c> predictions.</summary>
    public int ExampleDivisor { get; }
    /// <summary>The metrics in words, for the report's legend.</summary>
    public string Definitions { get; }

    /// <summary>The metric with <paramref name="key"/>.</summary>
    public Metric Of(string key) => Metrics.SingleOrDefault(m => m.Key == key)
        ?? throw new ArgumentException($"unknown metric {key} in the scoring {Name}; known: {string.Join(", ", Metrics.Select(m => m.Key))}.");

    /// <summary>The scored cells of an <c>n × n</c> map: <c>|i − j| ≥ MinSeparation</c>, and inside <paramref name="valid"/> if given.</summary>
    public Tensor Scored(long n, Tensor? valid = null)
    {
        using Scalar zero = 0, count = n, one = 1, least = MinSeparation; // kept: TorchSharp may free implicit Scalars early
        var i = arange(zero, count, one);
        var scored = (i.unsqueeze(1) - i.unsqueeze(0)).abs().ge(least);
        return valid is null ? scored : scored.logical_and(valid.to_type(ScalarType.Bool));
    }

    /// <summary>Scores one <c>L × L</c> map <paramref name="p"/> (after the test-time step; <paramref name="raw"/> before it) against <paramref name="target"/>.</summary>
    public SampleScores Score(string sample, Tensor p, Tensor raw, Tensor target, Tensor? valid, double threshold)
    {
        using var scope = NewDisposeScope();
        var map = new ScoredMap(p, raw, target, valid, Scored(p.shape[^1], valid), threshold);
        var values = Metrics.Select(m => m.Score(map)).ToList();
        return new SampleScores(sample, values.Select(v => v.Numerator).ToArray(), values.Select(v => v.Denominator).ToArray());
    }

    /// <summary>Protein contact maps, as the field scores them: cells with <c>|i − j| ≥ 6</c>; AUPRC (the headline), pooled F1,
    /// top-L precision by separation range, and the asymmetry of the raw output.</summary>
    public static Scoring ContactMaps { get; } = new("contact-maps", 6, new[]
        {
            AveragePrecision(),
            new Metric("f1", "F1", true, 3, m => (2 * m.Confusion.TruePositives, 2 * m.Confusion.TruePositives + m.Confusion.FalsePositives + m.Confusion.FalseNegatives)),
            TopL("pl_long", "P@L long", SeparationRange.Long, 1), TopL("pl2_long", "P@L/2 long", SeparationRange.Long, 2), TopL("pl5_long", "P@L/5 long", SeparationRange.Long, 5),
            TopL("pl_medium", "P@L medium", SeparationRange.Medium, 1), TopL("pl2_medium", "P@L/2 medium", SeparationRange.Medium, 2), TopL("pl5_medium", "P@L/5 medium", SeparationRange.Medium, 5),
            TopL("pl_short", "P@L short", SeparationRange.Short, 1), TopL("pl2_short", "P@L/2 short", SeparationRange.Short, 2), TopL("pl5_short", "P@L/5 short", SeparationRange.Short, 5),
            Asymmetry(),
        },
        headline: "auprc", table: new[] { "auprc", "pl_long", "pl5_long", "f1", "asymmetry" },
        differences: new[] { "auprc", "f1", "pl_long", "pl5_long", "pl_medium", "pl_short", "asymmetry" },
        detailTitle: "Top-L precision by separation range",
        detail: new[] { "pl_long", "pl2_long", "pl5_long", "pl_medium", "pl2_medium", "pl5_medium", "pl_short", "pl2_short", "pl5_short" }, exampleDivisor: 1,
        definitions: "AUPRC: average precision per sample over the cells |i − j| ≥ 6, averaged; P@L, P@L/2, P@L/5: top-k precision per sample for long (≥ 24), medium [12, 24) and short [6, 12) separations; " +
            "F1: pooled over the test cells at the threshold with the best F1 on validation; asymmetry: mean |p − pᵀ| of the raw output, before the test-time step.");

    /// <summary>The minimum separation of <see cref="BasePairs"/>: a hairpin loop holds at least 3 unpaired bases, so <c>j − i ≥ 4</c>.</summary>
    public const int BasePairSeparation = 4;

    /// <summary>RNA base-pair maps, as the secondary-structure field scores them: cells with <c>|i − j| ≥ 4</c>; AUPRC (the headline),
    /// F1, MCC, precision and recall of the pairs per sequence, precision of the top L/2 pairs, and the asymmetry of the raw output.</summary>
    public static Scoring BasePairs { get; } = new("base-pairs", BasePairSeparation, new[]
        {
            AveragePrecision(),
            new Metric("f1", "F1", true, 3, m => (m.Confusion.F1, 1)),
            new Metric("mcc", "MCC", true, 3, m => (m.Confusion.Mcc, 1)),
            new Metric("precision", "precision", true, 3, m => (m.Confusion.Precision, 1)),
            new Metric("recall", "recall", true, 3, m => (m.Confusion.Recall, 1)),
            TopL("pl2", "P@L/2", new SeparationRange(BasePairSeparation), 2),
            Asymmetry(),
        },
        headline: "auprc", table: new[] { "auprc", "f1", "mcc", "pl2", "asymmetry" },
        differences: new[] { "auprc", "f1", "mcc", "pl2", "asymmetry" },
        detailTitle: "Pairs at the threshold", detail: new[] { "precision", "recall", "f1", "mcc" }, exampleDivisor: 2,
        definitions: $"AUPRC: average precision per sequence over the cells |i − j| ≥ {BasePairSeparation}, averaged; F1, MCC, precision, recall: per sequence over the same cells " +
            "at the threshold with the best F1 on validation, averaged over sequences (each pair is two cells, one per half); P@L/2: precision of the L/2 highest pairs (upper half, " +
            $"j − i ≥ {BasePairSeparation}) per sequence; asymmetry: mean |p − pᵀ| of the raw output, before the test-time step.");

    /// <summary>The scorings a saved comparison can name.</summary>
    public static IReadOnlyList<Scoring> Known { get; } = new[] { ContactMaps, BasePairs };

    /// <summary>The known scoring named <paramref name="name"/>.</summary>
    public static Scoring Find(string name) => Known.SingleOrDefault(s => s.Name == name)
        ?? throw new InvalidOperationException($"unknown scoring {name}; known: {string.Join(", ", Known.Select(s => s.Name))}. Pass the scoring the runs were made with.");

    private static Metric AveragePrecision() => new("auprc", "AUPRC", true, 3, m => (LossDsl.Metrics.AveragePrecision(m.P, m.Target, m.Scored), 1));

    // A map too small for the range is left out of its mean.
    private static Metric TopL(string key, string header, SeparationRange range, int divisor) =>
        new(key, header, true, 3, m => m.Length > range.Min ? (LossDsl.Metrics.TopLPrecision(m.P, m.Target, range, divisor, m.Valid), 1) : (0, 0));

    private static Metric Asymmetry() => new("asymmetry", "asymmetry", null, 4, m => (LossDsl.Metrics.Asymmetry(m.Raw, m.Valid), 1));
}
