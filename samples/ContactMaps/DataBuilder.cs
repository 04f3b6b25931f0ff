using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ContactMaps;

/// <summary>What <see cref="DataBuilder.Build"/> keeps.</summary>
public sealed record BuildOptions
{
    /// <summary>Shortest chain kept.</summary>
    public int MinLength { get; init; } = 40;
    /// <summary>Longest chain kept.</summary>
    public int MaxLength { get; init; } = 140;
    /// <summary>Chains written (a seeded sample of the cluster representatives).</summary>
    public int Chains { get; init; } = 3000;
    /// <summary>Test chains.</summary>
    public int Test { get; init; } = 400;
    /// <summary>Validation chains.</summary>
    public int Validation { get; init; } = 200;
    /// <summary>Seed of the sample and of the split.</summary>
    public int Seed { get; init; } = 11;
    /// <summary>Chains (<c>PDB_CHAIN</c>, e.g. <c>1TII_F</c>) kept as their cluster's representative and always written.</summary>
    public IReadOnlyList<string> Keep { get; init; } = new[] { "1TII_F" };
    /// <summary>The sequence identity at which cd-hit clusters.</summary>
    public double Identity { get; init; } = 0.4;
    /// <summary>The largest Cα–Cα step of a continuous chain, Å.</summary>
    public double MaxStep { get; init; } = 4.2;
}

/// <summary>The numbers of a build, for the console and the data README.</summary>
public sealed record BuildSummary(int Chains, int InRange, int Candidates, int Clusters, int Written, int Residues, long Bytes, string CdHitCommand);

/// <summary>
/// Builds the committed data set from ProMod3's structure database: chains in a length range with standard residues
/// and no chain break, clustered at 40 % identity by cd-hit (run here), one chain per cluster, a seeded sample of
/// them split into train, validation and test.
/// </summary>
public static class DataBuilder
{
    private const string Standard = "ACDEFGHIKLMNPQRSTVWY";

    /// <summary>Builds the data set from <paramref name="structureDb"/> into <paramref name="output"/>; <paramref name="log"/> gets progress lines.</summary>
    public static BuildSummary Build(string structureDb, string output, BuildOptions options, Action<string> log)
    {
        var db = StructureDb.Read(structureDb);
        var inRange = db.Entries.Where(e => e.Size >= options.MinLength && e.Size <= options.MaxLength).ToList();
        var candidates = inRange.Where(e => db.Sequence(e).All(c => Standard.Contains(c)) && db.LargestStep(e) <= options.MaxStep).ToList();
        log($"{db.Entries.Count} chains, {inRange.Count} of length {options.MinLength}–{options.MaxLength}, {candidates.Count} with standard residues only and no Cα–Cα step over {options.MaxStep} Å");

        var (clusters, command) = Cluster(candidates.Select(db.Sequence).ToList(), options.Identity, log);
        var names = candidates.Select(e => $"{e.Pdb}_{e.ChainId}").ToList();
        var representatives = clusters.Select(members =>
        {
            var kept = members.FirstOrDefault(m => options.Keep.Contains(names[m]), members[0]);
            return (Index: kept, Size: members.Count);
        }).ToList();
        var missing = options.Keep.Where(k => !representatives.Any(r => names[r.Index] == k)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"chains to keep not among the candidates: {string.Join(", ", missing)}.");

        var random = new Random(options.Seed);
        var sample = representatives.Where(r => options.Keep.Contains(names[r.Index]))
            .Concat(representatives.Where(r => !options.Keep.Contains(names[r.Index])).OrderBy(_ => random.Next()))
            .Take(options.Chains).OrderBy(_ => random.Next()).ToList();
        if (sample.Count < options.Test + options.Validation + 1)
            throw new InvalidOperationException($"only {sample.Count} clusters: too few for {options.Test} test and {options.Validation} validation chains.");
        var chains = sample.Select((r, k) => new DataChain(db.Chain(candidates[r.Index]),
            k < options.Test ? Split.Test : k < options.Test + options.Validation ? Split.Validation : Split.Train, r.Size)).ToList();
        DataSet.Write(output, chains);
        var summary = new BuildSummary(db.Entries.Count, inRange.Count, candidates.Count, clusters.Count, chains.Count,
            chains.Sum(c => c.Chain.Length), new FileInfo(output).Length, command);
        log($"{clusters.Count} clusters; wrote {chains.Count} chains ({summary.Residues} residues, {summary.Bytes / 1024.0 / 1024:F2} MB) to {output}");
        return summary;
    }

    /// <summary>
    /// Clusters <paramref name="sequences"/> with cd-hit at <paramref name="identity"/> (word size 2 below 0.5, as
    /// cd-hit requires) by running <paramref name="executable"/>; returns each cluster's members (indices, representative
    /// first) and the command line.
    /// </summary>
    public static (List<List<int>> Clusters, string Command) Cluster(IReadOnlyList<string> sequences, double identity, Action<string> log, string executable = "cd-hit")
    {
        var folder = Path.Combine(Path.GetTempPath(), "contactmaps-cdhit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var input = Path.Combine(folder, "chains.fasta");
            File.WriteAllLines(input, sequences.SelectMany((s, k) => new[] { ">" + k.ToString(CultureInfo.InvariantCulture), s }));
            var word = identity >= 0.7 ? 5 : identity >= 0.6 ? 4 : identity >= 0.5 ? 3 : 2;
            var arguments = string.Create(CultureInfo.InvariantCulture, $"-i chains.fasta -o clusters -c {identity} -n {word} -M 0 -d 0 -T {Environment.ProcessorCount}");
            log($"cd-hit {arguments}");
            var start = new ProcessStartInfo(executable, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            Process process;
            try { process = Process.Start(start) ?? throw new InvalidOperationException("cd-hit did not start."); }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException($"{executable} is not installed or not on PATH (Debian: apt-get install cd-hit); the data builder needs cd-hit to cluster the chains at 40 % identity.", e);
            }
            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0) throw new InvalidOperationException($"cd-hit failed (exit code {process.ExitCode}): {stderr}{stdout.Result}");
            }
            return (ReadClusters(File.ReadLines(Path.Combine(folder, "clusters.clstr"))), "cd-hit " + arguments);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Parses cd-hit's <c>.clstr</c> file: members by their FASTA name (an index), the representative (<c>*</c>) first.</summary>
    public static List<List<int>> ReadClusters(IEnumerable<string> lines)
    {
        var clusters = new List<List<int>>();
        foreach (var line in lines)
        {
            if (line.StartsWith(">Cluster", StringComparison.Ordinal)) { clusters.Add(new List<int>()); continue; }
            if (clusters.Count == 0 || line.Length == 0) continue;
            var start = line.IndexOf('>') + 1;
            var end = line.IndexOf("...", start, StringComparison.Ordinal);
            if (start == 0 || end < 0) throw new InvalidDataException($"cd-hit cluster line not understood: {line}");
            var member = int.Parse(line[start..end], CultureInfo.InvariantCulture);
            if (line.EndsWith('*')) clusters[^1].Insert(0, member); else clusters[^1].Add(member);
        }
        return clusters;
    }
}
