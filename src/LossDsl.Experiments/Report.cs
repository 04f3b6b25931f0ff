using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace LossDsl.Experiments;

/// <summary>The words around a report's tables: a title, the command that made it, and a paragraph on the data and network.</summary>
public sealed record ReportText(string Title = "Comparison", string CommandLine = "", string Description = "");

/// <summary>Writes a comparison's report: <c>results.md</c>, <c>results.csv</c>, <c>runs.csv</c> and the PNG plots.</summary>
public static class Report
{
    /// <summary>Writes the report into <paramref name="folder"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(ComparisonResult result, string folder, ReportText? text = null, bool plots = true)
    {
        text ??= new ReportText();
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        void Save(string name, string content)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, content);
            files.Add(path);
        }
        Save("results.md", Markdown(result, text, plots));
        Save("results.csv", SummaryCsv(result));
        Save("runs.csv", RunsCsv(result));
        if (plots && result.CompleteSeeds.Count > 0) files.AddRange(Plots.Write(result, folder, text.Title));
        return files;
    }

    /// <summary>The schedule and seeds in a paragraph.</summary>
    public static string Describe(ComparisonSettings s, int seeds) => string.Create(CultureInfo.InvariantCulture,
        $"Budget per run: at most {s.MaxEpochs} epochs of {s.StepsPerEpoch} steps, early stopping on validation AUPRC with patience {s.Patience} after at least {s.MinEpochs} epochs " +
        $"(the best epoch's weights are kept), Adam ({Schedule.Describe(s.Schedule, s.LearningRate, s.WarmupFraction, s.TotalSteps)}, no gradient clipping), the same for every option; " +
        $"seeds 1–{seeds}, paired across options (same initialisation and batches); threshold (best F1) and better half chosen on the validation samples.");

    /// <summary>What the numbers and verdicts mean.</summary>
    public static string Legend(ComparisonResult result)
    {
        int n = result.CompleteSeeds.Count;
        var t = n >= 2 ? string.Create(CultureInfo.InvariantCulture, $" (t(0.975, {n - 1}) = {Stats.TQuantile(n - 1):F2})") : "";
        return $"Each cell is the mean over {n} seed(s) of the test split's value, with its 95 % interval from Student's t{t}. Δ is the paired difference to " +
            $"{result.Baseline.Label}: per seed, option minus baseline on the same test samples, then the mean over seeds with its 95 % t interval. " +
            "An interval says how much the difference could move if the comparison were run again with other training seeds on these test samples; " +
            "it does not cover a different test set. The verdict is better or worse (higher or lower for asymmetry) when the difference's p-value is below 0.05 " +
            $"and the difference is at least one unit of its last decimal, else no detectable difference. On {result.Scoring.Headline.Header} the p-values are " +
            "Holm-adjusted over the options compared (controls separately), so that the chance of any false verdict among them stays at 5 %; the other metrics are not adjusted. " +
            result.Scoring.Definitions;
    }

    /// <summary>The plain statement of a run that cannot decide, or null.</summary>
    public static string? TooSmall(ComparisonResult result)
    {
        int n = result.CompleteSeeds.Count;
        if (!result.TooSmallToDecide) return null;
        var width = n >= 2 ? string.Create(CultureInfo.InvariantCulture, $"; with {n} seeds an interval spans ±{Stats.TQuantile(n - 1):F1} standard errors of the per-seed differences") : "";
        return $"**Too small to decide.** This run finished {n} seed(s) for every option{width}. It shows that the pipeline works, not which option is better: " +
            $"only a difference many times the seeds' spread gets another verdict than \"no detectable difference\" or \"too few seeds\". Run at least {ComparisonResult.FewestSeedsToDecide} seeds (5 or more for small effects) to decide.";
    }

    /// <summary>The A/A line: the share of control verdicts that are not "no detectable difference", or null without controls.</summary>
    public static string? Controls(ComparisonResult result)
    {
        var controls = result.Options.Skip(1).Where(o => o.IsControl).ToList();
        var (other, total) = result.ControlVerdicts();
        if (controls.Count == 0 || total == 0) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"A/A controls ({string.Join("; ", controls.Select(o => o.Label))}: no real difference to the baseline is expected): {other} of {total} verdicts over all metrics " +
            $"say something other than no detectable difference ({100.0 * other / total:F0} %; a calibrated 95 % interval errs about once in twenty).");
    }

    /// <summary>The Markdown report.</summary>
    public static string Markdown(ComparisonResult result, ReportText text, bool plots = true)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {text.Title}").AppendLine();
        if (text.CommandLine.Length > 0) md.AppendLine($"Command: `{text.CommandLine}`").AppendLine();
        if (text.Description.Length > 0) md.AppendLine(text.Description).AppendLine();
        md.AppendLine(Describe(result.Settings, result.CompleteSeeds.Count)).AppendLine();
        if (result.CompleteSeeds.Count == 0) return md.AppendLine("No seed has finished for every option yet.").ToString();
        if (TooSmall(result) is { } small) md.AppendLine(small).AppendLine();
        md.AppendLine(Legend(result)).AppendLine();
        var scoring = result.Scoring;
        md.AppendLine("| option | loss | test time | best epoch | " + string.Join(" | ", scoring.Table.Select(m => m.Header)) + " |");
        md.AppendLine("|---|---|---|---|" + string.Concat(scoring.Table.Select(_ => "---|")));
        foreach (var o in result.Options)
            md.AppendLine($"| {o.Label} | `{o.Loss}` | {o.StepName} | {Stats.Mean(result.RunsOf(o).Select(r => (double)r.BestEpoch).ToList()).Value:F1} | " +
                string.Join(" | ", scoring.Table.Select(m => result.Mean(o, m).Show(m.Digits))) + " |");
        if (result.Options.Count > 1)
        {
            md.AppendLine().AppendLine($"## Paired differences to {result.Baseline.Label}").AppendLine();
            md.AppendLine("| option | " + string.Join(" | ", scoring.Differences.Select(m => "Δ " + m.Header + (m == scoring.Headline ? " (Holm)" : ""))) + " |");
            md.AppendLine("|---|" + string.Concat(scoring.Differences.Select(_ => "---|")));
            foreach (var o in result.Options.Skip(1))
                md.AppendLine($"| {o.Label} | " + string.Join(" | ", scoring.Differences.Select(m => Cell(result, o, m))) + " |");
            if (Controls(result) is { } controls) md.AppendLine().AppendLine(controls);
        }
        md.AppendLine().AppendLine($"## {scoring.DetailTitle}").AppendLine();
        md.AppendLine("| option | " + string.Join(" | ", scoring.Detail.Select(m => m.Header)) + " | threshold |");
        md.AppendLine("|---|" + string.Concat(scoring.Detail.Select(_ => "---|")) + "---|");
        foreach (var o in result.Options)
            md.AppendLine($"| {o.Label} | " + string.Join(" | ", scoring.Detail.Select(m => result.Mean(o, m).Show())) + $" | {Stats.Mean(result.RunsOf(o).Select(r => r.Threshold).ToList()).Show(2)} |");
        var kept = result.Runs.Where(r => r.Kept.Length > 0).ToList();
        if (kept.Count > 0) md.AppendLine().AppendLine("Better half kept on the validation split: " + string.Join(", ", kept.Select(r => $"seed {r.Seed}: {r.Kept}")) + ".");
        if (plots)
        {
            md.AppendLine().AppendLine("## Plots").AppendLine();
            md.AppendLine("![validation AUPRC](validation-auprc.png)").AppendLine();
            md.AppendLine("![paired differences](differences.png)");
            if (Plots.HasExample(result)) md.AppendLine().AppendLine($"![true contacts and top-L predictions for {result.Example!.Name}](example-maps.png)");
        }
        return md.ToString();
    }

    /// <summary>A difference cell: <c>+0.0040 [−0.0100, +0.0180] no detectable difference</c>.</summary>
    public static string Cell(ComparisonResult result, Candidate option, Metric metric)
    {
        if (result.Difference(option, metric) is not Estimate d) return "(baseline)";
        var holm = metric == result.Scoring.Headline && d.HasInterval ? string.Create(CultureInfo.InvariantCulture, $" (p = {result.AdjustedP(option):F3})") : "";
        return $"{d.Show(metric.Digits + 1, signed: true)} {Stats.Words(result.Verdict(option, metric))}{holm}";
    }

    /// <summary>One line per option and metric: mean and interval over seeds, paired difference, p-values and verdict.</summary>
    public static string SummaryCsv(ComparisonResult result)
    {
        var csv = new StringBuilder("option,label,metric,seeds,mean,low,high,difference,difference_low,difference_high,p,p_holm,verdict\n");
        if (result.CompleteSeeds.Count == 0) return csv.ToString();
        foreach (var o in result.Options)
            foreach (var metric in result.Scoring.Metrics)
            {
                var m = result.Mean(o, metric);
                var d = result.Difference(o, metric);
                var holm = d is not null && metric == result.Scoring.Headline ? Number(result.AdjustedP(o)) : "";
                csv.AppendLine(string.Join(",", o.Key, Quote(o.Label), metric.Key, result.CompleteSeeds.Count.ToString(CultureInfo.InvariantCulture), Number(m.Value), Number(m.Low), Number(m.High),
                    d is Estimate e ? $"{Number(e.Value)},{Number(e.Low)},{Number(e.High)},{Number(e.P)},{holm},{Stats.Words(result.Verdict(o, metric))}" : ",,,,,"));
            }
        return csv.ToString();
    }

    private const string RunsHeader = "option,seed,best_epoch,epochs,threshold,kept_half,seconds_per_epoch,skipped_steps,";

    /// <summary>One line per run: its test split's values, threshold, epochs and curves.</summary>
    public static string RunsCsv(ComparisonResult result)
    {
        var csv = new StringBuilder(RunsHeader).AppendLine(string.Join(",", result.Scoring.Metrics.Select(m => m.Key)) + ",train_loss_by_epoch,validation_auprc_by_epoch");
        foreach (var r in result.Runs)
            csv.AppendLine(string.Join(",", r.Option, r.Seed, r.BestEpoch, r.TrainLoss.Length, Number(r.Threshold), r.Kept, Number(r.SecondsPerEpoch), r.SkippedSteps) + "," +
                string.Join(",", result.Scoring.Metrics.Select(m => Number(r.Value(m)))) + "," + string.Join(" ", r.TrainLoss.Select(Number)) + "," + string.Join(" ", r.ValidationAuprc.Select(Number)));
        return csv.ToString();
    }

    /// <summary>
    /// The runs of a <c>runs.csv</c> (as <see cref="RunsCsv"/> writes it): enough to recompute the tables and curves of a
    /// comparison whose run folders are gone, scored by <paramref name="scoring"/> (contact maps if null). Each run's test split becomes one
    /// pseudo-sample holding its values.
    /// </summary>
    public static IReadOnlyList<RunRecord> ReadRunsCsv(string path, Scoring? scoring = null)
    {
        scoring ??= Scoring.ContactMaps;
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith(RunsHeader, StringComparison.Ordinal)) throw new InvalidDataException($"{path} is not a runs.csv (header {RunsHeader}…).");
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is var k and >= 0 ? k : throw new InvalidDataException($"{path} has no column {name}.");
        double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        double[] Series(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(D).ToArray();
        return lines.Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var f = line.Split(',');
            var values = scoring.Metrics.Select(m => D(f[Column(m.Key)])).ToArray();
            var scores = new SampleScores("test split", values, scoring.Metrics.Select(_ => 1.0).ToArray());
            return new RunRecord(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture), D(f[4]), f[5], D(f[6]),
                int.Parse(f[7], CultureInfo.InvariantCulture), Series(f[Column("train_loss_by_epoch")]), Series(f[Column("validation_auprc_by_epoch")]), new[] { scores }, Array.Empty<int>());
        }).ToList();
    }

    private static string Number(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
}
