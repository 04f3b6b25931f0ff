// ContactMaps: which way of using the symmetry of a sparse symmetric map in a focal loss helps? Trains one small
// network per loss option and seed on the same synthetic protein-like maps, and writes a table and plots.
using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ContactMaps;
using Spectre.Console;

var defaults = new ExperimentConfig();
var bundledPdb = Path.Combine(AppContext.BaseDirectory, "data", "1hpv_A.pdb");

Option<int> Int(string name, int value, string description) =>
    new(name) { Description = description, DefaultValueFactory = _ => value };

var train = Int("--train", defaults.Train, "Training chains.");
var validation = Int("--validation", defaults.Validation, "Validation chains (better half, threshold, curves).");
var test = Int("--test", defaults.Test, "Test chains (the table).");
var minLength = Int("--min-length", defaults.MinLength, "Shortest chain.");
var maxLength = Int("--max-length", defaults.MaxLength, "Longest chain.");
var epochs = Int("--epochs", defaults.Epochs, "Passes over the training chains.");
var batchSize = Int("--batch-size", defaults.BatchSize, "Chains per training step.");
var channels = Int("--channels", defaults.Channels, "Hidden channels of the network.");
var blocks = Int("--blocks", defaults.Blocks, "Residual blocks of the network.");
var seeds = Int("--seeds", defaults.Seeds, "Training seeds 1..N per option (model initialisation and batch order).");
var dataSeed = Int("--data-seed", defaults.DataSeed, "Seed of the data set, shared by every run.");
var threads = Int("--threads", 2, "TorchSharp CPU threads.");
var learningRate = new Option<double>("--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
var clip = new Option<double>("--clip") { Description = "Gradient-norm clipping before each Adam step.", DefaultValueFactory = _ => defaults.ClipNorm };
var options = new Option<string[]>("--options")
{
    Description = "Options to run, by key (comma- or space-separated), or 'all': " + string.Join(", ", LossOption.All.Select(o => o.Key)) + ".",
    DefaultValueFactory = _ => new[] { "all" },
    AllowMultipleArgumentsPerToken = true,
};
var output = new Option<string>("--out") { Description = "Output folder for results.md, results.csv, runs.csv and the PNGs.", DefaultValueFactory = _ => defaults.Output };
var pdb = new Option<string[]>("--pdb")
{
    Description = "PDB files to evaluate every trained model on (first chain of each); default: the bundled 1HPV chain A. 'none' for none.",
    AllowMultipleArgumentsPerToken = true,
};
var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG plots." };

var root = new RootCommand("Trains a small residual CNN on synthetic protein-like contact maps under each loss option and seed, and writes a table (Markdown, CSV) and plots (PNG).")
{
    train, validation, test, minLength, maxLength, epochs, batchSize, channels, blocks, learningRate, clip, seeds, dataSeed, options, output, threads, pdb, noPlots,
};
root.SetAction(parse =>
{
    var pdbFiles = parse.GetValue(pdb) is { Length: > 0 } given ? given : File.Exists(bundledPdb) ? new[] { bundledPdb } : Array.Empty<string>();
    var config = new ExperimentConfig
    {
        Train = parse.GetValue(train),
        Validation = parse.GetValue(validation),
        Test = parse.GetValue(test),
        MinLength = parse.GetValue(minLength),
        MaxLength = parse.GetValue(maxLength),
        Epochs = parse.GetValue(epochs),
        BatchSize = parse.GetValue(batchSize),
        Channels = parse.GetValue(channels),
        Blocks = parse.GetValue(blocks),
        LearningRate = parse.GetValue(learningRate),
        ClipNorm = parse.GetValue(clip),
        Seeds = parse.GetValue(seeds),
        DataSeed = parse.GetValue(dataSeed),
        Options = LossOption.Select(parse.GetValue(options) ?? Array.Empty<string>()),
        Output = parse.GetValue(output) ?? defaults.Output,
        RealChains = pdbFiles.Where(f => f != "none").Select(f => Pdb.Read(f)).ToList(),
        CommandLine = "dotnet run --project samples/ContactMaps" + (args.Length > 0 ? " -- " + string.Join(" ", args) : ""),
        Plots = !parse.GetValue(noPlots),
    };
    return Cli.Run(config, parse.GetValue(threads));
});

var files = new Argument<string[]>("files") { Description = "PDB files.", Arity = ArgumentArity.OneOrMore };
var chainId = new Option<string?>("--chain") { Description = "Chain identifier (default: the first chain)." };
var inspect = new Command("pdb", "Print the contact map of PDB files: length, contacts (Cβ–Cβ < 8 Å, |i − j| ≥ 6), sparsity.") { files, chainId };
inspect.SetAction(parse =>
{
    var id = parse.GetValue(chainId);
    foreach (var file in parse.GetValue(files) ?? Array.Empty<string>())
        AnsiConsole.WriteLine(Pdb.Describe(Pdb.Read(file, string.IsNullOrEmpty(id) ? null : id[0])));
    return 0;
});
root.Subcommands.Add(inspect);
return root.Parse(args).Invoke();

namespace ContactMaps
{
    /// <summary>The command line's experiment: progress on the console, the table at the end, the files written.</summary>
    public static class Cli
    {
        /// <summary>Runs the experiment with console progress and prints the table; returns the exit code.</summary>
        public static int Run(ExperimentConfig config, int threads)
        {
            NativeSettings.Apply();
            TorchSharp.torch.set_num_threads(threads);
            var clock = Stopwatch.StartNew();
            AnsiConsole.MarkupLine($"[bold]ContactMaps[/]: {config.Options.Count} options × {config.Seeds} seeds, {config.Epochs} epochs each, {threads} threads");
            foreach (var chain in config.RealChains) AnsiConsole.WriteLine("Real chain " + Pdb.Describe(chain));
            ExperimentResult result;
            if (AnsiConsole.Profile.Capabilities.Interactive)
                result = AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(context => Experiment.Run(config, new SpectreProgress(context)));
            else
                result = Experiment.Run(config, new LineProgress());

            var files = Report.Write(result);
            AnsiConsole.WriteLine(Report.Describe(result));
            AnsiConsole.Write(Table(result));
            AnsiConsole.MarkupLine($"Wrote {string.Join(", ", files.Select(f => Markup.Escape(f)))} in {clock.Elapsed.TotalSeconds:F0} s.");
            return 0;
        }

        /// <summary>The results table for the console.</summary>
        public static Table Table(ExperimentResult result)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"Test split, |i − j| ≥ {Experiment.EvaluationSeparation}, mean ± std over {result.Config.Seeds} seed(s)");
            table.AddColumn("option").AddColumn("test time");
            foreach (var column in SummaryRow.Columns) table.AddColumn(new TableColumn(column.Header).RightAligned());
            foreach (var row in Report.Summarize(result))
                table.AddRow(new[] { Markup.Escape(row.Option.Label), Report.StepName(row.Option.Step) }
                    .Concat(SummaryRow.Columns.Select(c => row.Of(c.Value).Show(c.Digits))).ToArray());
            return table;
        }
    }

    /// <summary>Spectre.Console progress bars: one for all runs, one per run with its epoch, loss and validation AUPRC.</summary>
    public sealed class SpectreProgress(ProgressContext context) : IExperimentProgress
    {
        private ProgressTask? _all;
        private ProgressTask? _run;
        private int _epochs;

        /// <inheritdoc />
        public void Start(int runs, int epochs)
        {
            _epochs = epochs;
            _all = context.AddTask($"[bold]{runs} runs[/]", maxValue: runs);
        }

        /// <inheritdoc />
        public void RunStarted(LossOption option, int seed) =>
            _run = context.AddTask($"{Markup.Escape(option.Label)}, seed {seed}", maxValue: _epochs);

        /// <inheritdoc />
        public void EpochDone(LossOption option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds)
        {
            if (_run is null) return;
            _run.Description = $"{Markup.Escape(option.Label)}, seed {seed}: epoch {epoch}/{_epochs}, loss {trainLoss:G4}, val AUPRC {validationAuprc:F3}";
            _run.Increment(1);
        }

        /// <inheritdoc />
        public void RunDone(RunResult result)
        {
            if (_run is not null)
            {
                _run.Description = $"{Markup.Escape(result.Option.Label)}, seed {result.Seed}: test F1 {result.Test.F1:F3}, AUPRC {result.Test.Auprc:F3}";
                _run.StopTask();
            }
            _all?.Increment(1);
        }
    }

    /// <summary>Plain lines, for logs and redirected output.</summary>
    public sealed class LineProgress : IExperimentProgress
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _runs, _done;

        /// <inheritdoc />
        public void Start(int runs, int epochs) => _runs = runs;

        /// <inheritdoc />
        public void RunStarted(LossOption option, int seed) =>
            Console.WriteLine($"[{_clock.Elapsed:mm\\:ss}] run {_done + 1}/{_runs}: {option.Label}, seed {seed}");

        /// <inheritdoc />
        public void EpochDone(LossOption option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds) =>
            Console.WriteLine($"[{_clock.Elapsed:mm\\:ss}]   epoch {epoch}: loss {trainLoss:G4}, val AUPRC {validationAuprc:F3} ({seconds:F1} s)");

        /// <inheritdoc />
        public void RunDone(RunResult result)
        {
            _done++;
            Console.WriteLine($"[{_clock.Elapsed:mm\\:ss}]   test F1 {result.Test.F1:F3}, MCC {result.Test.Mcc:F3}, AUPRC {result.Test.Auprc:F3}, P@L long {result.Test.LongPL:F3}");
        }
    }

    /// <summary>No progress output (tests).</summary>
    public sealed class SilentProgress : IExperimentProgress
    {
        /// <inheritdoc />
        public void Start(int runs, int epochs) { }
        /// <inheritdoc />
        public void RunStarted(LossOption option, int seed) { }
        /// <inheritdoc />
        public void EpochDone(LossOption option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds) { }
        /// <inheritdoc />
        public void RunDone(RunResult result) { }
    }
}
