// RnaPairs: RNA base-pair maps from Stockholm files of Debian packages, the second domain of the loss comparison.
// This program builds and summarises the data set (see data/README.md) and compares the loss options on it (README.md).
using System;
using System.CommandLine;
using System.IO;
using RnaPairs;

var defaults = new BuildOptions();
var root = new Option<string?>("--root") { Description = "A folder the Debian packages are unpacked into (default: fetched into data/cache/ on first use)." };
var output = new Option<string>("--out") { Description = "The data set file to write.", DefaultValueFactory = _ => defaults.Output };
var summary = new Option<string>("--summary") { Description = "The Markdown summary to write ('none' for none).", DefaultValueFactory = _ => defaults.Summary! };
var minLength = new Option<int>("--min-length") { Description = "Shortest sequence kept.", DefaultValueFactory = _ => defaults.MinLength };
var seed = new Option<int>("--seed") { Description = "Seed of the cluster split.", DefaultValueFactory = _ => defaults.Seed };
var build = new Command("build", "Builds the data set from Debian's infernal and python-biopython-doc (downloaded with apt-get download unless --root is given): " +
    "structures, checked pair maps, 80 % clusters (cd-hit-est, which must be installed), the cluster and family splits, and the summary.")
{
    root, output, summary, minLength, seed,
};
build.SetAction(parse =>
{
    var options = new BuildOptions
    {
        Root = parse.GetValue(root), Output = parse.GetValue(output)!, MinLength = parse.GetValue(minLength), Seed = parse.GetValue(seed),
        Summary = parse.GetValue(summary) is "none" ? null : parse.GetValue(summary),
    };
    return Guard(() => Console.WriteLine(DataSummary.Totals(DataBuilder.Build(options, Console.WriteLine).Entries)));
});

var dataPath = new Option<string?>("--data") { Description = "The data set file (default: data/cache/rna-pairs.bin.gz, built on first use)." };
var show = new Command("summary", "Prints the totals of the data set, building it first if needed.") { dataPath };
show.SetAction(parse => Guard(() => Console.WriteLine(DataSummary.Totals(DataPaths.Load(parse.GetValue(dataPath), Console.WriteLine)))));

var rootCommand = new RootCommand("RNA base-pair maps from Debian's Stockholm files: the data set of the second domain, and the comparison of the loss options on it.");
rootCommand.Subcommands.Add(new Command("data", "The data set.") { build, show });
rootCommand.Subcommands.Add(CompareCommand.Create(args));
return rootCommand.Parse(args).Invoke();

static int Guard(Action action)
{
    try
    {
        action();
        return 0;
    }
    catch (Exception e) when (e is InvalidOperationException or IOException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }
}
