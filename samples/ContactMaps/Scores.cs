using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace ContactMaps;

/// <summary>
/// One number of the tables. A split's value is <c>Σ numerator / Σ denominator</c> over its chains: a mean of
/// per-chain values (denominator 1), or pooled (F1 from the chains' summed counts).
/// </summary>
/// <param name="Key">Column name in the CSV files.</param>
/// <param name="Header">Column header in the tables.</param>
/// <param name="HigherIsBetter">Whether a larger value is better (asymmetry is neither: it is reported as lower or higher).</param>
/// <param name="Digits">Decimals shown.</param>
public sealed record Metric(string Key, string Header, bool? HigherIsBetter, int Digits = 3)
{
    /// <summary>Every metric, in column order; <see cref="ChainScores"/> stores them in this order.</summary>
    public static IReadOnlyList<Metric> All { get; } = new Metric[]
    {
        new("auprc", "AUPRC", true),
        new("f1", "F1", true),
        new("pl_long", "P@L long", true), new("pl2_long", "P@L/2 long", true), new("pl5_long", "P@L/5 long", true),
        new("pl_medium", "P@L medium", true), new("pl2_medium", "P@L/2 medium", true), new("pl5_medium", "P@L/5 medium", true),
        new("pl_short", "P@L short", true), new("pl2_short", "P@L/2 short", true), new("pl5_short", "P@L/5 short", true),
        new("asymmetry", "asymmetry", null, 4),
    };

    /// <summary>The metric with <paramref name="key"/>.</summary>
    public static Metric Of(string key) => All.Single(m => m.Key == key);

    /// <summary>The index of this metric in <see cref="All"/>.</summary>
    public int Index => ((IList<Metric>)All).IndexOf(this);
}

/// <summary>One chain's numerators and denominators, in <see cref="Metric.All"/>'s order.</summary>
public sealed record ChainScores(string Chain, double[] Numerator, double[] Denominator)
{
    private static readonly (SeparationRange Range, int Divisor)[] TopL =
    {
        (SeparationRange.Long, 1), (SeparationRange.Long, 2), (SeparationRange.Long, 5),
        (SeparationRange.Medium, 1), (SeparationRange.Medium, 2), (SeparationRange.Medium, 5),
        (SeparationRange.Short, 1), (SeparationRange.Short, 2), (SeparationRange.Short, 5),
    };

    /// <summary>The value of <paramref name="metric"/> for this chain alone.</summary>
    public double Value(Metric metric) => Denominator[metric.Index] > 0 ? Numerator[metric.Index] / Denominator[metric.Index] : 0;

    /// <summary>
    /// Scores one chain's <c>L × L</c> map <paramref name="p"/> (after the test-time step) against <paramref name="target"/>:
    /// average precision and F1 at <paramref name="threshold"/> over the pairs <c>|i − j| ≥ 6</c> (both triangles),
    /// top-L precision by range (upper triangle, as LossDsl.Metrics defines it), and the asymmetry of <paramref name="raw"/>.
    /// </summary>
    public static ChainScores Of(string chain, Tensor p, Tensor raw, Tensor target, double threshold)
    {
        using var scope = NewDisposeScope();
        var scored = Scored(p.shape[^1]);
        var confusion = Metrics.Confusion(p, target, scored, threshold);
        var numerator = new List<double> { Metrics.AveragePrecision(p, target, scored), 2 * confusion.TruePositives };
        var denominator = new List<double> { 1, 2 * confusion.TruePositives + confusion.FalsePositives + confusion.FalseNegatives };
        foreach (var (range, divisor) in TopL)
        {
            var candidates = p.shape[^1] > range.Min; // a chain too short for the range is left out of its mean
            numerator.Add(candidates ? Metrics.TopLPrecision(p, target, range, divisor) : 0);
            denominator.Add(candidates ? 1 : 0);
        }
        numerator.Add(Metrics.Asymmetry(raw));
        denominator.Add(1);
        return new ChainScores(chain, numerator.ToArray(), denominator.ToArray());
    }

    /// <summary>The scored cells of an <c>n × n</c> map: <c>|i − j| ≥ 6</c>.</summary>
    public static Tensor Scored(long n)
    {
        using Scalar zero = 0, count = n, one = 1, least = ContactMaps.Chain.MinSeparation; // kept: see Network.cs
        var i = arange(zero, count, one);
        return (i.unsqueeze(1) - i.unsqueeze(0)).abs().ge(least);
    }
}
