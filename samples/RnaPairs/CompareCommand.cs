using System;
using System.CommandLine;
using System.Linq;
using LossDsl.Experiments;

namespace RnaPairs;

/// <summary>The <c>compare</c> command line: every setting of <see cref="RnaConfig"/> as an option, defaults from it.</summary>
public static class CompareCommand
{
    /// <summary>The command; <paramref name="args"/> are the program's, quoted in the report.</summary>
    public static Command Create(string[] args)
    {
        var d = new RnaConfig();
        Option<int> Int(string name, int value, string description) => new(name) { Description = description, DefaultValueFactory = _ => value };
        var splits = new Option<string[]>("--splits") { Description = "Splits, one table each: cluster, family (comma- or space-separated).", DefaultValueFactory = _ => new[] { "cluster" }, AllowMultipleArgumentsPerToken = true };
        var dataPath = new Option<string?>("--data") { Description = "The data set file (default: data/cache/rna-pairs.bin.gz, built on first use)." };
        var validation = Int("--validation", d.Validation, "Validation sequences: early stopping, threshold, better half (a seeded sample; 0 for all).");
        var test = Int("--test", d.Test, "Test sequences: the tables (a seeded sample; 0 for all).");
        var bound = Int("--bound", d.Bound, "Longest sequence scored whole; longer ones are scored on their first BOUND bases.");
        var trainBound = Int("--crop", d.TrainBound, "Bound of the random training crops (even).");
        var batchSize = Int("--batch-size", d.BatchSize, "Crops per training step.");
        var channels = Int("--channels", d.Channels, "Hidden channels of the network.");
        var blocks = Int("--blocks", d.Blocks, "Residual blocks of the network.");
        var steps = Int("--steps", d.Schedule.StepsPerEpoch, "Training steps per epoch (between two validations).");
        var epochs = Int("--epochs", d.Schedule.MaxEpochs, "The most epochs a run trains.");
        var minEpochs = Int("--min-epochs", d.Schedule.MinEpochs, "Epochs every run trains before early stopping may stop it.");
        var patience = Int("--patience", d.Schedule.Patience, "Early stopping: epochs without a better validation AUPRC before a run stops.");
        var seeds = Int("--seeds", d.Schedule.Seeds, "Training seeds 1..N per option (initialisation, crops and batch order; paired across options).");
        var dataSeed = Int("--data-seed", d.DataSeed, "Seed of the validation and test samples.");
        var threads = Int("--threads", 2, "TorchSharp CPU threads.");
        var learningRate = new Option<double>("--lr") { Description = "Adam's peak learning rate, the same for every option.", DefaultValueFactory = _ => d.Schedule.LearningRate };
        var control = new Option<bool>("--control") { Description = "Also train the A/A control: the baseline under seeds + 1000." };
        var recompute = new Option<bool>("--recompute") { Description = "Rebuild the reports in --out from its saved runs, without training." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG plots." };
        var output = new Option<string>("--out") { Description = "Output folder; each split writes its runs (resumed if there), results.md, results.csv, runs.csv and PNGs into a subfolder.", DefaultValueFactory = _ => d.Output };
        var options = new Option<string[]>("--options")
        {
            Description = "Options by key (comma- or space-separated), or 'all'; the first is the baseline: " + string.Join(", ", SampleOptions.All.Select(o => o.Key)) + ".",
            DefaultValueFactory = _ => SampleOptions.Default.ToArray(), AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("compare", "Trains a small residual CNN on the base-pair maps under each loss option and seed, and writes tables with intervals (Markdown, CSV) and plots (PNG).")
        {
            splits, dataPath, validation, test, bound, trainBound, batchSize, channels, blocks, steps, epochs, minEpochs, patience, seeds, dataSeed, learningRate, control, options, output, threads, recompute, noPlots,
        };
        command.SetAction(parse =>
        {
            var config = new RnaConfig
            {
                Splits = (parse.GetValue(splits) ?? Array.Empty<string>()).SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(k => Enum.TryParse<SplitKind>(k, ignoreCase: true, out var x) ? x : throw new ArgumentException($"unknown split {k}; known: cluster, family.")).Distinct().ToList(),
                DataPath = parse.GetValue(dataPath),
                Validation = parse.GetValue(validation), Test = parse.GetValue(test), Bound = parse.GetValue(bound), TrainBound = parse.GetValue(trainBound),
                BatchSize = parse.GetValue(batchSize), Channels = parse.GetValue(channels), Blocks = parse.GetValue(blocks), DataSeed = parse.GetValue(dataSeed),
                Schedule = new ComparisonSettings
                {
                    StepsPerEpoch = parse.GetValue(steps), MaxEpochs = parse.GetValue(epochs), MinEpochs = parse.GetValue(minEpochs), Patience = parse.GetValue(patience),
                    Seeds = parse.GetValue(seeds), LearningRate = parse.GetValue(learningRate), Control = parse.GetValue(control),
                },
                Options = SampleOptions.Select(parse.GetValue(options) ?? Array.Empty<string>()),
                Output = parse.GetValue(output) ?? d.Output,
                CommandLine = "dotnet run --project samples/RnaPairs -- " + string.Join(" ", args),
                Plots = !parse.GetValue(noPlots),
            };
            return Cli.Compare(config, parse.GetValue(threads), parse.GetValue(recompute));
        });
        return command;
    }
}
