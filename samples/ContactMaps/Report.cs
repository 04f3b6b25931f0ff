using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ScottPlot;
using SkiaSharp;

namespace ContactMaps;

/// <summary>One option's runs (one per seed, in seed order) and their numbers with intervals.</summary>
public sealed record SummaryRow(LossOption Option, IReadOnlyList<RunResult> Runs, IReadOnlyList<RunResult>? Baseline)
{
    /// <summary>Mean over seeds, with its 95 % t interval, of a split's value of <paramref name="metric"/>.</summary>
    public Estimate Mean(Metric metric, bool real = false) => Stats.Mean(Runs.Select(r => Stats.Value(real ? r.Real : r.Test, metric)).ToList());

    /// <summary>The paired difference to the baseline (null for the baseline itself).</summary>
    public Estimate? Difference(Metric metric, bool real = false) => Baseline is null || ReferenceEquals(Baseline, Runs) ? null
        : Stats.PairedDifference(Runs.Select(r => real ? r.Real : r.Test).ToList(), Baseline.Select(r => real ? r.Real : r.Test).ToList(), metric);

    /// <summary>Mean over seeds of any per-run number.</summary>
    public Estimate Of(Func<RunResult, double> value) => Stats.Mean(Runs.Select(value).ToList());

    /// <summary>The difference cell: <c>+0.004 [−0.010, +0.018] no detectable difference</c>, or an em dash for the baseline.</summary>
    public string ShowDifference(Metric metric, bool real = false) =>
        Difference(metric, real) is Estimate d ? $"{d.Show(metric.Digits + 1, signed: true)} {Stats.Verdict(d, metric)}" : "(baseline)";
}

/// <summary>Writes the results: Markdown and CSV tables and PNG plots.</summary>
public static class Report
{
    /// <summary>The metrics of the main table and the console; the Markdown adds every top-L column.</summary>
    public static readonly IReadOnlyList<Metric> Headline = new[] { Metric.Of("auprc"), Metric.Of("pl_long"), Metric.Of("pl5_long"), Metric.Of("f1") };

    /// <summary>The results grouped by option, in the order the options ran; the first option is the baseline.</summary>
    public static IReadOnlyList<SummaryRow> Summarize(ExperimentResult result)
    {
        var groups = result.Config.Options.Select(o => result.Runs.Where(r => r.Option == o).OrderBy(r => r.Seed).ToList()).Where(g => g.Count > 0).ToList();
        return groups.Select(g => new SummaryRow(g[0].Option, g, groups.Count > 1 ? groups[0] : null)).ToList();
    }

    /// <summary>The folder of one input's results.</summary>
    public static string Folder(ExperimentResult result) => Path.Combine(result.Config.Output, result.Inputs.ToString().ToLowerInvariant());

    /// <summary>Writes <c>results.md</c>, <c>results.csv</c>, <c>runs.csv</c>, <c>pdb-chains.csv</c> (with real chains) and the PNGs; returns the files written.</summary>
    public static IReadOnlyList<string> Write(ExperimentResult result)
    {
        var folder = Folder(result);
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        void Save(string name, string text)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, text);
            files.Add(path);
        }
        var rows = Summarize(result);
        Save("results.md", Markdown(result, rows));
        Save("results.csv", SummaryCsv(rows, real: false));
        Save("runs.csv", RunsCsv(result));
        if (result.Config.RealChains.Count > 0)
        {
            Save("pdb.csv", SummaryCsv(rows, real: true));
            Save("pdb-chains.csv", RealChainsCsv(result));
        }
        if (result.Config.Plots)
        {
            files.Add(Plots.ValidationCurves(result, rows, Path.Combine(folder, "validation-auprc.png")));
            files.Add(Plots.Differences(result, rows, Path.Combine(folder, "differences.png")));
            files.Add(Plots.Heatmaps(result, Path.Combine(folder, "heatmaps.png")));
        }
        return files;
    }

    /// <summary>The inputs in words.</summary>
    public static string Describe(Inputs inputs) => inputs switch
    {
        Inputs.Denoise => "denoise: a noisy (σ = 3 Å), partly hidden Cβ distance channel and a noisy secondary-structure profile",
        Inputs.Predict => "predict: sequence and secondary structure (DSSP, 3 states) only, no coordinates",
        _ => throw new ArgumentOutOfRangeException(nameof(inputs), inputs, null),
    };

    /// <summary>The data and the budget in a paragraph.</summary>
    public static string Describe(ExperimentResult result)
    {
        var c = result.Config;
        var d = result.Data;
        var hidden = result.Inputs == Inputs.Denoise ? FormattableString.Invariant($"; {d.HiddenFraction:P0} of the distance channel is hidden") : "";
        var clipping = c.ClipNorm > 0 ? FormattableString.Invariant($"gradient norm clipped at {c.ClipNorm} for every option") : "no gradient clipping";
        return string.Create(CultureInfo.InvariantCulture,
            $"Inputs: {Describe(result.Inputs)}. Data: {d.Train} training, {d.Validation} validation and {d.Test} test chains (disjoint at 40 % identity) " +
            $"of length {d.MinLength}–{d.MaxLength} (mean {d.MeanLength:F0}); {d.Density:P1} of the pairs with |i − j| ≥ 6 are contacts{hidden}. " +
            $"Budget per run: at most {c.MaxEpochs} epochs of {c.StepsPerEpoch} steps of {c.BatchSize} random {c.Crop} × {c.Crop} diagonal crops, " +
            $"early stopping on validation AUPRC with patience {c.Patience} after at least {c.MinEpochs} epochs (the best epoch's weights are kept), Adam ({Schedule.Describe(c.Schedule, c.LearningRateFor(result.Inputs), c.WarmupFraction, c.MaxEpochs * c.StepsPerEpoch)}, {clipping}), " +
            $"residual CNN with {c.Channels} channels × {c.Blocks} blocks; seeds 1–{c.Seeds}, paired across options (same initialisation, crops and batch order).");
    }

    /// <summary>The Markdown report of one input.</summary>
    public static string Markdown(ExperimentResult result, IReadOnlyList<SummaryRow> rows)
    {
        var md = new StringBuilder();
        md.AppendLine($"# ContactMaps results: {result.Inputs.ToString().ToLowerInvariant()}").AppendLine();
        if (result.Config.CommandLine.Length > 0) md.AppendLine($"Command: `{result.Config.CommandLine}`").AppendLine();
        md.AppendLine(Describe(result)).AppendLine();
        md.AppendLine(Legend(result.Config.Seeds, rows.Count > 1 ? rows[0].Option.Label : null)).AppendLine();
        md.AppendLine("| option | loss | test time | best epoch | " + string.Join(" | ", Headline.Select(m => m.Header)) + " | asymmetry |");
        md.AppendLine("|---|---|---|---|" + string.Concat(Headline.Select(_ => "---|")) + "---|");
        foreach (var row in rows)
            md.AppendLine($"| {row.Option.Label} | `{row.Option.Attributes}` | {StepName(row.Option.Step)} | {row.Of(r => r.BestEpoch).Value:F1} | " +
                string.Join(" | ", Headline.Select(m => row.Mean(m).Show(m.Digits))) + $" | {row.Mean(Metric.Of("asymmetry")).Show(4)} |");
        if (rows.Count > 1)
        {
            md.AppendLine().AppendLine($"## Paired differences to {rows[0].Option.Label}").AppendLine();
            var metrics = Metric.All.Where(m => m.Key is "auprc" or "f1" or "pl_long" or "pl5_long" or "pl_medium" or "pl_short" or "asymmetry").ToList();
            md.AppendLine("| option | " + string.Join(" | ", metrics.Select(m => "Δ " + m.Header)) + " |");
            md.AppendLine("|---|" + string.Concat(metrics.Select(_ => "---|")));
            foreach (var row in rows.Skip(1))
                md.AppendLine($"| {row.Option.Label} | " + string.Join(" | ", metrics.Select(m => row.ShowDifference(m))) + " |");
        }
        md.AppendLine().AppendLine("## Top-L precision by separation range").AppendLine();
        var topL = Metric.All.Where(m => m.Key.StartsWith("pl", StringComparison.Ordinal)).ToList();
        md.AppendLine("| option | " + string.Join(" | ", topL.Select(m => m.Header)) + " | threshold |");
        md.AppendLine("|---|" + string.Concat(topL.Select(_ => "---|")) + "---|");
        foreach (var row in rows)
            md.AppendLine($"| {row.Option.Label} | " + string.Join(" | ", topL.Select(m => row.Mean(m).Show())) + $" | {row.Of(r => r.Threshold).Show(2)} |");
        var kept = rows.SelectMany(r => r.Runs).Where(r => r.Kept.Length > 0).ToList();
        if (kept.Count > 0)
            md.AppendLine().AppendLine("Better half kept on the validation split: " + string.Join(", ", kept.Select(r => $"seed {r.Seed}: {r.Kept}")) + ".");
        if (result.Config.RealChains.Count > 0)
        {
            md.AppendLine().AppendLine($"## PDB files ({result.Config.RealChains.Count} chain{(result.Config.RealChains.Count == 1 ? "" : "s")})").AppendLine();
            md.AppendLine("The same models on the chains of the `--pdb` files (features built the same way; structure from their HELIX and SHEET records), " +
                "averaged over the files; intervals over seeds, differences bootstrapped over files and seeds. Per-chain numbers: `pdb-chains.csv`.").AppendLine();
            md.AppendLine("| option | " + string.Join(" | ", Headline.Select(m => m.Header)) + (rows.Count > 1 ? " | Δ AUPRC | Δ P@L long" : "") + " |");
            md.AppendLine("|---|" + string.Concat(Headline.Select(_ => "---|")) + (rows.Count > 1 ? "---|---|" : ""));
            foreach (var row in rows)
                md.AppendLine($"| {row.Option.Label} | " + string.Join(" | ", Headline.Select(m => row.Mean(m, real: true).Show(m.Digits))) +
                    (rows.Count > 1 ? $" | {row.ShowDifference(Metric.Of("auprc"), real: true)} | {row.ShowDifference(Metric.Of("pl_long"), real: true)}" : "") + " |");
        }
        if (result.Config.Plots)
        {
            md.AppendLine().AppendLine("## Plots").AppendLine();
            md.AppendLine("![validation AUPRC](validation-auprc.png)").AppendLine();
            md.AppendLine("![paired differences](differences.png)").AppendLine();
            md.AppendLine($"![target and predictions for {result.ExampleName}](heatmaps.png)");
        }
        return md.ToString();
    }

    /// <summary>How to read the tables.</summary>
    public static string Legend(int seeds, string? baseline) =>
        $"Test chains, whole (not cropped), after each option's test-time step. AUPRC: average precision per chain over the pairs |i − j| ≥ 6, averaged over chains; " +
        "P@L, P@L/2, P@L/5: top-k precision per chain for long (≥ 24), medium [12, 24) and short [6, 12) separations, averaged over chains; F1: pooled over the test pairs " +
        "|i − j| ≥ 6 at the threshold with the best F1 on the validation split; asymmetry: mean |p − pᵀ| of the raw output, before the test-time step. " +
        $"Each cell is the mean over {seeds} seed(s) with its 95 % t interval" +
        (baseline is null ? "." : $"; Δ is the paired difference to {baseline} with a 95 % bootstrap interval over seeds and test chains ({Stats.Replicates} resamples), " +
        "and the verdict says whether that interval excludes 0 (better / worse; lower / higher for asymmetry) or not (no detectable difference). No correction for the number of comparisons.");

    /// <summary>The test-time step in words.</summary>
    public static string StepName(TestStep step) => step switch
    {
        TestStep.MirrorUpper => "mirror upper",
        TestStep.BetterHalf => "better half",
        TestStep.Symmetrize => "symmetrize",
        _ => "—",
    };

    /// <summary>One line per option and metric: mean and interval over seeds, paired difference and verdict.</summary>
    public static string SummaryCsv(IReadOnlyList<SummaryRow> rows, bool real)
    {
        var csv = new StringBuilder("option,label,metric,seeds,mean,low,high,difference,difference_low,difference_high,verdict\n");
        foreach (var row in rows)
            foreach (var metric in Metric.All)
            {
                var m = row.Mean(metric, real);
                var d = row.Difference(metric, real);
                csv.AppendLine(string.Join(",", row.Option.Key, Quote(row.Option.Label), metric.Key, row.Runs.Count.ToString(CultureInfo.InvariantCulture),
                    Number(m.Value), Number(m.Low), Number(m.High), d is Estimate e ? $"{Number(e.Value)},{Number(e.Low)},{Number(e.High)},{Stats.Verdict(e, metric)}" : ",,,"));
            }
        return csv.ToString();
    }

    /// <summary>One line per run: its split values, threshold, epochs and curves.</summary>
    public static string RunsCsv(ExperimentResult result)
    {
        var csv = new StringBuilder("option,seed,best_epoch,epochs,threshold,kept_half,seconds_per_epoch,skipped_steps,");
        csv.AppendLine(string.Join(",", Metric.All.Select(m => m.Key)) + ",train_loss_by_epoch,validation_auprc_by_epoch");
        foreach (var r in result.Runs)
            csv.AppendLine(string.Join(",", r.Option.Key, r.Seed, r.BestEpoch, r.TrainLoss.Length, Number(r.Threshold), r.Kept, Number(r.SecondsPerEpoch), r.SkippedSteps) + "," +
                string.Join(",", Metric.All.Select(m => Number(Stats.Value(r.Test, m)))) + "," +
                string.Join(" ", r.TrainLoss.Select(Number)) + "," + string.Join(" ", r.ValidationAuprc.Select(Number)));
        return csv.ToString();
    }

    /// <summary>One line per option, seed and PDB chain.</summary>
    public static string RealChainsCsv(ExperimentResult result)
    {
        var csv = new StringBuilder("option,seed,chain,").AppendLine(string.Join(",", Metric.All.Select(m => m.Key)));
        foreach (var r in result.Runs)
            foreach (var c in r.Real)
                csv.AppendLine($"{r.Option.Key},{r.Seed},{Quote(c.Chain)}," + string.Join(",", Metric.All.Select(m => Number(c.Value(m)))));
        return csv.ToString();
    }

    private static string Number(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
}
