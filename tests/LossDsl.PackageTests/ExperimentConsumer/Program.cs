// A user's first comparison: two options × two seeds on synthetic maps, then the report.
using System;
using System.IO;
using ExperimentConsumer;
using LossDsl.Experiments;

var folder = args.Length > 0 ? args[0] : "comparison";
var settings = new ComparisonSettings { Seeds = 2, StepsPerEpoch = 5, MaxEpochs = 2, MinEpochs = 2, Patience = 1, LearningRate = 1e-2 };
var result = Comparison.Run(SyntheticMaps.Data(), new[] { Candidates.Baseline, Candidates.Symmetrize }, settings, folder);
var files = Report.Write(result, folder, new ReportText("Synthetic maps", "dotnet run", "Synthetic symmetric maps with a noisy input channel."));
foreach (var file in files) Console.WriteLine("wrote " + Path.GetFileName(file));
Console.WriteLine($"runs={result.Runs.Count} too-small={result.TooSmallToDecide}");
