using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;
using SkiaSharp;

namespace ContactMaps;

/// <summary>The PNG plots of one input's results.</summary>
public static class Plots
{
    /// <summary>
    /// Validation AUPRC after each epoch: per option the mean over the seeds whose run reached that epoch, with a
    /// band of the 95 % t interval; runs stopped early end their part of the curve.
    /// </summary>
    public static string ValidationCurves(ExperimentResult result, IReadOnlyList<SummaryRow> rows, string path)
    {
        var plot = NewPlot($"{Title(result)}: validation AUPRC per epoch (mean and 95 % band over {result.Config.Seeds} seed{(result.Config.Seeds > 1 ? "s" : "")})");
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < rows.Count; k++)
        {
            var runs = rows[k].Runs;
            var epochs = runs.Max(r => r.ValidationAuprc.Length);
            var xs = new List<double>();
            var estimates = new List<Estimate>();
            for (int e = 0; e < epochs; e++)
            {
                var values = runs.Where(r => r.ValidationAuprc.Length > e).Select(r => r.ValidationAuprc[e]).ToList();
                xs.Add(e + 1);
                estimates.Add(Stats.Mean(values));
            }
            var color = palette.GetColor(k);
            if (runs.Count > 1)
            {
                var band = plot.Add.FillY(xs.ToArray(), estimates.Select(x => x.Low).ToArray(), estimates.Select(x => x.High).ToArray());
                band.FillStyle.Color = color.WithAlpha(0.15);
                band.LineStyle.Width = 0;
            }
            var line = plot.Add.Scatter(xs.ToArray(), estimates.Select(x => x.Value).ToArray());
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = rows[k].Option.Label;
        }
        plot.XLabel($"epoch ({result.Config.StepsPerEpoch} steps of {result.Config.BatchSize} crops)", 13);
        plot.YLabel("validation AUPRC (|i − j| ≥ 6)", 13);
        plot.ShowLegend(Edge.Right);
        return Compose(new[] { plot }, 1, 1000, 460, path, null);
    }

    /// <summary>The paired differences to the baseline with their 95 % intervals, one panel per headline metric.</summary>
    public static string Differences(ExperimentResult result, IReadOnlyList<SummaryRow> rows, string path)
    {
        var compared = rows.Skip(1).ToList();
        var panels = Report.Headline.Select(metric =>
        {
            var plot = NewPlot($"Δ {metric.Header} vs {(rows.Count > 0 ? rows[0].Option.Label : "")}");
            if (compared.Count == 0) return plot;
            var d = compared.Select(r => r.Difference(metric)!.Value).ToList();
            var ys = Enumerable.Range(0, d.Count).Select(k => (double)(d.Count - k)).ToArray();
            for (int k = 0; k < d.Count; k++)
            {
                var bar = plot.Add.Line(d[k].Low, ys[k], d[k].High, ys[k]);
                bar.LineWidth = 2;
                bar.Color = d[k].Sign == 0 ? Colors.Gray : d[k].Sign > 0 == (metric.HigherIsBetter != false) ? Colors.C2 : Colors.C3;
            }
            plot.Add.Markers(d.Select(x => x.Value).ToArray(), ys, MarkerShape.FilledCircle, 7, Colors.Black);
            plot.Add.VerticalLine(0, 1, Colors.Gray, LinePattern.Dashed);
            plot.Axes.Left.SetTicks(ys, compared.Select(r => r.Option.Label).ToArray());
            plot.Axes.SetLimitsY(0.4, d.Count + 0.6);
            return plot;
        }).ToList();
        return Compose(panels, 2, 620, 330, path, $"{Title(result)}: paired differences to the baseline on the test chains, 95 % bootstrap intervals over seeds and chains");
    }

    /// <summary>The target of one test chain and every option's prediction for it (seed 1).</summary>
    public static string Heatmaps(ExperimentResult result, string path)
    {
        var panels = new List<Plot> { Heatmap(result.ExampleTarget, 1) };
        var titles = new List<string> { $"target ({result.ExampleName}, L = {result.ExampleTarget.GetLength(0)})" };
        foreach (var run in result.Runs.Where(r => r.Seed == result.Runs.Min(x => x.Seed)))
        {
            var max = run.Example.Cast<float>().Max();
            panels.Add(Heatmap(run.Example, max));
            titles.Add(string.Create(CultureInfo.InvariantCulture, $"{run.Option.Label} (max {max:F2})"));
        }
        return Compose(panels, columns: Math.Min(3, panels.Count), 300, 300, path,
            $"{Title(result)}: one test chain, target and seed-1 predictions (0 … each panel's max)", titles);
    }

    private static string Title(ExperimentResult result) => result.Inputs.ToString().ToLowerInvariant();

    private static Plot Heatmap(float[,] map, double max)
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
