// ContactMaps: which way of using the symmetry of a sparse symmetric map in a focal loss helps? Trains one small
// network per loss option and seed on real protein chains (two kinds of input), and writes tables and plots.
using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ContactMaps;
using LossDsl.Experiments;
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
var steps = Int("--steps", defaults.Schedule.StepsPerEpoch, "Training steps per epoch (between two validations).");
var epochs = Int("--epochs", defaults.Schedule.MaxEpochs, "The most epochs a run trains.");
var patience = Int("--patience", defaults.Schedule.Patience, "Early stopping: epochs without a better validation AUPRC before a run stops.");
var minEpochs = Int("--min-epochs", defaults.Schedule.MinEpochs, "Epochs every run trains before early stopping may stop it.");
var channels = Int("--channels", defaults.Channels, "Hidden channels of the network.");
var blocks = Int("--blocks", defaults.Blocks, "Residual blocks of the network.");
var seeds = Int("--seeds", defaults.Schedule.Seeds, "Training seeds 1..N per option (initialisation, crops and batch order; paired across options).");
var dataSeed = Int("--data-seed", defaults.DataSeed, "Seed of the input noise, shared by every run.");
var threads = Int("--threads", 2, "TorchSharp CPU threads.");
var learningRate = new Option<double?>("--lr") { Description = $"Adam's learning rate, the same for every option (default: {ExperimentConfig.DefaultLearningRate(Inputs.Denoise)} for denoise, {ExperimentConfig.DefaultLearningRate(Inputs.Predict)} for predict)." };
var schedule = new Option<LearningRateSchedule>("--schedule") { Description = "The learning rate after the warm-up: cosine (from the peak down to 0 at the end of --epochs) or constant.", DefaultValueFactory = _ => defaults.Schedule.Schedule };
var warmup = new Option<double>("--warmup") { Description = "Fraction of the run's steps (--epochs × --steps) spent in a linear warm-up to the peak learning rate; 0 for none.", DefaultValueFactory = _ => defaults.Schedule.WarmupFraction };
var control = new Option<bool>("--control") { Description = "Also train the A/A control: the baseline under seeds + 1000, paired with the baseline; the report gives the share of its verdicts that are not 'no detectable difference'." };
var models = new Option<string?>("--models") { Description = "Evaluate the models saved by an earlier run in this folder (its --out) on the test chains and --pdb chains, without training." };
var recompute = new Option<bool>("--recompute") { Description = "Rebuild the reports in --out from its saved runs (or from runs.csv of a run without saved runs: then give that run's --seeds and schedule options) without training." };
var options = new Option<string[]>("--options")
{
    Description = "Options to run, by key (comma- or space-separated), or 'all'; the first is the baseline: " + string.Join(", ", SampleOptions.All.Select(o => o.Key)) + ". Default: the baseline and the five answers.",
    DefaultValueFactory = _ => Candidates.Question.Select(o => o.Key).ToArray(),
    AllowMultipleArgumentsPerToken = true,
};
var output = new Option<string>("--out") { Description = "Output folder; each input writes its runs (resumed if the folder holds some), results.md, results.csv, runs.csv and the PNGs into a subfolder.", DefaultValueFactory = _ => defaults.Output };
var pdb = new Option<string[]>("--pdb")
{
    Description = "PDB files (plain or .gz; globs; FILE:CHAIN for a chain, else the first) to evaluate every trained model on (report in <out>/<input>/pdb/); default: the bundled 1HPV chain A. 'none' for none.",
    AllowMultipleArgumentsPerToken = true,
};
var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG plots." };

var root = new RootCommand("Trains a small residual CNN on real protein chains under each loss option and seed, for two kinds of input, and writes tables with intervals (Markdown, CSV) and plots (PNG).")
{
    inputs, dataPath, train, validation, test, crop, batchSize, steps, epochs, patience, minEpochs, channels, blocks, learningRate, schedule, warmup, seeds, dataSeed, options, control, output, threads, pdb, noPlots, models, recompute,
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
        Channels = parse.GetValue(channels),
        Blocks = parse.GetValue(blocks),
        LearningRate = parse.GetValue(learningRate),
        Schedule = new ComparisonSettings
        {
            StepsPerEpoch = parse.GetValue(steps),
            MaxEpochs = parse.GetValue(epochs),
            Patience = parse.GetValue(patience),
            MinEpochs = parse.GetValue(minEpochs),
            Schedule = parse.GetValue(schedule),
            WarmupFraction = parse.GetValue(warmup),
            Seeds = parse.GetValue(seeds),
            Control = parse.GetValue(control),
        },
        DataSeed = parse.GetValue(dataSeed),
        Options = SampleOptions.Select(parse.GetValue(options) ?? Array.Empty<string>()),
        Output = parse.GetValue(output) ?? defaults.Output,
        RealChains = pdbArguments.Where(f => f != "none").SelectMany(Pdb.ReadAll).ToList(),
        CommandLine = "dotnet run --project samples/ContactMaps" + (args.Length > 0 ? " -- " + string.Join(" ", args) : ""),
        Plots = !parse.GetValue(noPlots),
    };
    return Cli.Run(config, parse.GetValue(threads), parse.GetValue(models), parse.GetValue(recompute));
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

