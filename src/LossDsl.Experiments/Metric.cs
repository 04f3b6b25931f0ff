using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Experiments;

/// <summary>
/// One number of the tables, computed from <see cref="Metrics"/>. A split's value is <c>Σ numerator / Σ denominator</c>
/// over its samples: a mean of per-sample values (denominator 1), or pooled (F1 from the samples' summed counts).
/// </summary>
/// <param name="Key">Column name in the CSV files.</param>
/// <param name="Header">Column header in the tables.</param>
/// <param name="HigherIsBetter">Whether a larger value is better (asymmetry is neither: it is reported as lower or higher).</param>
/// <param name="Digits">Decimals shown for a value; differences show one more.</param>
public sealed record Metric(string Key, string Header, bool? HigherIsBetter, int Digits = 3)
{
    /// <summary>Every metric, in column order; <see cref="SampleScores"/> stores them in this order.</summary>
    public static IReadOnlyList<Metric> All { get; } = new Metric[]
    {
        new("auprc", "AUPRC", true),
        new("f1", "F1", true),
        new("pl_long", "P@L long", true), new("pl2_long", "P@L/2 long", true), new("pl5_long", "P@L/5 long", true),
        new("pl_medium", "P@L medium", true), new("pl2_medium", "P@L/2 medium", true), new("pl5_medium", "P@L/5 medium", true),
        new("pl_short", "P@L short", true), new("pl2_short", "P@L/2 short", true), new("pl5_short", "P@L/5 short", true),
        new("asymmetry", "asymmetry", null, 4),
    };

    /// <summary>The headline metric: the one the comparison corrects for the number of options (Holm) and stops early on.</summary>
    public static Metric Headline => All[0];

    /// <summary>The metric with <paramref name="key"/>.</summary>
    public static Metric Of(string key) => All.SingleOrDefault(m => m.Key == key) ?? throw new ArgumentException($"unknown metric {key}; known: {string.Join(", ", All.Select(m => m.Key))}.");

    /// <summary>The index of this metric in <see cref="All"/>.</summary>
    public int Index => ((IList<Metric>)All).IndexOf(this);
}

/// <summary>One test sample's numerators and denominators, in <see cref="Metric.All"/>'s order.</summary>
/// <param name="Sample">The sample's name.</param>
/// <param name="Numerator">Per metric.</param>
/// <param name="Denominator">Per metric; 0 leaves the sample out of that metric's mean.</param>
public sealed record SampleScores(string Sample, double[] Numerator, double[] Denominator)
{
    /// <summary>The smallest separation <c>|i − j|</c> scored: the field's convention for contact maps.</summary>
    public const int MinSeparation = 6;

    private static readonly (SeparationRange Range, int Divisor)[] TopL =
    {
        (SeparationRange.Long, 1), (SeparationRange.Long, 2), (SeparationRange.Long, 5),
        (SeparationRange.Medium, 1), (SeparationRange.Medium, 2), (SeparationRange.Medium, 5),
        (SeparationRange.Short, 1), (SeparationRange.Short, 2), (SeparationRange.Short, 5),
    };

    /// <summary>The value of <paramref name="metric"/> for this sample alone.</summary>
    public double Value(Metric metric) => Denominator[metric.Index] > 0 ? Numerator[metric.Index] / Denominator[metric.Index] : 0;

    /// <summary>A split's value of <paramref name="metric"/>: <c>Σ numerator / Σ denominator</c> over <paramref name="samples"/>.</summary>
    public static double Value(IReadOnlyList<SampleScores> samples, Metric metric)
    {
        double numerator = 0, denominator = 0;
        foreach (var s in samples) { numerator += s.Numerator[metric.Index]; denominator += s.Denominator[metric.Index]; }
        return denominator > 0 ? numerator / denominator : 0;
    }

    /// <summary>
    /// Scores one <c>L × L</c> map <paramref name="p"/> (after the test-time step) against <paramref name="target"/>:
    /// average precision and F1 at <paramref name="threshold"/> over the scored cells (<see cref="Scored"/>), top-L
    /// precision by range, and the asymmetry of <paramref name="raw"/> (before the test-time step).
    /// </summary>
    public static SampleScores Of(string sample, Tensor p, Tensor raw, Tensor target, Tensor? valid, double threshold)
    {
        using var scope = NewDisposeScope();
        var scored = Scored(p.shape[^1], valid);
        var confusion = Metrics.Confusion(p, target, scored, threshold);
        var numerator = new List<double> { Metrics.AveragePrecision(p, target, scored), 2 * confusion.TruePositives };
        var denominator = new List<double> { 1, 2 * confusion.TruePositives + confusion.FalsePositives + confusion.FalseNegatives };
        foreach (var (range, divisor) in TopL)
        {
            var candidates = p.shape[^1] > range.Min; // a map too small for the range is left out of its mean
            numerator.Add(candidates ? Metrics.TopLPrecision(p, target, range, divisor, valid) : 0);
            denominator.Add(candidates ? 1 : 0);
        }
        numerator.Add(Metrics.Asymmetry(raw, valid));
        denominator.Add(1);
        return new SampleScores(sample, numerator.ToArray(), denominator.ToArray());
    }

    /// <summary>The scored cells of an <c>n × n</c> map: <c>|i − j| ≥ 6</c>, and inside <paramref name="valid"/> if given.</summary>
    public static Tensor Scored(long n, Tensor? valid = null)
    {
        using Scalar zero = 0, count = n, one = 1, least = MinSeparation; // kept: TorchSharp may free implicit Scalars early
        var i = arange(zero, count, one);
        var scored = (i.unsqueeze(1) - i.unsqueeze(0)).abs().ge(least);
        return valid is null ? scored : scored.logical_and(valid.to_type(ScalarType.Bool));
    }
}
