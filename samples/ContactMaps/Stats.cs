using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ContactMaps;

/// <summary>A point estimate with a 95 % interval.</summary>
public readonly record struct Estimate(double Value, double Low, double High)
{
    /// <summary><c>0.123 [0.110, 0.136]</c>, or <c>+0.004 [−0.010, +0.018]</c> with <paramref name="signed"/>; minus signs are U+2212.</summary>
    public string Show(int digits = 3, bool signed = false) => $"{Number(Value, digits, signed)} [{Number(Low, digits, signed)}, {Number(High, digits, signed)}]";

    /// <summary>One number with <paramref name="digits"/> decimals; a value that rounds to zero has no minus sign.</summary>
    public static string Number(double x, int digits, bool signed = false)
    {
        var rounded = Math.Round(x, digits);
        var text = Math.Abs(rounded).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return rounded < 0 ? "−" + text : signed ? "+" + text : text;
    }

    /// <summary>Whether the interval lies above 0, below 0, or covers it.</summary>
    public int Sign => Low > 0 ? 1 : High < 0 ? -1 : 0;
}

/// <summary>
/// The uncertainty of the tables. Per option: mean over seeds with a t interval. Per option against the baseline: the
/// paired difference with a bootstrap interval that resamples seeds and test chains (the same resample for both options).
/// </summary>
public static class Stats
{
    /// <summary>Bootstrap replicates.</summary>
    public const int Replicates = 2000;

    // Two-sided 95 % quantiles of Student's t for 1–30 degrees of freedom; 1.96 past them.
    private static readonly double[] T95 =
    {
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    };

    /// <summary>The mean of <paramref name="values"/> with the 95 % t interval (the value alone for one).</summary>
    public static Estimate Mean(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        if (values.Count < 2) return new Estimate(mean, mean, mean);
        var sd = Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Count - 1));
        var df = values.Count - 1;
        var t = df <= T95.Length ? T95[df - 1] : 1.96;
        var half = t * sd / Math.Sqrt(values.Count);
        return new Estimate(mean, mean - half, mean + half);
    }

    /// <summary>A split's value of <paramref name="metric"/> for one run: <c>Σ numerator / Σ denominator</c> over the chains.</summary>
    public static double Value(IReadOnlyList<ChainScores> chains, Metric metric)
    {
        double numerator = 0, denominator = 0;
        foreach (var c in chains) { numerator += c.Numerator[metric.Index]; denominator += c.Denominator[metric.Index]; }
        return denominator > 0 ? numerator / denominator : 0;
    }

    /// <summary>
    /// The paired difference <c>option − baseline</c> of <paramref name="metric"/>: the mean over seeds of the per-seed
    /// difference, with a percentile interval from <see cref="Replicates"/> resamples of seeds and chains (chains are
    /// the same in every run, in the same order; seeds pair by index).
    /// </summary>
    public static Estimate PairedDifference(IReadOnlyList<IReadOnlyList<ChainScores>> option, IReadOnlyList<IReadOnlyList<ChainScores>> baseline, Metric metric, int seed = 7)
    {
        int seeds = option.Count, chains = option[0].Count;
        if (baseline.Count != seeds || option.Any(r => r.Count != chains) || baseline.Any(r => r.Count != chains))
            throw new ArgumentException("option and baseline need the same seeds and chains.");
        int k = metric.Index;
        double[,] on = Table(option, c => c.Numerator[k]), od = Table(option, c => c.Denominator[k]);
        double[,] bn = Table(baseline, c => c.Numerator[k]), bd = Table(baseline, c => c.Denominator[k]);
        double Difference(int[] seedSample, int[] chainSample)
        {
            double total = 0;
            foreach (var s in seedSample)
            {
                double a = 0, b = 0, c = 0, d = 0;
                foreach (var j in chainSample) { a += on[s, j]; b += od[s, j]; c += bn[s, j]; d += bd[s, j]; }
                total += (b > 0 ? a / b : 0) - (d > 0 ? c / d : 0);
            }
            return total / seedSample.Length;
        }
        var point = Difference(Enumerable.Range(0, seeds).ToArray(), Enumerable.Range(0, chains).ToArray());
        var random = new Random(seed);
        var replicates = new double[Replicates];
        var seedSample = new int[seeds];
        var chainSample = new int[chains];
        for (int r = 0; r < Replicates; r++)
        {
            for (int s = 0; s < seeds; s++) seedSample[s] = random.Next(seeds);
            for (int j = 0; j < chains; j++) chainSample[j] = random.Next(chains);
            replicates[r] = Difference(seedSample, chainSample);
        }
        Array.Sort(replicates);
        return new Estimate(point, replicates[(int)(0.025 * Replicates)], replicates[(int)(0.975 * Replicates) - 1]);
    }

    /// <summary>The verdict on a difference: better, worse (lower, higher for a metric without a direction), or no detectable difference.</summary>
    public static string Verdict(Estimate difference, Metric metric) => (difference.Sign, metric.HigherIsBetter) switch
    {
        (0, _) => "no detectable difference",
        (1, true) or (-1, false) => "better",
        (-1, true) or (1, false) => "worse",
        (1, null) => "higher",
        _ => "lower",
    };

    private static double[,] Table(IReadOnlyList<IReadOnlyList<ChainScores>> runs, Func<ChainScores, double> value)
    {
        var table = new double[runs.Count, runs[0].Count];
        for (int s = 0; s < runs.Count; s++)
            for (int j = 0; j < runs[s].Count; j++) table[s, j] = value(runs[s][j]);
        return table;
    }
}
