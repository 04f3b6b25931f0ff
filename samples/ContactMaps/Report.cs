using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ScottPlot;
using SkiaSharp;

namespace ContactMaps;

/// <summary>Mean and sample standard deviation over seeds.</summary>
public readonly record struct Spread(double Mean, double Std, int Count)
{
    /// <summary>The spread of <paramref name="values"/>.</summary>
    public static Spread Of(IEnumerable<double> values)
    {
        var v = values.ToArray();
        var mean = v.Average();
        var std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new Spread(mean, std, v.Length);
    }

    /// <summary><c>mean ± std</c> with <paramref name="digits"/> decimals (just the mean for one seed).</summary>
    public string Show(int digits = 3)
    {
        var format = "F" + digits.ToString(CultureInfo.InvariantCulture);
        return Count > 1
            ? $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {Std.ToString(format, CultureInfo.InvariantCulture)}"
            : Mean.ToString(format, CultureInfo.InvariantCulture);
    }
}

/// <summary>One row of the results table: an option's scores over its seeds.</summary>
public sealed record SummaryRow(LossOption Option, IReadOnlyList<RunResult> Runs)
{
    /// <summary>The spread of one number over the seeds.</summary>
    public Spread Of(Func<RunResult, double> value) => Spread.Of(Runs.Select(value));

    /// <summary>The table's columns: header and value.</summary>
    public static readonly (string Header, Func<RunResult, double> Value, int Digits)[] Columns =
    {
        ("F1", r => r.Test.F1, 3),
        ("MCC", r => r.Test.Mcc, 3),
        ("AUPRC", r => r.Test.Auprc, 3),
        ("P@L long", r => r.Test.LongPL, 3),
        ("asymmetry", r => r.Test.Asymmetry, 4),
        ("s/epoch", r => r.SecondsPerEpoch, 1),
    };
}

/// <summary>Writes the results: Markdown and CSV tables and PNG plots.</summary>
public static class Report
{
    /// <summary>The results grouped by option, in the order the options ran.</summary>
    public static IReadOnlyList<SummaryRow> Summarize(ExperimentResult result) =>
        result.Config.Options.Select(o => new SummaryRow(o, result.Runs.Where(r => r.Option == o).ToList())).Where(r => r.Runs.Count > 0).ToList();

    /// <summary>Writes <c>results.md</c>, <c>results.csv</c>, <c>runs.csv</c> and (unless turned off) the PNGs; returns the files written.</summary>
    public static IReadOnlyList<string> Write(ExperimentResult result)
    {
        var folder = result.Config.Output;
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        string Save(string name, string text)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, text);
            files.Add(path);
            return path;
        }
        Save("results.md", Markdown(result));
        Save("results.csv", SummaryCsv(result));
        Save("runs.csv", RunsCsv(result));
        if (result.Config.Plots)
        {
            files.Add(TrainingCurves(result, Path.Combine(folder, "training-loss.png")));
            files.Add(ValidationCurves(result, Path.Combine(folder, "validation-auprc.png")));
            files.Add(Heatmaps(result, Path.Combine(folder, "heatmaps.png")));
        }
        return files;
    }

    /// <summary>One line on the data set and the budget.</summary>
    public static string Describe(ExperimentResult result)
    {
        var c = result.Config;
        var d = result.Data;
        int steps = (c.Train + c.BatchSize - 1) / c.BatchSize;
        return string.Create(CultureInfo.InvariantCulture,
            $"Data: {d.Train} training, {d.Validation} validation and {d.Test} test synthetic chains of length {c.MinLength}–{c.MaxLength} " +
            $"(data seed {c.DataSeed}), {d.Density:P1} of the cells are contacts ({d.DensityAtSix:P1} of the pairs with |i − j| ≥ 6); " +
            $"{d.HiddenFraction:P0} of the distance channel is hidden. Budget per run: {c.Epochs} epochs × {steps} steps of {c.BatchSize} chains, " +
            $"Adam (learning rate {c.LearningRate}, gradient norm clipped at {c.ClipNorm}), residual CNN with {c.Channels} channels × {c.Blocks} blocks; seeds 1–{c.Seeds}.");
    }

    /// <summary>The Markdown report.</summary>
    public static string Markdown(ExperimentResult result)
    {
        var rows = Summarize(result);
        var md = new StringBuilder();
        md.AppendLine("# ContactMaps results").AppendLine();
        if (result.Config.CommandLine.Length > 0) md.AppendLine($"Command: `{result.Config.CommandLine}`").AppendLine();
        md.AppendLine(Describe(result)).AppendLine();
        md.AppendLine($"Scored on the test split, pairs with |i − j| ≥ {Experiment.EvaluationSeparation} (both triangles), after each option's test-time step. " +
            "F1 and MCC use the threshold with the best F1 on the validation split; AUPRC is average precision; P@L long is top-L precision " +
            "over pairs with j − i ≥ 24 (upper triangle); asymmetry is mean |p − pᵀ| of the raw network output, before the test-time step; " +
            "s/epoch is training time only. Mean ± standard deviation over the seeds.").AppendLine();
        md.Append("| option | loss | test time | ").Append(string.Join(" | ", SummaryRow.Columns.Select(c => c.Header))).AppendLine(" |");
        md.Append("|---|---|---|").Append(string.Concat(SummaryRow.Columns.Select(_ => "---|"))).AppendLine();
        foreach (var row in rows)
            md.Append($"| {row.Option.Label} | `{row.Option.Attributes}` | {StepName(row.Option.Step)} | ")
              .Append(string.Join(" | ", SummaryRow.Columns.Select(c => row.Of(c.Value).Show(c.Digits)))).AppendLine(" |");
        md.AppendLine();
        md.AppendLine("## Top-L precision by separation range").AppendLine();
        md.AppendLine("| option | P@L short [6, 12) | P@L medium [12, 24) | P@L long ≥ 24 | P@L/2 long | P@L/5 long | threshold |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in rows)
            md.AppendLine($"| {row.Option.Label} | {row.Of(r => r.Test.ShortPL).Show()} | {row.Of(r => r.Test.MediumPL).Show()} | {row.Of(r => r.Test.LongPL).Show()} | " +
                $"{row.Of(r => r.Test.LongPL2).Show()} | {row.Of(r => r.Test.LongPL5).Show()} | {row.Of(r => r.Threshold).Show(2)} |");
        var kept = rows.SelectMany(r => r.Runs).Where(r => r.Kept.Length > 0).ToList();
        if (kept.Count > 0)
            md.AppendLine().AppendLine("Better half kept on the validation split: " +
                string.Join(", ", kept.Select(r => $"seed {r.Seed}: {r.Kept}")) + ".");
        var real = result.Runs.SelectMany(r => r.Real.Select(x => (Run: r, x.Chain, x.Scores))).ToList();
        if (real.Count > 0)
        {
            md.AppendLine().AppendLine("## Real chains").AppendLine();
            md.AppendLine("The models trained on synthetic maps, evaluated on chains read from PDB files (Cβ–Cβ < 8 Å, |i − j| ≥ 6) with the same kind of noisy, partly hidden distance channel. One chain is an anecdote, not a benchmark.").AppendLine();
            md.AppendLine("| option | chain | F1 | MCC | AUPRC | P@L long | P@L/5 long |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var row in rows)
                foreach (var chain in real.Where(x => x.Run.Option == row.Option).Select(x => x.Chain).Distinct())
                {
                    var of = real.Where(x => x.Run.Option == row.Option && x.Chain == chain).Select(x => x.Scores).ToList();
                    string S(Func<Scores, double> f) => Spread.Of(of.Select(f)).Show();
                    md.AppendLine($"| {row.Option.Label} | {chain} | {S(s => s.F1)} | {S(s => s.Mcc)} | {S(s => s.Auprc)} | {S(s => s.LongPL)} | {S(s => s.LongPL5)} |");
                }
        }
        if (result.Config.Plots)
        {
            md.AppendLine().AppendLine("## Plots").AppendLine();
            md.AppendLine("![training loss](training-loss.png)").AppendLine();
            md.AppendLine("![validation AUPRC](validation-auprc.png)").AppendLine();
            md.AppendLine($"![target and predictions for {result.ExampleName}](heatmaps.png)");
        }
        return md.ToString();
    }

    /// <summary>The test-time step in words.</summary>
    public static string StepName(TestStep step) => step switch
    {
        TestStep.MirrorUpper => "mirror upper",
        TestStep.BetterHalf => "better half",
        TestStep.Symmetrize => "symmetrize",
        _ => "—",
    };

    private static readonly (string Name, Func<RunResult, double> Value)[] CsvColumns =
    {
        ("f1", r => r.Test.F1), ("mcc", r => r.Test.Mcc), ("precision", r => r.Test.Precision), ("recall", r => r.Test.Recall),
        ("auprc", r => r.Test.Auprc), ("pl_long", r => r.Test.LongPL), ("pl2_long", r => r.Test.LongPL2), ("pl5_long", r => r.Test.LongPL5),
        ("pl_medium", r => r.Test.MediumPL), ("pl_short", r => r.Test.ShortPL), ("asymmetry", r => r.Test.Asymmetry),
        ("threshold", r => r.Threshold), ("seconds_per_epoch", r => r.SecondsPerEpoch), ("final_train_loss", r => r.TrainLoss[^1]),
        ("skipped_steps", r => r.SkippedSteps),
    };

    /// <summary>One line per option: mean and standard deviation of every number.</summary>
    public static string SummaryCsv(ExperimentResult result)
    {
        var csv = new StringBuilder();
        csv.Append("option,label,attributes,test_time,seeds,").AppendLine(string.Join(",", CsvColumns.SelectMany(c => new[] { c.Name + "_mean", c.Name + "_std" })));
        foreach (var row in Summarize(result))
            csv.Append($"{row.Option.Key},{Quote(row.Option.Label)},{Quote(row.Option.Attributes)},{StepName(row.Option.Step)},{row.Runs.Count},")
               .AppendLine(string.Join(",", CsvColumns.SelectMany(c => { var s = row.Of(c.Value); return new[] { Number(s.Mean), Number(s.Std) }; })));
        return csv.ToString();
    }

    /// <summary>One line per run.</summary>
    public static string RunsCsv(ExperimentResult result)
    {
        var csv = new StringBuilder();
        csv.Append("option,seed,kept_half,").Append(string.Join(",", CsvColumns.Select(c => c.Name))).AppendLine(",train_loss_by_epoch,validation_auprc_by_epoch");
        foreach (var r in result.Runs)
            csv.Append($"{r.Option.Key},{r.Seed},{r.Kept},").Append(string.Join(",", CsvColumns.Select(c => Number(c.Value(r)))))
               .Append(',').Append(string.Join(" ", r.TrainLoss.Select(Number))).Append(',').AppendLine(string.Join(" ", r.ValidationAuprc.Select(Number)));
        return csv.ToString();
    }

    private static string Number(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";

    // ---- plots ----

    private static readonly Color[] SeedColors = { Colors.C0, Colors.C1, Colors.C2, Colors.C3, Colors.C4 };

    /// <summary>One panel per option: training loss per epoch, one line per seed.</summary>
    private static string TrainingCurves(ExperimentResult result, string path)
    {
        var rows = Summarize(result);
        var plots = rows.Select(row =>
        {
            var plot = NewPlot(row.Option.Label);
            foreach (var run in row.Runs)
            {
                var line = plot.Add.Scatter(Enumerable.Range(1, run.TrainLoss.Length).Select(e => (double)e).ToArray(), run.TrainLoss);
                line.Color = SeedColors[(run.Seed - 1) % SeedColors.Length];
                line.LegendText = $"seed {run.Seed}";
                line.LineWidth = 2;
            }
            plot.XLabel("epoch", 12);
            plot.YLabel("training loss", 12);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
            if (row.Runs.Count > 1) plot.ShowLegend(Alignment.UpperRight);
            return plot;
        }).ToList();
        return Compose(plots, columns: Math.Min(4, plots.Count), 330, 260, path,
            "Training loss per epoch (each loss on its own scale; (2) is 2× the baseline by construction)");
    }

    /// <summary>All options in one plot: validation AUPRC per epoch, mean over seeds.</summary>
    private static string ValidationCurves(ExperimentResult result, string path)
    {
        var plot = NewPlot($"Validation AUPRC after each epoch (mean of {result.Config.Seeds} seed{(result.Config.Seeds > 1 ? "s" : "")})");
        var palette = new ScottPlot.Palettes.Category10();
        var rows = Summarize(result);
        for (int k = 0; k < rows.Count; k++)
        {
            var epochs = rows[k].Runs[0].ValidationAuprc.Length;
            var mean = Enumerable.Range(0, epochs).Select(e => rows[k].Runs.Average(r => r.ValidationAuprc[e])).ToArray();
            var line = plot.Add.Scatter(Enumerable.Range(1, epochs).Select(e => (double)e).ToArray(), mean);
            line.Color = palette.GetColor(k);
            line.LineWidth = 2;
            line.LegendText = rows[k].Option.Label;
        }
        plot.XLabel("epoch", 13);
        plot.YLabel("validation AUPRC (|i − j| ≥ 6)", 13);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.ShowLegend(Edge.Right);
        return Compose(new[] { plot }, 1, 900, 440, path, null);
    }

    /// <summary>The target of one test chain and every option's prediction for it (seed 1).</summary>
    private static string Heatmaps(ExperimentResult result, string path)
    {
        var panels = new List<Plot> { HeatmapPlot(result.ExampleTarget, 1) };
        var titles = new List<string> { $"target ({result.ExampleName}, L = {result.ExampleTarget.GetLength(0)})" };
        foreach (var run in result.Runs.Where(r => r.Seed == result.Runs.Min(x => x.Seed)))
        {
            var max = run.Example.Cast<float>().Max();
            panels.Add(HeatmapPlot(run.Example, max));
            titles.Add(string.Create(CultureInfo.InvariantCulture, $"{run.Option.Label} (max {max:F2})"));
        }
        return Compose(panels, columns: Math.Min(3, panels.Count), 300, 300, path,
            "Target and predicted probabilities after the test-time step, seed 1 (colour scale 0 … each panel's max)", titles);
    }

    private static Plot HeatmapPlot(float[,] map, double max)
    {
        int n = map.GetLength(0);
        var flipped = new double[n, n]; // the heatmap draws row 0 at the bottom; a contact map has it on top
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                flipped[n - 1 - i, j] = map[i, j];
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(flipped);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, Math.Max(max, 1e-6));
        plot.Axes.Frameless();
        plot.HideGrid();
        return plot;
    }

    /// <summary>DejaVu Sans where it is installed (Debian's fonts-dejavu-core), else ScottPlot's sans-serif choice.</summary>
    private static readonly string FontName =
        SKFontManager.Default.MatchFamily("DejaVu Sans") is { } typeface && typeface.FamilyName == "DejaVu Sans" ? "DejaVu Sans" : Fonts.Sans;

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, 13);
        return plot;
    }

    /// <summary>Draws <paramref name="plots"/> in a grid into one PNG.</summary>
    private static string Compose(IReadOnlyList<Plot> plots, int columns, int width, int height, string path, string? caption, IReadOnlyList<string>? titles = null)
    {
        int rows = (plots.Count + columns - 1) / columns;
        int top = caption is null ? 0 : 30;
        using var surface = SKSurface.Create(new SKImageInfo(columns * width, rows * height + top));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.FromFamilyName(FontName), 15);
        using var titleFont = new SKFont(SKTypeface.FromFamilyName(FontName), 12.5f);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        if (caption is not null) canvas.DrawText(caption, 10, 21, SKTextAlign.Left, font, paint);
        int titleHeight = titles is null ? 0 : 24;
        for (int k = 0; k < plots.Count; k++)
        {
            // Each plot renders into its own image: Plot.Render on a shared canvas clears all of it.
            var bytes = plots[k].GetImageBytes(width, height - titleHeight, ImageFormat.Png);
            plots[k].Dispose();
            using var panel = SKBitmap.Decode(bytes);
            float left = k % columns * width, upper = top + k / columns * height;
            if (titles is not null) canvas.DrawText(titles[k], left + width / 2f, upper + 17, SKTextAlign.Center, titleFont, paint);
            canvas.DrawBitmap(panel, left, upper + titleHeight);
        }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
        return path;
    }
}
