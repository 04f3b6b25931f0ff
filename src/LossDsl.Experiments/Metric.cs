using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Experiments;

/// <summary>
/// One number of the tables, as a <see cref="Scoring"/> computes it. A split's value is <c>Σ numerator / Σ denominator</c>
/// over its samples: a mean of per-sample values (denominator 1), or pooled (F1 from the samples' summed counts).
/// </summary>
/// <param name="Key">Column name in the CSV files.</param>
/// <param name="Header">Column header in the tables.</param>
/// <param name="HigherIsBetter">Whether a larger value is better (asymmetry is neither: it is reported as lower or higher).</param>
/// <param name="Digits">Decimals shown for a value; differences show one more.</param>
/// <param name="Score">One sample's numerator and denominator (denominator 0 leaves the sample out of the mean).</param>
public sealed record Metric(string Key, string Header, bool? HigherIsBetter, int Digits, Func<ScoredMap, (double Numerator, double Denominator)> Score)
{
    /// <summary>The index of this metric in its scoring's <see cref="Scoring.Metrics"/>, where <see cref="SampleScores"/> keeps its values.</summary>
    public int Index { get; internal init; } = -1;
}

/// <summary>One sample as the metrics see it: the probabilities after the test-time step, before it, the target and the scored cells.</summary>
public sealed class ScoredMap
{
    private ConfusionCounts? _confusion;

    internal ScoredMap(Tensor p, Tensor raw, Tensor target, Tensor? valid, Tensor scored, double threshold) =>
        (P, Raw, Target, Valid, Scored, Threshold) = (p, raw, target, valid, scored, threshold);

    /// <summary>The <c>L × L</c> probabilities after the test-time step.</summary>
    public Tensor P { get; }
    /// <summary>The probabilities before the test-time step.</summary>
    public Tensor Raw { get; }
    /// <summary>The 0/1 target.</summary>
    public Tensor Target { get; }
    /// <summary>The sample's valid cells, or null for all.</summary>
    public Tensor? Valid { get; }
    /// <summary>The scored cells: valid, and at least the scoring's minimum separation off the diagonal.</summary>
    public Tensor Scored { get; }
    /// <summary>The threshold chosen on validation.</summary>
    public double Threshold { get; }
    /// <summary>The side L.</summary>
    public int Length => (int)Target.shape[^1];
    /// <summary>The confusion counts of <c>P ≥ Threshold</c> over the scored cells (computed once).</summary>
    public ConfusionCounts Confusion => _confusion ??= Metrics.Confusion(P, Target, Scored, Threshold);
}

/// <summary>One test sample's numerators and denominators, in its scoring's <see cref="Scoring.Metrics"/> order.</summary>
/// <param name="Sample">The sample's name.</param>
/// <param name="Numerator">Per metric.</param>
/// <param name="Denominator">Per metric; 0 leaves the sample out of that metric's mean.</param>
public sealed record SampleScores(string Sample, double[] Numerator, double[] Denominator)
{
    /// <summary>The value of <paramref name="metric"/> for this sample alone.</summary>
    public double Value(Metric metric) => Denominator[metric.Index] > 0 ? Numerator[metric.Index] / Denominator[metric.Index] : 0;

    /// <summary>A split's value of <paramref name="metric"/>: <c>Σ numerator / Σ denominator</c> over <paramref name="samples"/>.</summary>
    public static double Value(IReadOnlyList<SampleScores> samples, Metric metric)
    {
        double numerator = 0, denominator = 0;
        foreach (var s in samples) { numerator += s.Numerator[metric.Index]; denominator += s.Denominator[metric.Index]; }
        return denominator > 0 ? numerator / denominator : 0;
    }
}
