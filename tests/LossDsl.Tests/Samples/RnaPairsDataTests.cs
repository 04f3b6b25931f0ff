using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using RnaPairs;
using Xunit;

namespace LossDsl.Tests.Samples;

/// <summary>The RnaPairs data: the Stockholm parser and structure reading on committed Rfam (CC0) excerpts, pair maps, canonical pairs, splits and the data set file.</summary>
public class RnaPairsDataTests
{
    internal static string Excerpt(string name) => ContactMapsDataTests.RepositoryFile("samples", "RnaPairs", "data", "excerpts", name);

    private static readonly SourceFile Vault = new("test", "Vault-excerpt.sto", null, "Rfam RF00006 seed, four members", Cc0: true);

    [Fact]
    public void PseudoknotLettersPairAndTheConsensusMapsOntoEachMemberWithoutGaps()
    {
        var alignment = Assert.Single(Stockholm.Read(Excerpt("PK-HAV.sto")));
        Assert.Equal(("PK-HAV", "RF01096", 56), (alignment.Id, alignment.Accession, alignment.Columns));
        Assert.Equal(new[] { "AB020564.1/7423-7477", "X15462.1/90-145" }, alignment.Names);
        var columns = DotBracket.Pairs(alignment.Consensus!);
        Assert.Equal(17, columns.Count); // 10 <> and 7 Aa
        // The letters nest among themselves: the last A (column 27) closes on the first a (column 47), the first A on the last a.
        Assert.Contains((26, 46), columns);
        Assert.Contains((20, 54), columns);
        Assert.Contains((1, 36), columns);

        // AB020564 has a gap at column 48 (unpaired), so its bases after it shift by one; X15462 has none.
        var gapped = RnaStructure.FromAlignment(alignment.Rows["AB020564.1/7423-7477"], columns, "AB020564", out var dropped);
        Assert.Equal((55, 17, 0), (gapped.Length, gapped.PairCount, dropped));
        Assert.Equal(53, gapped.Partner[20]);
        var whole = RnaStructure.FromAlignment(alignment.Rows["X15462.1/90-145"], columns, "X15462", out _);
        Assert.Equal((56, 17, 54), (whole.Length, whole.PairCount, whole.Partner[20]));
        Assert.Equal(33, gapped.CanonicalPairs + whole.CanonicalPairs); // 33 of 34 pairs are A–U, G–C or G–U
    }

    [Fact]
    public void ReversedBracketsAreSwappedAndTheWrongReadingIsCaught()
    {
        var usual = Assert.Single(Stockholm.Read(Excerpt("Vault-excerpt.sto")));
        var reversed = Assert.Single(Stockholm.Read(Excerpt("Vault-reversed.sto")));
        Assert.Equal(usual.Rows, reversed.Rows);
        Assert.Equal(DotBracket.Pairs(usual.Consensus!), DotBracket.Pairs(reversed.Consensus!, reversed: true));
        Assert.Throws<InvalidDataException>(() => DotBracket.Pairs(reversed.Consensus!));

        var (asRead, kept) = DataBuilder.ReadFile(Vault, Excerpt("Vault-excerpt.sto"), 40, new HashSet<string>());
        var (swapped, keptSwapped) = DataBuilder.ReadFile(Vault with { Reversed = true }, Excerpt("Vault-reversed.sto"), 40, new HashSet<string>());
        Assert.Equal(4, kept.Count);
        Assert.Equal(kept.Select(k => k.Structure.Pairs.ToList()), keptSwapped.Select(k => k.Structure.Pairs.ToList()));
        Assert.Equal((asRead.Pairs, asRead.Canonical), (swapped.Pairs, swapped.Canonical));
        Assert.Equal((75, 67), (asRead.Pairs, asRead.Canonical)); // 89 % in these four; 92 % in all 74 Vault RNAs
        // Read the wrong way, the brackets do not match: the builder refuses the file.
        Assert.Throws<InvalidDataException>(() => DataBuilder.ReadFile(Vault, Excerpt("Vault-reversed.sto"), 40, new HashSet<string>()));
        Assert.Throws<InvalidDataException>(() => DataBuilder.ReadFile(Vault with { Reversed = true }, Excerpt("Vault-excerpt.sto"), 40, new HashSet<string>()));
    }

    [Fact]
    public void TheBuilderRefusesAReadingWithFewerCanonicalPairsThanTheOtherWayRound()
    {
        // As written the brackets match, but none of the 6 pairs is canonical (A–G, C–C); read the other way round,
        // the middle >>> ... <<< pairs G with C: 3 canonical pairs.
        var path = Temporary("# STOCKHOLM 1.0\n#=GF ID toy\ns1 AAAUUUGGGUUUCCCUUUCCC\n#=GC SS_cons <<<...>>>...<<<...>>>\n//\n");
        try
        {
            var file = new SourceFile("test", path, null, "made up", Cc0: true);
            Assert.Contains("Reversed", Assert.Throws<InvalidDataException>(() => DataBuilder.ReadFile(file, path, 10, new HashSet<string>())).Message);
            Assert.Contains("closes nothing", Assert.Throws<InvalidDataException>(() => DataBuilder.ReadFile(file with { Reversed = true }, path, 10, new HashSet<string>())).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OwnStructuresGapsIupacCodesAndDuplicatesAreReadAsDocumented()
    {
        var text = string.Join("\n",
            "# STOCKHOLM 1.0", "#=GF ID toy",
            "s1 GGG.AAA.CCC", "s2 GGGUAAAGCCU", "s3 GG-.AAA.CUC",
            "#=GR s2 SS ((((...))))",
            "s4 RYNUaaaxCCt", "s5 GGG.AAA.CCC",
            "#=GC SS_cons <<<.....>>>", "//", "");
        var path = Temporary(text);
        try
        {
            var file = new SourceFile("test", path, null, "made up", Cc0: true);
            var (report, kept) = DataBuilder.ReadFile(file, path, 8, new HashSet<string>());
            Assert.Equal((5, 4, 1, 1, 0), (report.Members, report.Kept, report.Duplicates, report.PerSequence, report.TooShort));
            var byName = kept.ToDictionary(k => k.Name, k => k.Structure);
            Assert.Equal(new[] { (0, 8), (1, 7), (2, 6) }, byName["s1"].Pairs);
            Assert.Equal(new[] { (0, 10), (1, 9), (2, 8), (3, 7) }, byName["s2"].Pairs); // its own ((((...)))), not the consensus
            Assert.Equal("GGAAACUC", byName["s3"].Sequence);
            Assert.Equal(new[] { (0, 7), (1, 6) }, byName["s3"].Pairs); // the consensus pair at the gap is dropped
            Assert.Equal(1, report.GapDropped);
            Assert.Equal("RYNUAAANCCU", byName["s4"].Sequence); // upper case, T as U, X as N
            Assert.Equal(0, byName["s4"].CanonicalPairs); // R–U, Y–C, N–C: not a single base each
            Assert.Equal(3 + 4 + 2, report.Canonical);
            Assert.Equal(3 + 4 + 2 + 3, report.Pairs);
            Assert.Equal("toy", kept[0].Family);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Throws<InvalidDataException>(() => RnaStructure.FromAlignment("GGZCC", new[] { (0, 4) }, "bad", out _));
    }

    [Fact]
    public void AGzippedStockholmFileReadsTheSame()
    {
        var path = Path.Combine(Path.GetTempPath(), "rnapairs-" + Guid.NewGuid().ToString("N") + ".sto.gz");
        try
        {
            using (var gzip = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
                gzip.Write(File.ReadAllBytes(Excerpt("PK-HAV.sto")));
            var plain = Assert.Single(Stockholm.Read(Excerpt("PK-HAV.sto")));
            var zipped = Assert.Single(Stockholm.Read(path));
            Assert.Equal(plain.Consensus, zipped.Consensus);
            Assert.Equal(plain.Rows, zipped.Rows);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MalformedStockholmAndStructuresAreErrors()
    {
        Assert.Throws<InvalidDataException>(() => Stockholm.Parse(new[] { "# STOCKHOLM 1.0", "s1 ACGU", "s2 ACG", "//" }, "t"));
        Assert.Throws<InvalidDataException>(() => Stockholm.Parse(new[] { "# STOCKHOLM 1.0", "s1 ACGU", "#=GC SS_cons <<>", "//" }, "t"));
        Assert.Throws<InvalidDataException>(() => Stockholm.Parse(new[] { "# STOCKHOLM 1.0", "s1 ACGU" }, "t"));
        Assert.Throws<InvalidDataException>(() => Stockholm.Parse(new[] { "s1 ACGU" }, "t"));
        Assert.Throws<InvalidDataException>(() => DotBracket.Pairs("<<.>"));
        Assert.Throws<InvalidDataException>(() => DotBracket.Pairs("(.>"));
        Assert.Throws<InvalidDataException>(() => DotBracket.Pairs("a..A"));
        Assert.Equal(new[] { (0, 7), (1, 3), (2, 6), (4, 5) }, DotBracket.Pairs("<(A)[]a>"));
        Assert.Equal(new[] { (1, 3) }, DotBracket.Pairs("<<.>", lenient: true));
        Assert.Equal(new[] { (1, 2) }, DotBracket.Pairs("><>a<", lenient: true));
    }

    [Fact]
    public void EveryMapIsSymmetricWithAtMostOnePairPerRow()
    {
        var alignment = Assert.Single(Stockholm.Read(Excerpt("Vault-excerpt.sto")));
        var columns = DotBracket.Pairs(alignment.Consensus!);
        foreach (var name in alignment.Names)
        {
            var structure = RnaStructure.FromAlignment(alignment.Rows[name], columns, name, out _);
            PairMaps.Check(structure.Map(), structure.Length, name);
            Assert.Equal(2 * structure.PairCount, structure.Map().Sum(v => (int)v));
        }
        Assert.Throws<InvalidDataException>(() => new RnaStructure("ACGU", new[] { (0, 3), (3, 1) }));
        Assert.Throws<InvalidDataException>(() => new RnaStructure("ACGU", new[] { (2, 2) }));
        var asymmetric = new float[16];
        asymmetric[0 * 4 + 3] = 1;
        Assert.Contains("symmetric", Assert.Throws<InvalidDataException>(() => PairMaps.Check(asymmetric, 4, "m")).Message);
        var twice = new float[16];
        foreach (var (i, j) in new[] { (0, 2), (2, 0), (0, 3), (3, 0) }) twice[i * 4 + j] = 1;
        Assert.Contains("row 0", Assert.Throws<InvalidDataException>(() => PairMaps.Check(twice, 4, "m")).Message);
    }

    [Fact]
    public void CanonicalPairsAreWatsonCrickAndWobbleEitherWay()
    {
        var canonical = from a in Bases.Four from b in Bases.Four where Bases.CanPair(a, b) select $"{a}{b}";
        Assert.Equal(new[] { "AU", "CG", "GC", "GU", "UA", "UG" }, canonical);
        Assert.False(Bases.CanPair('N', 'N'));
        var structure = new RnaStructure("GAUCGUUAGC", new[] { (0, 9), (1, 8), (2, 7), (3, 6), (4, 5) });
        Assert.Equal(3, structure.CanonicalPairs); // G–C, A–G no, U–A, C–U no, G–U
        Assert.Equal(2.0 * 5 / 100, structure.Density);
    }

    [Fact]
    public void TheClusterSplitKeepsClustersWholeAndIsSeeded()
    {
        var random = new Random(3);
        var items = Enumerable.Range(0, 600).Select(k => (Family: k < 500 ? "big" : k < 596 ? "mid" : "one", Cluster: k < 500 ? random.Next(200) : k < 596 ? 200 + random.Next(12) : 999)).ToList();
        var splits = Splits.ByCluster(items, 0.15, 0.1, 25);
        Splits.CheckDisjoint(items.Select(x => x.Cluster).ToList(), splits, "test");
        Assert.Equal(splits, Splits.ByCluster(items, 0.15, 0.1, 25));
        Assert.NotEqual(splits, Splits.ByCluster(items, 0.15, 0.1, 26));
        var big = Enumerable.Range(0, 500).Select(k => splits[k]).ToList();
        Assert.InRange(big.Count(s => s == Split.Test), 60, 90);
        Assert.InRange(big.Count(s => s == Split.Validation), 35, 65);
        Assert.All(Enumerable.Range(596, 4), k => Assert.Equal(Split.Train, splits[k])); // a family of one cluster trains
        Assert.Contains(Split.Test, Enumerable.Range(500, 96).Select(k => splits[k]));

        var byFamily = Splits.ByFamily(items, splits, new[] { "mid" });
        Assert.All(Enumerable.Range(0, 600), k => Assert.Equal(items[k].Family == "mid", byFamily[k] == Split.Test));
        Assert.All(Enumerable.Range(0, 500), k => Assert.Equal(splits[k] == Split.Validation, byFamily[k] == Split.Validation));
        var crossing = items.Select((x, k) => k == 0 ? (Family: "mid", x.Cluster) : x).ToList(); // one cluster in both
        Assert.Throws<InvalidDataException>(() => Splits.ByFamily(crossing, splits, new[] { "mid" }));
        Assert.Throws<InvalidDataException>(() => Splits.CheckDisjoint(new[] { 1, 1 }, new[] { Split.Train, Split.Test }, "t"));
    }

    [Fact]
    public void TheDataSetFileRoundTripsAndCdHitOutputIsParsed()
    {
        var path = Path.Combine(Path.GetTempPath(), "rnapairs-" + Guid.NewGuid().ToString("N") + ".bin.gz");
        try
        {
            var entry = new RnaEntry("s/1-9", "toy", "toy.sto", new RnaStructure("GGGAAACCN", new[] { (0, 7), (1, 6) }), 7, 3, Split.Validation, Split.Test);
            DataSet.Write(path, new[] { entry });
            var read = Assert.Single(DataSet.Read(path));
            Assert.Equal((entry.Name, entry.Family, entry.Source, entry.Cluster, entry.ClusterSize, entry.Split, entry.FamilySplit),
                (read.Name, read.Family, read.Source, read.Cluster, read.ClusterSize, read.Split, read.FamilySplit));
            Assert.Equal(entry.Structure.Sequence, read.Structure.Sequence);
            Assert.Equal(entry.Structure.Partner, read.Structure.Partner);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Contains("data build", Assert.Throws<FileNotFoundException>(() => DataSet.Read(path)).Message);
        var clusters = CdHit.ReadClusters(new[] { ">Cluster 0", "0\t76nt, >3... at +/90.79%", "1\t77nt, >0... *", ">Cluster 1", "0\t1530nt, >2... *" });
        Assert.Equal(new[] { new[] { 0, 3 }, new[] { 2 } }, clusters.Select(c => c.ToArray()));
        Assert.Throws<InvalidDataException>(() => CdHit.ReadClusters(new[] { ">Cluster 0", "garbage" }));
        Assert.Equal(5, CdHit.WordSize(0.8));
    }

    private static string Temporary(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "rnapairs-" + Guid.NewGuid().ToString("N") + ".sto");
        File.WriteAllText(path, text);
        return path;
    }
}
