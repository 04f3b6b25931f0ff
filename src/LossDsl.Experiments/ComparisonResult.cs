using System;
using System.Collections.Generic;
using System.Linq;

namespace LossDsl.Experiments;

/// <summary>The runs of a comparison: every option's runs (one per seed) and the example map of the report.</summary>
/// <param name="Settings">The schedule and seeds.</param>
/// <param name="Options">The options; the first is the baseline.</param>
/// <param name="Runs">The finished runs.</param>
/// <param name="Example">The test map drawn in the report, if known.</param>
public sealed record ComparisonResult(ComparisonSettings Settings, IReadOnlyList<Candidate> Options, IReadOnlyList<RunRecord> Runs, ExampleMap? Example)
{
    /// <summary>The fewest seeds with which a comparison can decide: with two, t(0.975, 1) = 12.7 standard errors each side.</summary>
    public const int FewestSeedsToDecide = 3;

    /// <summary>How the runs' test samples were scored (the metrics and the headline).</summary>
    public Scoring Scoring { get; init; } = Scoring.ContactMaps;

    /// <summary>The baseline: the first option.</summary>
    public Candidate Baseline => Options[0];

    /// <summary>The runs of <paramref name="option"/>, in seed order.</summary>
    public IReadOnlyList<RunRecord> RunsOf(Candidate option) => Runs.Where(r => r.Option == option.Key).OrderBy(r => r.Seed).ToList();

    /// <summary>The seeds under which every option has finished.</summary>
    public IReadOnlyList<int> CompleteSeeds => Runs.Select(r => r.Seed).Distinct().Where(s => Options.All(o => Runs.Any(r => r.Option == o.Key && r.Seed == s))).OrderBy(s => s).ToList();

    /// <summary>Whether the run has too few complete seeds to decide anything.</summary>
    public bool TooSmallToDecide => CompleteSeeds.Count < FewestSeedsToDecide;

    /// <summary>The mean over complete seeds of <paramref name="metric"/> for <paramref name="option"/>, with its t interval.</summary>
    public Estimate Mean(Candidate option, Metric metric) => Stats.Mean(Values(option, metric));

    /// <summary>The paired difference to the baseline over complete seeds (null for the baseline itself).</summary>
    public Estimate? Difference(Candidate option, Metric metric) =>
        option == Baseline ? null : Stats.PairedDifference(Values(option, metric), Values(Baseline, metric));

    /// <summary>
    /// The verdict of <paramref name="option"/> against the baseline on <paramref name="metric"/>. On the headline
    /// metric (<see cref="Scoring.Headline"/>) the p-values are Holm-adjusted over the options that are not controls.
    /// </summary>
    public Verdict Verdict(Candidate option, Metric metric)
    {
        if (Difference(option, metric) is not Estimate d) throw new ArgumentException("the baseline has no verdict", nameof(option));
        return Stats.Judge(d, metric, metric == Scoring.Headline ? AdjustedP(option) : null);
    }

    /// <summary>The Holm-adjusted p-value of <paramref name="option"/> on the headline metric (controls are adjusted among themselves).</summary>
    public double AdjustedP(Candidate option)
    {
        var family = Options.Skip(1).Where(o => o.IsControl == option.IsControl).ToList();
        var adjusted = Stats.Holm(family.Select(o => Difference(o, Scoring.Headline)!.Value.P is var p && double.IsNaN(p) ? 1 : p).ToList());
        return adjusted[family.IndexOf(option)];
    }

    /// <summary>The verdicts of the controls (A/A and placebos) on every metric: how many are not "no detectable difference", of how many.</summary>
    public (int Other, int Total) ControlVerdicts()
    {
        var verdicts = Options.Skip(1).Where(o => o.IsControl).SelectMany(o => Scoring.Metrics.Select(m => Verdict(o, m))).Where(v => v != Experiments.Verdict.TooFewSeeds).ToList();
        return (verdicts.Count(v => v != Experiments.Verdict.NoDetectableDifference), verdicts.Count);
    }

    private List<double> Values(Candidate option, Metric metric)
    {
        var seeds = CompleteSeeds;
        if (seeds.Count == 0) throw new InvalidOperationException("no seed has finished for every option.");
        return seeds.Select(s => Runs.Single(r => r.Option == option.Key && r.Seed == s).Value(metric)).ToList();
    }
}
