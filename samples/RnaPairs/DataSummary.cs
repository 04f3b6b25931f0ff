using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RnaPairs;

/// <summary>The data summary in Markdown: totals, families, source files, and the two splits.</summary>
public static class DataSummary
{
    /// <summary>The summary of <paramref name="build"/>.</summary>
    public static string Markdown(BuildReport build)
    {
        var entries = build.Entries;
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"# The RnaPairs data set");
        Line($"");
        Line($"Written by `dotnet run --project samples/RnaPairs -- data build` (seed {build.Options.Seed}, shortest kept {build.Options.MinLength}); see README.md.");
        Line($"Packages: {string.Join(", ", build.Packages)}.");
        Line($"Clusters: `{build.CdHitCommand}`.");
        Line($"");
        Line($"{Totals(entries)}");
        Line($"");
        Line($"## Families");
        Line($"");
        Line($"Density: the share of ones in a sequence's L × L map (2 · pairs / L²), mean over the family. Canonical: A–U, G–C, G–U pairs among all pairs.");
        Line($"");
        Line($"| family | files | sequences | clusters | length min–median–max | longer than {Crops.DefaultBound} (cropped) | pairs per base | density | canonical | train / validation / test |");
        Line($"|---|---|---:|---:|---|---:|---:|---:|---:|---|");
        foreach (var family in entries.GroupBy(e => e.Family).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var e = family.ToList();
            Line($"| {family.Key} | {string.Join(", ", e.Select(x => x.Source).Distinct())} | {e.Count} | {Clusters(e)} | {Lengths(e)} | {e.Count(x => x.Structure.Length > Crops.DefaultBound)} | {PairsPerBase(e):F3} | {100 * e.Average(x => x.Structure.Density):F2} % | {100 * Canonical(e):F1} % | {Parts(e, x => x.Split)} |");
        }
        Line($"");
        Line($"## Source files");
        Line($"");
        Line($"Structures: per sequence (`#=GR SS`) or the family's consensus (`#=GC SS_cons`) with a pair dropped where the member has a gap on either side. Canonical pairs are counted on the kept sequences, as read and with the brackets read the other way round (unmatched brackets skipped).");
        Line($"");
        Line($"| file | origin | CC0 | structures | alignments | members | kept | shorter than {build.Options.MinLength} | duplicates | no structure | consensus pairs dropped at gaps | canonical as read | other way round | brackets |");
        Line($"|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var f in build.Files)
            Line($"| {f.File.Name} | {f.File.Origin} | {(f.File.Cc0 ? "yes" : "no")} | {(f.PerSequence == f.Members - f.NoStructure ? "per sequence" : f.PerSequence == 0 ? "consensus" : "mixed")} | {f.Alignments} | {f.Members} | {f.Kept} | {f.TooShort} | {f.Duplicates} | {f.NoStructure} | {f.GapDropped} | {100 * f.Share:F1} % | {100 * f.ShareOtherWay:F1} % of {f.PairsOtherWay} | {(f.File.Reversed ? "reversed (> opens), swapped" : "as usual")} |");
        Line($"");
        Line($"Not read: {string.Join("; ", Sources.LeftOut.Select(x => $"{x.File} ({x.Why})"))}.");
        Line($"");
        Line($"## Cluster split");
        Line($"");
        Line($"Per family, whole 80 % clusters in a seeded order, each to test or validation while that brings the part closer to {100 * build.Options.Test:F0} % or {100 * build.Options.Validation:F0} % of the family's sequences, else to train. No cluster is in two parts.");
        Line($"");
        SplitTable(text, entries, e => e.Split);
        Line($"");
        Line($"## Family split (harder)");
        Line($"");
        Line($"Test: the held-out families {string.Join(", ", Splits.HeldOutFamilies)}; validation and train: the other families' parts of the cluster split (their test part trains).");
        Line($"");
        SplitTable(text, entries, e => e.FamilySplit);
        return text.ToString();
    }

    /// <summary>One line of totals.</summary>
    public static string Totals(IReadOnlyList<RnaEntry> entries) => string.Create(CultureInfo.InvariantCulture,
        $"{entries.Count} distinct sequences in {entries.Select(e => e.Family).Distinct().Count()} families and {Clusters(entries)} clusters at 80 % identity; " +
        $"lengths {Lengths(entries)} (min–median–max; {entries.Count(e => e.Structure.Length > Crops.DefaultBound)} longer than the crop bound {Crops.DefaultBound}), {entries.Sum(e => e.Structure.Length)} bases, {entries.Sum(e => e.Structure.PairCount)} pairs " +
        $"({PairsPerBase(entries):F3} per base); density {100 * entries.Average(e => e.Structure.Density):F2} % (mean over sequences); {100 * Canonical(entries):F1} % canonical pairs.");

    private static void SplitTable(StringBuilder text, IReadOnlyList<RnaEntry> entries, Func<RnaEntry, Split> part)
    {
        text.AppendLine("| part | sequences | clusters | families (sequences) |");
        text.AppendLine("|---|---:|---:|---|");
        foreach (var group in entries.GroupBy(part).OrderBy(g => g.Key))
        {
            var families = group.GroupBy(e => e.Family).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {group.Key.ToString().ToLowerInvariant()} | {group.Count()} | {Clusters(group.ToList())} | {string.Join(", ", families)} |"));
        }
    }

    private static int Clusters(IReadOnlyList<RnaEntry> e) => e.Select(x => x.Cluster).Distinct().Count();

    private static string Lengths(IReadOnlyList<RnaEntry> e)
    {
        var lengths = e.Select(x => x.Structure.Length).OrderBy(l => l).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{lengths[0]}–{lengths[lengths.Count / 2]}–{lengths[^1]}");
    }

    private static double PairsPerBase(IReadOnlyList<RnaEntry> e) => e.Sum(x => x.Structure.PairCount) / (double)e.Sum(x => x.Structure.Length);

    private static double Canonical(IReadOnlyList<RnaEntry> e) => e.Sum(x => x.Structure.CanonicalPairs) / (double)Math.Max(1, e.Sum(x => x.Structure.PairCount));

    private static string Parts(IReadOnlyList<RnaEntry> e, Func<RnaEntry, Split> part) =>
        string.Join(" / ", Enum.GetValues<Split>().Select(s => e.Count(x => part(x) == s).ToString(CultureInfo.InvariantCulture)));
}
