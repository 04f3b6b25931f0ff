// ContactMaps: which way of using the symmetry of a sparse symmetric map in a focal loss helps? Trains one small
// network per loss option and seed on real protein chains (two kinds of input), and writes tables and plots.
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

var inputs = new Option<string[]>("--inputs")
{
    Description = "Inputs, one table each: denoise, predict (comma- or space-separated).",
    DefaultValueFactory = _ => new[] { "denoise,predict" },
    AllowMultipleArgumentsPerToken = true,
};
var dataPath = new Option<string?>("--data") { Description = "The data set file (default: the bundled data/chains.bin.gz)." };
var train = Int("--train", defaults.Train, "Training chains (the first of the split; 0 for all).");
var validation = Int("--validation", defaults.Validation, "Validation chains: early stopping, threshold, better half (0 for all).");
var test = Int("--test", defaults.Test, "Test chains: the tables (0 for all).");
var crop = Int("--crop", defaults.Crop, "Side of the random square training crops.");
var batchSize = Int("--batch-size", defaults.BatchSize, "Crops per training step.");
var steps = Int("--steps", defaults.StepsPerEpoch, "Training steps per epoch (between two validations).");
var epochs = Int("--epochs", defaults.MaxEpochs, "The most epochs a run trains.");
var patience = Int("--patience", defaults.Patience, "Early stopping: epochs without a better validation AUPRC before a run stops.");
var minEpochs = Int("--min-epochs", defaults.MinEpochs, "Epochs every run trains before early stopping may stop it.");
var channels = Int("--channels", defaults.Channels, "Hidden channels of the network.");
var blocks = Int("--blocks", defaults.Blocks, "Residual blocks of the network.");
var seeds = Int("--seeds", defaults.Seeds, "Training seeds 1..N per option (initialisation, crops and batch order; paired across options).");
var dataSeed = Int("--data-seed", defaults.DataSeed, "Seed of the input noise, shared by every run.");
var threads = Int("--threads", 2, "TorchSharp CPU threads.");
var learningRate = new Option<double?>("--lr") { Description = $"Adam's learning rate, the same for every option (default: {ExperimentConfig.DefaultLearningRate(Inputs.Denoise)} for denoise, {ExperimentConfig.DefaultLearningRate(Inputs.Predict)} for predict)." };
var schedule = new Option<LearningRateSchedule>("--schedule") { Description = "The learning rate after the warm-up: cosine (from the peak down to 0 at the end of --epochs) or constant.", DefaultValueFactory = _ => defaults.Schedule };
var warmup = new Option<double>("--warmup") { Description = "Fraction of the run's steps (--epochs × --steps) spent in a linear warm-up to the peak learning rate; 0 for none.", DefaultValueFactory = _ => defaults.WarmupFraction };
var clip = new Option<double>("--clip") { Description = "Gradient-norm clipping before each Adam step, the same for every option; 0 for none.", DefaultValueFactory = _ => defaults.ClipNorm };
var options = new Option<string[]>("--options")
{
    Description = "Options to run, by key (comma- or space-separated), or 'all'; the first is the baseline: " + string.Join(", ", LossOption.All.Select(o => o.Key)) + ". Default: the baseline and the five answers.",
    DefaultValueFactory = _ => LossOption.Question.Select(o => o.Key).ToArray(),
    AllowMultipleArgumentsPerToken = true,
};
var output = new Option<string>("--out") { Description = "Output folder; each input writes results.md, results.csv, runs.csv and the PNGs into a subfolder.", DefaultValueFactory = _ => defaults.Output };
var pdb = new Option<string[]>("--pdb")
{
    Description = "PDB files (plain or .gz; globs; FILE:CHAIN for a chain, else the first) to evaluate every trained model on; default: the bundled 1HPV chain A. 'none' for none.",
    AllowMultipleArgumentsPerToken = true,
};
var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG plots." };

var root = new RootCommand("Trains a small residual CNN on real protein chains under each loss option and seed, for two kinds of input, and writes tables with intervals (Markdown, CSV) and plots (PNG).")
{
    inputs, dataPath, train, validation, test, crop, batchSize, steps, epochs, patience, minEpochs, channels, blocks, learningRate, schedule, warmup, clip, seeds, dataSeed, options, output, threads, pdb, noPlots,
};
root.SetAction(parse =>
{
    var pdbArguments = parse.GetValue(pdb) is { Length: > 0 } given ? given : File.Exists(bundledPdb) ? new[] { bundledPdb } : Array.Empty<string>();
    var config = new ExperimentConfig
    {
        Inputs = (parse.GetValue(inputs) ?? Array.Empty<string>()).SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(k => Enum.TryParse<Inputs>(k, ignoreCase: true, out var x) ? x : throw new ArgumentException($"unknown input {k}; known: denoise, predict.")).Distinct().ToList(),
        DataPath = parse.GetValue(dataPath),
        Train = parse.GetValue(train),
        Validation = parse.GetValue(validation),
        Test = parse.GetValue(test),
        Crop = parse.GetValue(crop),
        BatchSize = parse.GetValue(batchSize),
        StepsPerEpoch = parse.GetValue(steps),
        MaxEpochs = parse.GetValue(epochs),
        Patience = parse.GetValue(patience),
        MinEpochs = parse.GetValue(minEpochs),
        Channels = parse.GetValue(channels),
        Blocks = parse.GetValue(blocks),
        LearningRate = parse.GetValue(learningRate),
        Schedule = parse.GetValue(schedule),
        WarmupFraction = parse.GetValue(warmup),
        ClipNorm = parse.GetValue(clip),
        Seeds = parse.GetValue(seeds),
        DataSeed = parse.GetValue(dataSeed),
        Options = LossOption.Select(parse.GetValue(options) ?? Array.Empty<string>()),
        Output = parse.GetValue(output) ?? defaults.Output,
        RealChains = pdbArguments.Where(f => f != "none").SelectMany(Pdb.ReadAll).ToList(),
        CommandLine = "dotnet run --project samples/ContactMaps" + (args.Length > 0 ? " -- " + string.Join(" ", args) : ""),
        Plots = !parse.GetValue(noPlots),
    };
    return Cli.Run(config, parse.GetValue(threads));
});

var files = new Argument<string[]>("files") { Description = "PDB files (FILE or FILE:CHAIN; globs).", Arity = ArgumentArity.OneOrMore };
var inspect = new Command("pdb", "Print the contact map statistics of PDB files: length, contacts (Cβ–Cβ < 8 Å, |i − j| ≥ 6), density.") { files };
inspect.SetAction(parse =>
{
    foreach (var chain in (parse.GetValue(files) ?? Array.Empty<string>()).SelectMany(Pdb.ReadAll))
        AnsiConsole.WriteLine(Pdb.Describe(chain));
    return 0;
});
root.Subcommands.Add(inspect);

var buildDefaults = new BuildOptions();
var structureDb = new Option<string>("--structure-db") { Description = "ProMod3's structure_db.dat (Debian's promod3-data; see data/README.md).", Required = true };
var dataOut = new Option<string>("--out") { Description = "The data set file to write.", DefaultValueFactory = _ => Path.Combine("samples", "ContactMaps", "data", "chains.bin.gz") };
var minLength = Int("--min-length", buildDefaults.MinLength, "Shortest chain kept.");
var maxLength = Int("--max-length", buildDefaults.MaxLength, "Longest chain kept.");
var chainCount = Int("--chains", buildDefaults.Chains, "Chains written: a seeded sample of the cluster representatives.");
var testCount = Int("--test", buildDefaults.Test, "Test chains.");
var validationCount = Int("--validation", buildDefaults.Validation, "Validation chains.");
var buildSeed = Int("--seed", buildDefaults.Seed, "Seed of the sample and the split.");
var keep = new Option<string[]>("--keep") { Description = "Chains (PDB_CHAIN) kept as their cluster's representative and always written.", DefaultValueFactory = _ => buildDefaults.Keep.ToArray(), AllowMultipleArgumentsPerToken = true };
var build = new Command("build", "Builds the data set from the structure database: one chain per 40 %-identity cluster (cd-hit, which must be installed), split into train, validation and test.")
{
    structureDb, dataOut, minLength, maxLength, chainCount, testCount, validationCount, buildSeed, keep,
};
build.SetAction(parse =>
{
    var settings = new BuildOptions
    {
        MinLength = parse.GetValue(minLength), MaxLength = parse.GetValue(maxLength), Chains = parse.GetValue(chainCount),
        Test = parse.GetValue(testCount), Validation = parse.GetValue(validationCount), Seed = parse.GetValue(buildSeed),
        Keep = (parse.GetValue(keep) ?? Array.Empty<string>()).SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList(),
    };
    try
    {
        DataBuilder.Build(parse.GetValue(structureDb)!, parse.GetValue(dataOut)!, settings, AnsiConsole.WriteLine);
        return 0;
    }
    catch (Exception e) when (e is InvalidOperationException or IOException)
    {
        AnsiConsole.MarkupLine($"[red]error[/]: {Markup.Escape(e.Message)}");
        return 1;
    }
});
root.Subcommands.Add(new Command("data", "The data set.") { build });
return root.Parse(args).Invoke();

namespace ContactMaps
{
    /// <summary>The command line's experiment: progress on the console, the tables at the end, the files written.</summary>
    public static class Cli
    {
        /// <summary>Runs the experiment on each input with console progress and prints its table; returns the exit code.</summary>
        public static int Run(ExperimentConfig config, int threads)
        {
            LossDsl.NativeSettings.DisableOneDnn();
            TorchSharp.torch.set_num_threads(threads);
            var clock = Stopwatch.StartNew();
            AnsiConsole.MarkupLine($"[bold]ContactMaps[/]: {string.Join(" and ", config.Inputs).ToLowerInvariant()} × {config.Options.Count} options × {config.Seeds} seeds, " +
                $"at most {config.MaxEpochs} epochs of {config.StepsPerEpoch} steps each (patience {config.Patience}), {threads} threads");
            foreach (var chain in config.RealChains.Take(5)) AnsiConsole.WriteLine("PDB chain " + Pdb.Describe(chain));
            if (config.RealChains.Count > 5) AnsiConsole.WriteLine($"… and {config.RealChains.Count - 5} more PDB chains");
            if (!AnsiConsole.Profile.Capabilities.Interactive) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
            // The inputs run one after the other. Two runs side by side in one process once crashed inside libtorch (a
            // Scalar check in an addition): TorchSharp frees an implicit Scalar when another thread's allocation starts a
            // GC mid-call; PairNetwork keeps its own now.
            var results = new ExperimentResult[config.Inputs.Count];
            void RunAll(Func<IExperimentProgress> progress)
            {
                for (int k = 0; k < results.Length; k++) results[k] = Experiment.Run(config, config.Inputs[k], progress(), Partial);
            }
            if (AnsiConsole.Profile.Capabilities.Interactive)
                AnsiConsole.Progress().HideCompleted(true)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(context => RunAll(() => new SpectreProgress(context)));
            else
                RunAll(() => new LineProgress());

            foreach (var result in results)
            {
                var files = Report.Write(result);
                var rows = Report.Summarize(result);
                AnsiConsole.WriteLine();
                AnsiConsole.WriteLine(Report.Describe(result));
                AnsiConsole.Write(Table(result, rows, real: false));
                if (config.RealChains.Count > 0) AnsiConsole.Write(Table(result, rows, real: true));
                AnsiConsole.MarkupLine($"Wrote {string.Join(", ", files.Select(f => Markup.Escape(f)))}.");
            }
            AnsiConsole.WriteLine(Report.Legend(config.Seeds, config.Options.Count > 1 ? config.Options[0].Label : null));
            AnsiConsole.MarkupLine($"Done in {clock.Elapsed.TotalSeconds:F0} s. The committed full run (more chains, seeds and epochs) is in [bold]results/full/[/]; samples/ContactMaps/README.md says how to read it.");
            return 0;
        }

        /// <summary>Writes the seeds completed so far of a run still going (results.md then says seeds 1–k).</summary>
        private static void Partial(ExperimentResult result) => Report.Write(result);

        /// <summary>One input's table for the console: the headline metrics, their paired differences to the baseline and the verdicts.</summary>
        public static Table Table(ExperimentResult result, IReadOnlyList<SummaryRow> rows, bool real)
        {
            var what = real ? $"{result.Config.RealChains.Count} PDB chain(s)" : $"{result.Data.Test} test chains";
            var table = new Table().Border(TableBorder.Rounded)
                .Title(Markup.Escape($"{result.Inputs.ToString().ToLowerInvariant()}: {what}, mean [95 % interval] over {result.Config.Seeds} seed(s); Δ: paired difference to the baseline"));
            table.AddColumn("option");
            var metrics = Report.Headline.Where(m => m.Key is "auprc" or "pl_long").ToList();
            foreach (var metric in metrics)
            {
                table.AddColumn(new TableColumn(metric.Header).RightAligned());
                if (rows.Count > 1) table.AddColumn(new TableColumn($"Δ {metric.Header}").RightAligned()).AddColumn("verdict");
            }
            foreach (var row in rows)
            {
                var cells = new List<string> { Markup.Escape(row.Option.Label) };
                foreach (var metric in metrics)
                {
                    cells.Add(Markup.Escape(row.Mean(metric, real).Show(metric.Digits)));
                    if (rows.Count > 1)
                    {
                        var d = row.Difference(metric, real);
                        cells.Add(d is Estimate e ? Markup.Escape(e.Show(metric.Digits + 1, signed: true)) : "(baseline)");
                        cells.Add(d is Estimate v ? Stats.Verdict(v, metric) : "");
                    }
                }
                table.AddRow(cells.ToArray());
            }
            return table;
        }
    }

    /// <summary>Spectre.Console progress bars: one for all runs of an input, one per run with its epoch, loss and validation AUPRC.</summary>
    public sealed class SpectreProgress(ProgressContext context) : IExperimentProgress
    {
        private ProgressTask? _all;
        private ProgressTask? _run;
        private int _epochs;

        /// <inheritdoc />
        public void Start(Inputs inputs, int runs, int epochs)
        {
            _epochs = epochs;
            _all = context.AddTask($"[bold]{inputs.ToString().ToLowerInvariant()}: {runs} runs[/]", maxValue: runs);
        }

        /// <inheritdoc />
        public void RunStarted(LossOption option, int seed) =>
            _run = context.AddTask($"{Markup.Escape(option.Label)}, seed {seed}", maxValue: _epochs);

        /// <inheritdoc />
        public void EpochDone(LossOption option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds)
        {
            if (_run is null) return;
            _run.Description = $"{Markup.Escape(option.Label)}, seed {seed}: epoch {epoch}, loss {trainLoss:G4}, val AUPRC {validationAuprc:F3}";
            _run.Increment(1);
        }

        /// <inheritdoc />
        public void RunDone(RunResult result)
        {
            _run?.StopTask();
            _all?.Increment(1);
        }
    }

    /// <summary>Plain lines, for logs and redirected output.</summary>
    public sealed class LineProgress : IExperimentProgress
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _runs, _done;
        private Inputs _inputs;

        /// <inheritdoc />
        public void Start(Inputs inputs, int runs, int epochs) => (_inputs, _runs, _done) = (inputs, runs, 0);

        /// <inheritdoc />
        public void RunStarted(LossOption option, int seed) =>
            Console.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {_inputs.ToString().ToLowerInvariant()} run {_done + 1}/{_runs}: {option.Label}, seed {seed}");

        /// <inheritdoc />
        public void EpochDone(LossOption option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds) =>
            Console.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {_inputs.ToString().ToLowerInvariant()}   {option.Key} seed {seed} epoch {epoch}: loss {trainLoss:G4}, val AUPRC {validationAuprc:F3} ({seconds:F1} s)");

        /// <inheritdoc />
        public void RunDone(RunResult result)
        {
            _done++;
            Console.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {_inputs.ToString().ToLowerInvariant()}   {result.Option.Key} seed {result.Seed} done: best epoch {result.BestEpoch}, test AUPRC {Stats.Value(result.Test, Metric.Of("auprc")):F3}, " +
                $"P@L long {Stats.Value(result.Test, Metric.Of("pl_long")):F3}, F1 {Stats.Value(result.Test, Metric.Of("f1")):F3}");
        }
    }

    /// <summary>No progress output (tests).</summary>
    public sealed class SilentProgress : IExperimentProgress
    {
        /// <inheritdoc />
        public void Start(Inputs inputs, int runs, int epochs) { }
        /// <inheritdoc />
        public void RunStarted(LossOption option, int seed) { }
        /// <inheritdoc />
        public void EpochDone(LossOption option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds) { }
        /// <inheritdoc />
        public void RunDone(RunResult result) { }
    }
}
