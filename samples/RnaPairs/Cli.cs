using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using LossDsl.Experiments;
using Spectre.Console;

namespace RnaPairs;

/// <summary>The <c>compare</c> command: the comparison per split, with progress on the console, the reports written and the tables printed.</summary>
public static class Cli
{
    /// <summary>Where the committed full run lives, relative to the repository root.</summary>
    public const string CommittedRun = "results/rna";

    /// <summary>Runs (or resumes, or with <paramref name="recompute"/> only reloads) the comparison of each split; returns the exit code.</summary>
    public static int Compare(RnaConfig config, int threads, bool recompute)
    {
        Experiment.SetUpNative();
        TorchSharp.torch.set_num_threads(threads);
        var clock = Stopwatch.StartNew();
        var s = config.Schedule;
        AnsiConsole.MarkupLine(Markup.Escape($"RnaPairs: {string.Join(" and ", config.Splits).ToLowerInvariant()} split × {config.Options.Count} options{(s.Control ? " + the A/A control" : "")} × {s.Seeds} seeds, " +
            $"at most {s.MaxEpochs} epochs of {s.StepsPerEpoch} steps each (patience {s.Patience}), {threads} threads{(recompute ? "; recomputing the reports only" : "")}"));
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        try
        {
            foreach (var split in config.Splits)
            {
                var folder = config.Folder(split);
                var experiment = Experiment.Prepare(config, split);
                var result = recompute ? Comparison.Load(folder, config.Options)
                    : ConsoleProgress.Show(split.ToString().ToLowerInvariant(), progress => Comparison.Run(experiment.Data, config.Options, config.Schedule, folder, progress));
                var text = Text(config, split, experiment.Used);
                var files = Report.Write(result, folder, text, config.Plots);
                ConsoleTable.Show(result, text, $"{experiment.Used.Test} test sequences", new[] { result.Scoring.Headline, result.Scoring.Of("f1") });
                AnsiConsole.MarkupLine(Markup.Escape($"Wrote {string.Join(", ", files)}."));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException)
        {
            AnsiConsole.MarkupLine($"[red]error[/]: {Markup.Escape(e.Message)}");
            return 1;
        }
        AnsiConsole.MarkupLine($"Done in {clock.Elapsed.TotalSeconds:F0} s. The committed full run is in [bold]{CommittedRun}/[/]; samples/RnaPairs/README.md says how it was made.");
        return 0;
    }

    /// <summary>The report's words for one split: the data, the input, the crops and the network.</summary>
    public static ReportText Text(RnaConfig c, SplitKind split, UsedData d)
    {
        var what = split == SplitKind.Cluster ? "cluster split (train, validation and test disjoint at 80 % identity)" : "family split (test families never trained on)";
        return new ReportText($"RnaPairs results: {split.ToString().ToLowerInvariant()} split", c.CommandLine, string.Create(CultureInfo.InvariantCulture,
            $"Data: RNA base-pair maps, {what}: {d.Train} training, {d.Validation} validation and {d.Test} test sequences (test: {d.TestFamilies}). " +
            $"Scored sequences are {d.MinLength}–{d.MaxLength} bases long; {d.Cropped} longer than {c.Bound} are scored on their first {c.Bound} bases; {d.Density:P2} of the cells of their whole maps are pairs (mean over sequences). " +
            $"Input from the sequence alone: 16 one-hot pair channels, can pair (A–U, G–C, G–U), inside the sequence, separation. " +
            $"A training step is {c.BatchSize} random crops of at most {c.TrainBound} bases (two windows for longer sequences); the network is a residual CNN with {c.Channels} channels × {c.Blocks} blocks."));
    }
}
