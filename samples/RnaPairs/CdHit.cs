using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RnaPairs;

/// <summary>Clusters nucleotide sequences with Debian's <c>cd-hit-est</c> and reads its <c>.clstr</c> file.</summary>
public static class CdHit
{
    /// <summary>cd-hit-est's threads (<c>-T</c>), the same on every machine.</summary>
    public const int Threads = 2;

    /// <summary>
    /// The cluster id (0, 1, …, in cd-hit's order) of each of <paramref name="sequences"/> at <paramref name="identity"/>,
    /// same strand only (<c>-r 0</c>), and the command line. Runs <paramref name="executable"/> in a temporary folder.
    /// </summary>
    public static (int[] Cluster, string Command) Cluster(IReadOnlyList<string> sequences, double identity, Action<string> log, string executable = "cd-hit-est")
    {
        var folder = Path.Combine(Path.GetTempPath(), "rnapairs-cdhit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            // cd-hit-est reads DNA: U is written as T.
            File.WriteAllLines(Path.Combine(folder, "rna.fasta"), sequences.SelectMany((s, k) => new[] { ">" + k.ToString(CultureInfo.InvariantCulture), s.Replace('U', 'T') }));
            // A fixed thread count: cd-hit's clusters depend on it, and data/summary.md was made with two.
            var arguments = string.Create(CultureInfo.InvariantCulture, $"-i rna.fasta -o clusters -c {identity} -n {WordSize(identity)} -r 0 -M 0 -d 0 -T {Threads}");
            try { Sources.Run(executable, arguments, folder, log); }
            catch (InvalidOperationException e) when (e.InnerException is not null)
            {
                throw new InvalidOperationException($"{executable} is not installed or not on PATH (Debian: apt-get install cd-hit); the data builder clusters the sequences with it.", e);
            }
            var clusters = ReadClusters(File.ReadLines(Path.Combine(folder, "clusters.clstr")));
            var id = Enumerable.Repeat(-1, sequences.Count).ToArray();
            for (int c = 0; c < clusters.Count; c++)
                foreach (var member in clusters[c]) id[member] = c;
            if (Array.IndexOf(id, -1) is var missing and >= 0) throw new InvalidDataException($"cd-hit-est left sequence {missing} out of every cluster.");
            return (id, $"{executable} {arguments}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>cd-hit-est's recommended word size for an identity threshold (its user guide: 5 for 0.80–0.85).</summary>
    public static int WordSize(double identity) =>
        identity >= 0.9 ? 8 : identity >= 0.88 ? 7 : identity >= 0.85 ? 6 : identity >= 0.8 ? 5 : identity >= 0.75 ? 4 :
        throw new ArgumentOutOfRangeException(nameof(identity), identity, "cd-hit-est clusters at 75 % identity or more.");

    /// <summary>Parses a <c>.clstr</c> file: each cluster's members by their FASTA name (an index), the representative (<c>*</c>) first.</summary>
    public static List<List<int>> ReadClusters(IEnumerable<string> lines)
    {
        var clusters = new List<List<int>>();
        foreach (var line in lines)
        {
            if (line.StartsWith(">Cluster", StringComparison.Ordinal)) { clusters.Add(new List<int>()); continue; }
            if (clusters.Count == 0 || line.Length == 0) continue;
            int start = line.IndexOf('>') + 1, end = line.IndexOf("...", start, StringComparison.Ordinal);
            if (start == 0 || end < 0 || !int.TryParse(line[start..end], NumberStyles.None, CultureInfo.InvariantCulture, out var member))
                throw new InvalidDataException($"cd-hit cluster line not understood: {line}");
            if (line.EndsWith('*')) clusters[^1].Insert(0, member); else clusters[^1].Add(member);
        }
        return clusters;
    }
}
