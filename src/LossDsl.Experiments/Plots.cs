using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;
using SkiaSharp;

namespace LossDsl.Experiments;

/// <summary>The PNG plots of a comparison.</summary>
internal static class Plots
{
    /// <summary>Writes <c>validation-auprc.png</c>, <c>differences.png</c> and, when the runs hold it, <c>example-maps.png</c>; returns the files.</summary>
    public static IReadOnlyList<string> Write(ComparisonResult result, string folder, string title)
    {
        var files = new List<string>
        {
            ValidationCurves(result, title, Path.Combine(folder, "validation-auprc.png")),
            Differences(result, title, Path.Combine(folder, "differences.png")),
        };
        if (HasExample(result)) files.Add(ExampleMaps(result, title, Path.Combine(folder, "example-maps.png")));
        return files;
    }

    /// <summary>Whether the result holds an example map and the runs' top-L predictions on it.</summary>
    public static bool HasExample(ComparisonResult result) => result.Example is not null && result.Runs.Any(r => r.ExampleTopL.Length > 0);

    /// <summary>
    /// Validation AUPRC after each epoch: per option the mean over the seeds whose run reached that epoch; runs stopped
    /// early end their part of the curve. The band of the 95 % t interval covers the epochs every run reached: beyond
    /// them fewer seeds remain, and with two t spans ±12.7 standard errors.
    /// </summary>
    private static string ValidationCurves(ComparisonResult result, string title, string path)
    {
        int seeds = result.CompleteSeeds.Count;
        var plot = NewPlot($"{title}: validation AUPRC per epoch (mean and 95 % band over {seeds} seed{(seeds > 1 ? "s" : "")})");
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < result.Options.Count; k++)
        {
            var runs = result.RunsOf(result.Options[k]);
            if (runs.Count == 0) continue;
            var epochs = runs.Max(r => r.ValidationAuprc.Length);
            var xs = new List<double>();
            var estimates = new List<Estimate>();
            for (int e = 0; e < epochs; e++)
            {
                xs.Add(e + 1);
                estimates.Add(Stats.Mean(runs.Where(r => r.ValidationAuprc.Length > e).Select(r => r.ValidationAuprc[e]).ToList()));
            }
            var color = palette.GetColor(k);
            if (runs.Count > 1)
            {
                int common = runs.Min(r => r.ValidationAuprc.Length);
                var band = plot.Add.FillY(xs.Take(common).ToArray(), estimates.Take(common).Select(x => x.Low).ToArray(), estimates.Take(common).Select(x => x.High).ToArray());
                band.FillStyle.Color = color.WithAlpha(0.15);
                band.LineStyle.Width = 0;
            }
            var line = plot.Add.Scatter(xs.ToArray(), estimates.Select(x => x.Value).ToArray());
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = result.Options[k].Label;
        }
        plot.XLabel(string.Create(CultureInfo.InvariantCulture, $"epoch ({result.Settings.StepsPerEpoch} steps)"), 13);
        plot.YLabel($"validation AUPRC (|i − j| ≥ {result.Scoring.MinSeparation})", 13);
        plot.ShowLegend(Edge.Right);
        return Compose(new[] { plot }, 1, 1000, 460, path, null);
    }

    /// <summary>The paired differences to the baseline with their 95 % t intervals, one panel per headline metric.</summary>
    private static string Differences(ComparisonResult result, string title, string path)
    {
        var compared = result.Options.Skip(1).ToList();
        var panels = result.Scoring.Table.Where(m => m.HigherIsBetter is not null).Select(metric =>
        {
            var plot = NewPlot($"Δ {metric.Header} vs {result.Baseline.Label}");
            if (compared.Count == 0) return plot;
            var d = compared.Select(o => result.Difference(o, metric)!.Value).ToList();
            var ys = Enumerable.Range(0, d.Count).Select(k => (double)(d.Count - k)).ToArray();
            for (int k = 0; k < d.Count; k++)
            {
                var bar = plot.Add.Line(d[k].Low, ys[k], d[k].High, ys[k]);
                bar.LineWidth = 2;
                var verdict = result.Verdict(compared[k], metric);
                bar.Color = verdict is Verdict.Better ? Colors.C2 : verdict is Verdict.Worse ? Colors.C3 : verdict is Verdict.Higher or Verdict.Lower ? Colors.C0 : Colors.Gray;
            }
            plot.Add.Markers(d.Select(x => x.Value).ToArray(), ys, MarkerShape.FilledCircle, 7, Colors.Black);
            plot.Add.VerticalLine(0, 1, Colors.Gray, LinePattern.Dashed);
            plot.Axes.Left.SetTicks(ys, compared.Select(o => o.Label).ToArray());
            plot.Axes.SetLimitsY(0.4, d.Count + 0.6);
            return plot;
        }).ToList();
        return Compose(panels, 2, 620, 330, path, $"{title}: paired differences to the baseline on the test samples, 95 % t intervals over seeds");
    }

    /// <summary>
    /// The example test map as the field draws it: the true contacts in the lower triangle, and each option's (first
    /// seed's) top-L (or L / ExampleDivisor) predictions in the upper triangle, green where they are contacts and red where they are not.
    /// </summary>
    private static string ExampleMaps(ComparisonResult result, string title, string path)
    {
        var example = result.Example!;
        int n = example.Length;
        var contacts = example.Contacts.ToHashSet();
        var top = result.Scoring.ExampleDivisor == 1 ? "top-L" : $"top-L/{result.Scoring.ExampleDivisor}";
        var panels = new List<Plot>();
        var titles = new List<string>();
        int first = result.Runs.Min(r => r.Seed);
        foreach (var option in result.Options)
        {
            if (result.Runs.FirstOrDefault(r => r.Option == option.Key && r.Seed == first) is not { ExampleTopL.Length: > 0 } run) continue;
            var plot = new Plot();
            plot.Font.Set(FontName);
            // Row i of the map is drawn at height n − 1 − i, so that row 0 is on top as in a matrix.
            double[] Xs(IEnumerable<int> cells, bool lower) => cells.Select(c => (double)(lower ? c / n : c % n)).ToArray();
            double[] Ys(IEnumerable<int> cells, bool lower) => cells.Select(c => (double)(n - 1 - (lower ? c % n : c / n))).ToArray();
            plot.Add.Markers(Xs(contacts, true), Ys(contacts, true), MarkerShape.FilledSquare, 2.5f, Colors.DimGray);
            var hits = run.ExampleTopL.Where(contacts.Contains).ToList();
            var misses = run.ExampleTopL.Where(c => !contacts.Contains(c)).ToList();
            plot.Add.Markers(Xs(hits, false), Ys(hits, false), MarkerShape.FilledSquare, 3.5f, Colors.ForestGreen);
            plot.Add.Markers(Xs(misses, false), Ys(misses, false), MarkerShape.FilledSquare, 3.5f, Colors.Crimson);
            plot.Add.Line(0, n - 1, n - 1, 0).Color = Colors.LightGray;
            plot.Axes.SetLimits(-1, n, -1, n);
            plot.Axes.Frameless();
            plot.HideGrid();
            panels.Add(plot);
            titles.Add(string.Create(CultureInfo.InvariantCulture, $"{option.Label}: {hits.Count} of {run.ExampleTopL.Length} {top} are contacts"));
        }
        return Compose(panels, columns: Math.Min(3, panels.Count), 440, 460, path,
            string.Create(CultureInfo.InvariantCulture, $"{title}, {example.Name} (L = {n}): true contacts below the diagonal; seed-{first} {top} above (green hit, red miss)"), titles);
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
