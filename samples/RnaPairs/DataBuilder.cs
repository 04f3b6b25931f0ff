using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnaPairs;

/// <summary>What <see cref="DataBuilder.Build"/> reads, keeps and writes.</summary>
public sealed record BuildOptions
{
    /// <summary>The folder the packages are unpacked into (<c>usr/share/doc/…</c> below it); null: the cache, fetched on first use.</summary>
    public string? Root { get; init; }
    /// <summary>The data set file to write.</summary>
    public string Output { get; init; } = DataPaths.DataSet;
    /// <summary>The summary (Markdown) to write; null for none.</summary>
    public string? Summary { get; init; } = DataPaths.Summary;
    /// <summary>Shortest sequence kept (drops the fragments of rnaseP-eubact.sto).</summary>
    public int MinLength { get; init; } = 40;
    /// <summary>The sequence identity at which cd-hit-est clusters.</summary>
    public double Identity { get; init; } = 0.8;
    /// <summary>The share of each family's sequences in the test part of the cluster split.</summary>
    public double Test { get; init; } = 0.15;
    /// <summary>The share of each family's sequences in the validation part.</summary>
    public double Validation { get; init; } = 0.1;
    /// <summary>Seed of the cluster split.</summary>
    public int Seed { get; init; } = 25;
}

/// <summary>What one source file gave: counts of its members by what happened to them, and its canonical-pair shares read both ways.</summary>
public sealed record FileReport(SourceFile File, int Alignments, int Members, int PerSequence, int Kept, int TooShort, int Duplicates, int NoStructure,
    int GapDropped, int Pairs, int Canonical, int PairsOtherWay, int CanonicalOtherWay)
{
    /// <summary>Canonical pairs among the kept sequences' pairs, as read.</summary>
    public double Share => Canonical / (double)Math.Max(1, Pairs);
    /// <summary>The same with the brackets read the other way round, unmatched ones skipped.</summary>
    public double ShareOtherWay => CanonicalOtherWay / (double)Math.Max(1, PairsOtherWay);
}

/// <summary>The result of a build: the entries written, what each file gave, and the commands that made it.</summary>
public sealed record BuildReport(IReadOnlyList<RnaEntry> Entries, IReadOnlyList<FileReport> Files, IReadOnlyList<string> Packages, string CdHitCommand, BuildOptions Options);

/// <summary>
/// Builds the data set from the Stockholm files of <see cref="Sources"/>: each member's structure (its own
/// <c>#=GR SS</c>, else the family's <c>#=GC SS_cons</c>) on its ungapped sequence, every map checked, exact
/// duplicates removed, 80 %-identity clusters from cd-hit-est, and the two splits.
/// </summary>
public static class DataBuilder
{
    /// <summary>Builds, writes the data set (and summary) and returns the report; <paramref name="log"/> gets progress lines.</summary>
    public static BuildReport Build(BuildOptions options, Action<string> log)
    {
        var root = options.Root ?? DataPaths.PackageRoot;
        if (options.Root is null) Sources.Fetch(root, log);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<(string Name, string Family, string Source, RnaStructure Structure)>();
        var files = new List<FileReport>();
        foreach (var file in Sources.Files)
        {
            var (report, members) = ReadFile(file, Locate(root, file), options.MinLength, seen);
            files.Add(report);
            kept.AddRange(members.Select(m => (m.Name, m.Family, file.Name, m.Structure)));
            log($"{file.Name}: {report.Members} members, {report.Kept} kept ({report.TooShort} too short, {report.Duplicates} duplicates, {report.NoStructure} without structure); " +
                $"{report.Canonical} of {report.Pairs} pairs canonical, {report.CanonicalOtherWay} of {report.PairsOtherWay} read the other way");
        }

        var (clusters, command) = CdHit.Cluster(kept.Select(k => k.Structure.Sequence).ToList(), options.Identity, log);
        var items = kept.Select((k, n) => (k.Family, clusters[n])).ToList();
        var byCluster = Splits.ByCluster(items, options.Test, options.Validation, options.Seed);
        Splits.CheckDisjoint(clusters, byCluster, "cluster split");
        var byFamily = Splits.ByFamily(items, byCluster, Splits.HeldOutFamilies.ToHashSet());
        var sizes = clusters.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        var entries = kept.Select((k, n) => new RnaEntry(k.Name, k.Family, k.Source, k.Structure, clusters[n], sizes[clusters[n]], byCluster[n], byFamily[n])).ToList();
        DataSet.Write(options.Output, entries);
        var build = new BuildReport(entries, files, Sources.Versions(root), command, options);
        log($"{entries.Count} sequences in {sizes.Count} clusters; wrote {options.Output}");
        if (options.Summary is not null) File.WriteAllText(options.Summary, DataSummary.Markdown(build));
        return build;
    }

    /// <summary>The file's path under <paramref name="root"/>, or its <c>.gz</c> if Debian compressed it.</summary>
    private static string Locate(string root, SourceFile file)
    {
        var path = Path.Combine(root, file.Path);
        if (File.Exists(path)) return path;
        if (File.Exists(path + ".gz")) return path + ".gz";
        throw new FileNotFoundException($"{path} is missing: unpack Debian's {file.Package} under {root} (see samples/RnaPairs/data/README.md).", path);
    }

    /// <summary>
    /// Reads one file: every member with a structure, its pairs checked both as a partner array and as a dense map,
    /// kept unless shorter than <paramref name="minLength"/> or a sequence already <paramref name="seen"/>. Fails when
    /// the brackets read the other way round (unmatched ones skipped) would give more canonical pairs: a wrong
    /// <see cref="SourceFile.Reversed"/>. (Read the wrong way, a file's brackets mostly do not match at all.)
    /// </summary>
    public static (FileReport Report, List<(string Name, string Family, RnaStructure Structure)> Kept) ReadFile(SourceFile file, string path, int minLength, ISet<string> seen)
    {
        var alignments = Stockholm.Read(path);
        var kept = new List<(string, string, RnaStructure)>();
        int members = 0, perSequence = 0, tooShort = 0, duplicates = 0, noStructure = 0, gapDropped = 0, pairs = 0, canonical = 0, otherPairs = 0, otherCanonical = 0;
        foreach (var alignment in alignments)
        {
            var family = file.Family ?? alignment.Id ?? throw new InvalidDataException($"{file.Name}: an alignment without #=GF ID, and the source names no family.");
            foreach (var name in alignment.Names)
            {
                members++;
                var what = $"{file.Name}: {name}";
                var ss = alignment.Structures.GetValueOrDefault(name) ?? alignment.Consensus;
                if (ss is null || ss.All(c => c is '.' or '-' or ',' or ':' or '_' or '~')) { noStructure++; continue; }
                if (alignment.Structures.ContainsKey(name)) perSequence++;
                var row = alignment.Rows[name];
                var structure = RnaStructure.FromAlignment(row, DotBracket.Pairs(ss, file.Reversed, what), what, out var dropped);
                if (structure.Length < minLength) { tooShort++; continue; }
                if (!seen.Add(structure.Sequence)) { duplicates++; continue; }
                PairMaps.Check(structure.Map(), structure.Length, what);
                gapDropped += dropped;
                pairs += structure.PairCount;
                canonical += structure.CanonicalPairs;
                var other = OtherWay(row, ss, file.Reversed, what);
                otherPairs += other.PairCount;
                otherCanonical += other.CanonicalPairs;
                kept.Add((name, family, structure));
            }
        }
        var report = new FileReport(file, alignments.Count, members, perSequence, kept.Count, tooShort, duplicates, noStructure, gapDropped, pairs, canonical, otherPairs, otherCanonical);
        if (report.CanonicalOtherWay > report.Canonical)
            throw new InvalidDataException($"{file.Name}: {report.Canonical} canonical pairs as read, {report.CanonicalOtherWay} with the brackets the other way round; its Reversed setting is wrong.");
        return (report, kept);
    }

    /// <summary>The structure with the brackets read the other way round, unmatched ones skipped.</summary>
    private static RnaStructure OtherWay(string row, string ss, bool reversed, string what) =>
        RnaStructure.FromAlignment(row, DotBracket.Pairs(ss, !reversed, what, lenient: true), what, out _);
}

/// <summary>Where the sample keeps its data: the committed summary and excerpts, and the git-ignored cache built on first use.</summary>
public static class DataPaths
{
    /// <summary>The sample's folder (found from the program's folder up, else from the working folder).</summary>
    public static string Sample { get; } = Find();

    /// <summary>The git-ignored cache: the .debs, their files and the data set.</summary>
    public static string Cache => Path.Combine(Sample, "data", "cache");

    /// <summary>Where the packages are unpacked.</summary>
    public static string PackageRoot => Path.Combine(Cache, "root");

    /// <summary>The data set, built on first use.</summary>
    public static string DataSet => Path.Combine(Cache, "rna-pairs.bin.gz");

    /// <summary>The committed summary of the data set.</summary>
    public static string Summary => Path.Combine(Sample, "data", "summary.md");

    /// <summary>The data set at <paramref name="path"/> (default: the cache's), built from the Debian packages first if it is missing.</summary>
    public static IReadOnlyList<RnaEntry> Load(string? path, Action<string> log)
    {
        if (path is null && !File.Exists(DataSet)) DataBuilder.Build(new BuildOptions(), log);
        return RnaPairs.DataSet.Read(path ?? DataSet);
    }

    private static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "RnaPairs.csproj"))) return d.FullName;
                var inRepository = Path.Combine(d.FullName, "samples", "RnaPairs");
                if (File.Exists(Path.Combine(inRepository, "RnaPairs.csproj"))) return inRepository;
            }
        return Path.Combine(Directory.GetCurrentDirectory(), "samples", "RnaPairs");
    }
}
