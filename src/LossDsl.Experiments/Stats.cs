using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.Distributions;

namespace LossDsl.Experiments;

/// <summary>What a paired difference says.</summary>
public enum Verdict
{
    /// <summary>The interval covers 0, or the difference is no larger than the rounding of the table.</summary>
    NoDetectableDifference,
    /// <summary>Better than the baseline (for a metric where higher is better: the interval lies above 0).</summary>
    Better,
    /// <summary>Worse than the baseline.</summary>
    Worse,
    /// <summary>Higher than the baseline, for a metric without a direction.</summary>
    Higher,
    /// <summary>Lower than the baseline, for a metric without a direction.</summary>
    Lower,
    /// <summary>One seed: no interval, no verdict.</summary>
    TooFewSeeds,
}

/// <summary>
/// The intervals of the report. The unit of replication is the seed: each seed trains every option from the same
/// initialisation on the same batches, so an option's effect on one seed is the paired difference
/// <c>value(option, seed) − value(baseline, seed)</c> on the fixed test samples. The interval is Student's t over these
/// per-seed differences (n − 1 degrees of freedom), which is wide when there are few seeds, as it should be; the
/// percentile bootstrap over 5 seeds was too narrow (an A/A placebo came out "better").
/// </summary>
public static class Stats
{
    /// <summary>The nominal level of every interval and test.</summary>
    public const double Level = 0.95;

    /// <summary>The two-sided quantile of Student's t with <paramref name="df"/> degrees of freedom at <see cref="Level"/>.</summary>
    public static double TQuantile(int df) => StudentT.InvCDF(0, 1, df, 1 - (1 - Level) / 2);

    /// <summary>The mean of <paramref name="values"/> (one per seed) with its t interval, and the p-value of "mean = 0".</summary>
    public static Estimate Mean(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values", nameof(values));
        var mean = values.Average();
        if (values.Count < 2) return new Estimate(mean, mean, mean) { Seeds = values.Count };
        var sd = Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Count - 1));
        var se = sd / Math.Sqrt(values.Count);
        int df = values.Count - 1;
        var half = TQuantile(df) * se;
        var p = se > 0 ? 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(mean) / se)) : mean == 0 ? 1 : 0;
        return new Estimate(mean, mean - half, mean + half) { P = p, Seeds = values.Count };
    }

    /// <summary>The paired difference <c>option − baseline</c> over seeds (paired by index), with its t interval and p-value.</summary>
    public static Estimate PairedDifference(IReadOnlyList<double> option, IReadOnlyList<double> baseline)
    {
        if (option.Count != baseline.Count) throw new ArgumentException($"option has {option.Count} seeds, the baseline {baseline.Count}: they pair by seed.");
        return Mean(option.Zip(baseline, (a, b) => a - b).ToList());
    }

    /// <summary>Holm's step-down adjustment of <paramref name="p"/> (family-wise error at most the level for any dependence).</summary>
    public static double[] Holm(IReadOnlyList<double> p)
    {
        var order = Enumerable.Range(0, p.Count).OrderBy(k => p[k]).ToArray();
        var adjusted = new double[p.Count];
        double running = 0;
        for (int r = 0; r < order.Length; r++)
        {
            running = Math.Max(running, Math.Min(1, (p.Count - r) * p[order[r]]));
            adjusted[order[r]] = running;
        }
        return adjusted;
    }

    /// <summary>
    /// The verdict on <paramref name="difference"/>: a direction only when the (Holm-adjusted, if given) p-value is
    /// below 1 − <see cref="Level"/> and the difference is at least one unit of the last decimal shown.
    /// </summary>
    public static Verdict Judge(Estimate difference, Metric metric, double? adjustedP = null)
    {
        if (!difference.HasInterval) return Verdict.TooFewSeeds;
        var p = adjustedP ?? difference.P;
        var significant = p < 1 - Level && Math.Abs(difference.Value) >= Math.Pow(10, -(metric.Digits + 1));
        if (!significant) return Verdict.NoDetectableDifference;
        return (difference.Value > 0, metric.HigherIsBetter) switch
        {
            (true, true) or (false, false) => Verdict.Better,
            (false, true) or (true, false) => Verdict.Worse,
            (true, null) => Verdict.Higher,
            (false, null) => Verdict.Lower,
        };
    }

    /// <summary>The verdict in the words of the tables.</summary>
    public static string Words(Verdict verdict) => verdict switch
    {
        Verdict.NoDetectableDifference => "no detectable difference",
        Verdict.TooFewSeeds => "too few seeds to decide",
        Verdict.Better => "better",
        Verdict.Worse => "worse",
        Verdict.Higher => "higher",
        Verdict.Lower => "lower",
    };
}
