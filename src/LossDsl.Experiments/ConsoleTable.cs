using System;
using System.Collections.Generic;
using System.Linq;
using Spectre.Console;

namespace LossDsl.Experiments;

/// <summary>A comparison's short table on the console: a few metrics with their paired differences and verdicts, and what the run can say.</summary>
public static class ConsoleTable
{
    /// <summary>Writes <paramref name="text"/>'s description, then <paramref name="metrics"/> (default: the headline) per option, on <paramref name="what"/> (e.g. "300 test chains").</summary>
    public static void Show(ComparisonResult result, ReportText text, string what, IReadOnlyList<Metric>? metrics = null)
    {
        metrics ??= new[] { result.Scoring.Headline };
        AnsiConsole.WriteLine();
        AnsiConsole.WriteLine(text.Description);
        if (result.CompleteSeeds.Count == 0) return;
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{text.Title}: {what}, mean [95 % t interval] over {result.CompleteSeeds.Count} seed(s); Δ: paired difference to the baseline"));
        table.AddColumn("option");
        foreach (var metric in metrics)
        {
            table.AddColumn(new TableColumn(metric.Header).RightAligned());
            if (result.Options.Count > 1) table.AddColumn(new TableColumn($"Δ {metric.Header}").LeftAligned());
        }
        foreach (var option in result.Options)
        {
            var cells = new List<string> { Markup.Escape(option.Label) };
            foreach (var metric in metrics)
            {
                cells.Add(Markup.Escape(result.Mean(option, metric).Show(metric.Digits)));
                if (result.Options.Count > 1) cells.Add(Markup.Escape(Report.Cell(result, option, metric)));
            }
            table.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(table);
        foreach (var line in new[] { Report.TooSmall(result), Report.Controls(result) }.OfType<string>())
            AnsiConsole.WriteLine(line.Replace("**", "", StringComparison.Ordinal));
    }
}
