using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LossDsl.Experiments;

/// <summary>One finished training run: an option under a seed, with its curves and per-sample test scores.</summary>
/// <param name="Option">The option's <see cref="Candidate.Key"/>.</param>
/// <param name="Seed">The seed it pairs under (1 … Seeds); it trained under <c>Seed + SeedOffset</c>.</param>
/// <param name="BestEpoch">The epoch whose weights were kept (1-based).</param>
/// <param name="Threshold">The threshold with the best F1 on validation.</param>
/// <param name="Kept">The half kept (better half only), else empty.</param>
/// <param name="SecondsPerEpoch">Mean training time of an epoch.</param>
/// <param name="SkippedSteps">Steps left out because the loss or a gradient was not finite.</param>
/// <param name="TrainLoss">Mean training loss per epoch.</param>
/// <param name="ValidationAuprc">Validation AUPRC per epoch.</param>
/// <param name="Test">Per test sample scores, in the order of the test samples.</param>
/// <param name="ExampleTopL">The example map's top-L predictions, upper triangle, as <c>i · L + j</c>.</param>
public sealed record RunRecord(string Option, int Seed, int BestEpoch, double Threshold, string Kept, double SecondsPerEpoch, int SkippedSteps,
    double[] TrainLoss, double[] ValidationAuprc, IReadOnlyList<SampleScores> Test, int[] ExampleTopL)
{
    /// <summary>The test split's value of <paramref name="metric"/>.</summary>
    public double Value(Metric metric) => SampleScores.Value(Test, metric);
}

/// <summary>The example test map drawn in the report: its name, side and contacts (upper triangle, <c>i · L + j</c>).</summary>
public sealed record ExampleMap(string Name, int Length, int[] Contacts);

/// <summary>
/// The folder of a comparison: <c>comparison.json</c> (settings and options, checked on resume), <c>example.json</c>,
/// and one folder per finished run, <c>runs/KEY-seedN/</c> with <c>run.json</c> and <c>model.bin</c> (the best weights).
/// A run's folder is written under a temporary name and renamed when complete, so a run killed mid-way leaves nothing
/// that looks finished.
/// </summary>
internal sealed class RunStore(string folder)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Folder { get; } = folder;

    private string RunFolder(string key, int seed) => Path.Combine(Folder, "runs", $"{key}-seed{seed}");

    /// <summary>The weights file of a finished run.</summary>
    public string Weights(string key, int seed) => Path.Combine(RunFolder(key, seed), "model.bin");

    /// <summary>Writes <c>comparison.json</c>, or checks that the one there describes the same comparison.</summary>
    public void Begin(ComparisonSettings settings, IReadOnlyList<Candidate> options, int validation, int test, string identity, Scoring scoring)
    {
        Directory.CreateDirectory(Folder);
        var manifest = JsonSerializer.Serialize(new Manifest(settings, options.Select(o => o.Key).ToArray(), validation, test, identity, SavedScoring.Of(scoring)), Json);
        var path = Path.Combine(Folder, "comparison.json");
        if (File.Exists(path))
        {
            var before = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json)!;
            var now = JsonSerializer.Deserialize<Manifest>(manifest, Json)!;
            if (before.Settings with { Seeds = 0, Control = false } != now.Settings with { Seeds = 0, Control = false } || before.Validation != now.Validation || before.Test != now.Test || before.Identity != now.Identity
                || !SavedScoring.Same(before.Scoring ?? SavedScoring.Of(Scoring.ContactMaps), now.Scoring!))
                throw new InvalidOperationException($"{Folder} holds runs of another comparison (other settings or data; see {path}). " +
                    "Use another output folder, or delete it to start again.");
            // More seeds or options, or the A/A control, than last time is fine: the finished runs still pair.
        }
        WriteAtomically(path, manifest);
    }

    /// <summary>The settings, option keys and scoring the folder's runs were made with (a folder from before scorings were saved: contact maps).
    /// <paramref name="given"/>, if any, must be the saved scoring; else the saved one must be known.</summary>
    public (ComparisonSettings Settings, string[] Options, Scoring Scoring) ReadManifest(Scoring? given = null)
    {
        var path = Path.Combine(Folder, "comparison.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"{Folder} holds no comparison (no comparison.json).", path);
        var manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), Json)!;
        var saved = manifest.Scoring ?? SavedScoring.Of(Scoring.ContactMaps);
        var scoring = given ?? Scoring.Find(saved.Name);
        if (!SavedScoring.Same(saved, SavedScoring.Of(scoring)))
            throw new InvalidOperationException($"{Folder} was scored as {saved.Name} (|i − j| ≥ {saved.MinSeparation}; {string.Join(", ", saved.Metrics)}), not as {scoring.Name} " +
                $"(|i − j| ≥ {scoring.MinSeparation}; {string.Join(", ", scoring.Metrics.Select(m => m.Key))}).");
        return (manifest.Settings, manifest.Options, scoring);
    }

    public void SaveExample(ExampleMap example) => WriteAtomically(Path.Combine(Folder, "example.json"), JsonSerializer.Serialize(example, Json));

    public ExampleMap? ReadExample()
    {
        var path = Path.Combine(Folder, "example.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<ExampleMap>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>The finished run of <paramref name="key"/> under <paramref name="seed"/>, or null.</summary>
    public RunRecord? TryLoad(string key, int seed)
    {
        var path = Path.Combine(RunFolder(key, seed), "run.json");
        return File.Exists(path) ? JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Saves a finished run and its weights (written by <paramref name="saveWeights"/>) as one folder, atomically.</summary>
    public void Save(RunRecord run, Action<string> saveWeights)
    {
        var final = RunFolder(run.Option, run.Seed);
        var temporary = Path.Combine(Folder, "runs", $".partial-{run.Option}-seed{run.Seed}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        saveWeights(Path.Combine(temporary, "model.bin"));
        File.WriteAllText(Path.Combine(temporary, "run.json"), JsonSerializer.Serialize(run, Json));
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temporary, final);
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".partial";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record Manifest(ComparisonSettings Settings, string[] Options, int Validation, int Test, string Identity, SavedScoring? Scoring);

    /// <summary>A scoring as the manifest holds it: its name, and what its saved numbers depend on.</summary>
    private sealed record SavedScoring(string Name, int MinSeparation, string[] Metrics)
    {
        public static SavedScoring Of(Scoring scoring) => new(scoring.Name, scoring.MinSeparation, scoring.Metrics.Select(m => m.Key).ToArray());

        public static bool Same(SavedScoring a, SavedScoring b) => a.Name == b.Name && a.MinSeparation == b.MinSeparation && a.Metrics.SequenceEqual(b.Metrics);
    }
}
