using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using LossDsl.Experiments;
using Spectre.Console;

namespace ContactMaps;

/// <summary>The command line's experiment: progress on the console, the comparison per input, the reports written, the tables printed.</summary>
public static class Cli
{
    /// <summary>Where the committed full run lives, relative to the repository root (the usual working directory).</summary>
    public const string CommittedRun = "results/full";

    /// <summary>Runs (or resumes, or only evaluates or recomputes) the comparison on each input; returns the exit code.</summary>
    public static int Run(ExperimentConfig config, int threads, string? models, bool recompute)
    {
        Experiment.SetUpNative();
        TorchSharp.torch.set_num_threads(threads);
        var clock = Stopwatch.StartNew();
        var s = config.Schedule;
        AnsiConsole.MarkupLine(Markup.Escape($"ContactMaps: {string.Join(" and ", config.Inputs).ToLowerInvariant()} × {config.Options.Count} options{(s.Control ? " + the A/A control" : "")} × {s.Seeds} seeds, " +
            $"at most {s.MaxEpochs} epochs of {s.StepsPerEpoch} steps each (patience {s.Patience}), {threads} threads" +
            (recompute ? "; recomputing the reports only" : models is not null ? $"; evaluating the models in {models}" : "")));
        foreach (var chain in config.RealChains.Take(5)) AnsiConsole.WriteLine("PDB chain " + Pdb.Describe(chain));
        if (config.RealChains.Count > 5) AnsiConsole.WriteLine($"… and {config.RealChains.Count - 5} more PDB chains");
        if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        try
        {
            // The inputs run one after the other: two runs side by side in one process once crashed inside libtorch (Network.cs).
            foreach (var inputs in config.Inputs)
            {
                var folder = config.Folder(inputs);
                var experiment = Experiment.Prepare(config, inputs);
                var result = recompute ? Recompute(config, inputs)
                    : models is not null ? Comparison.Evaluate(Path.Combine(models, inputs.ToString().ToLowerInvariant()), Experiment.Network(config, inputs), experiment.Data.Test, config.Options)
                    : ConsoleProgress.Show(inputs.ToString().ToLowerInvariant(), progress =>
                        Comparison.Run(experiment.Data, config.Options, config.SettingsFor(inputs), folder, progress));
                var text = SampleReport.Text(config, inputs, experiment.Summary);
                var files = Report.Write(result, folder, text, config.Plots).ToList();
                Show(result, text, $"{experiment.Summary.Test} test chains");
                if (config.RealChains.Count > 0 && !recompute)
                {
                    var real = Comparison.Evaluate(models is null ? folder : Path.Combine(models, inputs.ToString().ToLowerInvariant()),
                        Experiment.Network(config, inputs), Experiment.RealSamples(config, inputs), config.Options);
                    files.AddRange(Report.Write(real, Path.Combine(folder, "pdb"), text with { Title = text.Title + ", PDB chains" }, config.Plots));
                    Show(real, text, $"{config.RealChains.Count} PDB chain(s)");
                }
                AnsiConsole.MarkupLine(Markup.Escape($"Wrote {string.Join(", ", files)}."));
                if (result.TooSmallToDecide) ShowCommitted(config, inputs, experiment, text);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException)
        {
            AnsiConsole.MarkupLine($"[red]error[/]: {Markup.Escape(e.Message)}");
            return 1;
        }
        AnsiConsole.MarkupLine($"Done in {clock.Elapsed.TotalSeconds:F0} s. The committed full run (more chains, seeds and epochs) is in [bold]{CommittedRun}/[/]; docs/experiments.md says how to read it.");
        return 0;
    }

    /// <summary>The saved runs of <paramref name="inputs"/> in --out, or those of its runs.csv when the run folders are gone.</summary>
    private static ComparisonResult Recompute(ExperimentConfig config, Inputs inputs)
    {
        var folder = config.Folder(inputs);
        if (File.Exists(Path.Combine(folder, "comparison.json"))) return Comparison.Load(folder, config.Options);
        var runs = Report.ReadRunsCsv(Path.Combine(folder, "runs.csv"));
        var keys = runs.Select(r => r.Option).Distinct().ToList();
        var options = config.Options.Where(o => keys.Contains(o.Key)).ToList();
        return new ComparisonResult(config.SettingsFor(inputs) with { Seeds = runs.Max(r => r.Seed) }, options, runs.Where(r => options.Any(o => o.Key == r.Option)).ToList(), null);
    }

    /// <summary>One input's table on the console: AUPRC and P@L long, their paired differences and verdicts, and what the run can say.</summary>
    private static void Show(ComparisonResult result, ReportText text, string what) =>
        ConsoleTable.Show(result, text, what, new[] { result.Scoring.Of("auprc"), result.Scoring.Of("pl_long") });

    /// <summary>
    /// The committed full run's models of <paramref name="inputs"/> (each run's best weights, threshold and kept half)
    /// scored on this run's test chains, beside its own table, when they are there: an answer from 5 seeds in seconds.
    /// </summary>
    private static void ShowCommitted(ExperimentConfig config, Inputs inputs, Experiment experiment, ReportText text)
    {
        var folder = Path.Combine(CommittedRun, inputs.ToString().ToLowerInvariant());
        if (!File.Exists(Path.Combine(folder, "comparison.json"))) return;
        var committed = Comparison.Evaluate(folder, Experiment.Network(config, inputs), experiment.Data.Test, config.Options);
        Show(committed, text with { Title = $"The committed full run's models ({folder})" }, $"the same {experiment.Summary.Test} test chains");
    }
}
