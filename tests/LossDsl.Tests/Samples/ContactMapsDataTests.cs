using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ContactMaps;
using Xunit;

namespace LossDsl.Tests;

/// <summary>The ContactMaps data: the committed data set, its reader and writer, and the structure-database reader behind the builder.</summary>
public class ContactMapsDataTests
{
    private static readonly Lazy<IReadOnlyList<DataChain>> Bundled = new(() => DataSet.Read(RepositoryFile("samples", "ContactMaps", "data", "chains.bin.gz")));

    internal static string RepositoryFile(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LossDsl.sln"))) directory = directory.Parent;
        Assert.NotNull(directory);
        return Path.Combine(new[] { directory!.FullName }.Concat(parts).ToArray());
    }

    [Fact]
    public void TheCommittedDataSetHasItsDocumentedSplitsAndLengths()
    {
        var chains = Bundled.Value;
        Assert.True(chains.Count >= 2000, $"{chains.Count} chains");
        Assert.True(chains.Count(c => c.Split == Split.Test) >= 300);
        Assert.True(chains.Count(c => c.Split == Split.Validation) >= 100);
        Assert.Equal(chains.Count, chains.Select(c => c.Chain.Name).Distinct().Count());
        Assert.All(chains, c =>
        {
            Assert.InRange(c.Chain.Length, 40, 140);
            Assert.True(c.ClusterSize >= 1);
            Assert.True(c.Chain.Sequence.All(a => "ACDEFGHIKLMNPQRSTVWY".Contains(a)));
        });
        var sample = chains.Where((_, k) => k % 97 == 0).Select(c => c.Chain).ToList();
        foreach (var chain in sample)
            for (int i = 1; i < chain.Length; i++)
                Assert.InRange(chain.Distance(i - 1, i), 2.5, 7.5); // neighbouring Cβ along a continuous chain
        Assert.InRange(sample.Average(c => c.Density), 0.02, 0.10);
        Assert.Contains(Structure.Helix, sample.SelectMany(c => c.Structure));
        Assert.Contains(Structure.Strand, sample.SelectMany(c => c.Structure));
    }

    [Fact]
    public void OneChainOfTheDataSetMatchesTheCommittedPdbFile()
    {
        // The structure database names this stretch 1TII F; in the PDB file it is chain A from residue 48 on.
        var data = Bundled.Value.Single(c => c.Chain.Name == "1TII_F").Chain;
        var pdb = Pdb.Read(RepositoryFile("samples", "ContactMaps", "data", "1tii_A.pdb"), 'A');
        var start = pdb.Sequence.IndexOf(data.Sequence, StringComparison.Ordinal);
        Assert.True(start >= 0, "the data set's sequence is a stretch of the file's");
        Assert.Equal(140, data.Length);
        int n = data.Length, agree = 0, compared = 0;
        double difference = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double d = data.Distance(i, j), e = pdb.Distance(start + i, start + j);
                Assert.True(Math.Abs(d - e) < 1.0, $"{i}, {j}: {d} vs {e}");
                difference += Math.Abs(d - e);
                if (Math.Abs(e - Chain.Cutoff) < 0.5) continue; // ideal and real Cβ differ by a few tenths of an Å
                compared++;
                if (data.Contact(i, j) == pdb.Contact(start + i, start + j)) agree++;
            }
        Assert.InRange(difference / (n * (n - 1) / 2), 0.0, 0.15);
        Assert.Equal(compared, agree);
        // DSSP (data) and the file's HELIX and SHEET records agree on most positions.
        var same = Enumerable.Range(0, n).Count(i => data.Structure[i] == pdb.Structure[start + i]);
        Assert.True(same > 0.75 * n, $"{same} of {n}");
    }

    [Fact]
    public void TheDataSetFileRoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), "contactmaps-" + Guid.NewGuid().ToString("N") + ".bin.gz");
        try
        {
            var chain = new Chain("9XYZ_B", "ACDG", new[] { Structure.Loop, Structure.Helix, Structure.Strand, Structure.Loop },
                new float[] { 1, 2, 3, 4.5f, 2, 3, 8.123f, 2, 3, 11.7f, -4.2f, 3 });
            DataSet.Write(path, new[] { new DataChain(chain, Split.Validation, 7) });
            var read = Assert.Single(DataSet.Read(path));
            Assert.Equal((Split.Validation, 7, "9XYZ_B", "ACDG"), (read.Split, read.ClusterSize, read.Chain.Name, read.Chain.Sequence));
            Assert.Equal(chain.Structure, read.Chain.Structure);
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    Assert.Equal(chain.Distance(i, j), read.Chain.Distance(i, j), 0.02);
            File.WriteAllBytes(path, Encoding.ASCII.GetBytes("not gzip"));
            Assert.ThrowsAny<InvalidDataException>(() => DataSet.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Contains("data build", Assert.Throws<FileNotFoundException>(() => DataSet.Read(path)).Message);
    }

    [Fact]
    public void TheStructureDatabaseReaderDecodesTheDocumentedLayout()
    {
        var path = Path.Combine(Path.GetTempPath(), "contactmaps-db-" + Guid.NewGuid().ToString("N") + ".dat");
        try
        {
            // Two chains of 2 and 1 residues: a helix-strand dipeptide and a lone residue, N, CA, C, O in 0.01 Å.
            var backbone = new short[][]
            {
                new short[] { 0, 0, 0, 146, 0, 0, 200, 140, 0, 320, 160, 0 },
                new short[] { 130, 240, 0, 210, 370, 0, 360, 330, 0, 400, 210, 0 },
                new short[] { 0, 0, 0, 146, 0, 0, 200, 140, 0, 320, 160, 0 },
            };
            File.WriteAllBytes(path, FakeDatabase(new[] { ("12AS", 'A', 2, 4), ("16PK", 'B', 1, 1) }, "GAW", backbone, "HEC"));
            var db = StructureDb.Read(path);
            Assert.Equal(2, db.Entries.Count);
            Assert.Equal(new StructureDb.Entry("16PK", 'B', 2, 1, 1), db.Entries[1]);
            var chain = db.Chain(db.Entries[0]);
            Assert.Equal(("12AS_A", "GA"), (chain.Name, chain.Sequence));
            Assert.Equal(new[] { Structure.Helix, Structure.Strand }, chain.Structure);
            Assert.Equal(3.7549, db.LargestStep(db.Entries[0]), 3); // CA(1.46, 0, 0) to CA(2.10, 3.70, 0)
            // The ideal Cβ is 1.52 Å from Cα and tetrahedral.
            var (x, y, z) = (chain.Beta[0] - 1.46, chain.Beta[1], chain.Beta[2]);
            Assert.InRange(Math.Sqrt(x * x + y * y + z * z), 1.45, 1.58); // this made-up backbone is not quite ideal

            var bytes = File.ReadAllBytes(path);
            Array.Resize(ref bytes, bytes.Length - 1);
            File.WriteAllBytes(path, bytes);
            Assert.Contains("not the structure database", Assert.ThrowsAny<Exception>(() => StructureDb.Read(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CdHitClustersAreParsedRepresentativeFirst()
    {
        var clusters = DataBuilder.ReadClusters(new[]
        {
            ">Cluster 0", "0\t140aa, >3... at 45.00%", "1\t180aa, >0... *", ">Cluster 1", "0\t60aa, >2... *",
        });
        Assert.Equal(new[] { new[] { 0, 3 }, new[] { 2 } }, clusters.Select(c => c.ToArray()));
        Assert.Throws<InvalidDataException>(() => DataBuilder.ReadClusters(new[] { ">Cluster 0", "garbage" }));
    }

    [Fact]
    public void TheBuilderSaysSoWhenCdHitIsMissing()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DataBuilder.Cluster(new[] { "ACDEFGHIKL" }, 0.4, _ => { }, "cd-hit-not-installed-here"));
        Assert.Contains("apt-get install cd-hit", error.Message);
    }

    /// <summary>A structure database in the layout of <see cref="StructureDb"/>: header, records, eight per-residue arrays.</summary>
    private static byte[] FakeDatabase((string Pdb, char Chain, int Size, int Start)[] chains, string sequence, short[][] backbone, string dssp)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(new byte[77]);
        writer.Write((ulong)chains.Length);
        int offset = 0;
        foreach (var (pdb, chain, size, start) in chains)
        {
            writer.Write(4u);
            writer.Write(Encoding.ASCII.GetBytes(pdb));
            writer.Write(1u);
            writer.Write((byte)chain);
            writer.Write((uint)offset);
            writer.Write((ushort)size);
            writer.Write((ushort)start);
            writer.Write(new byte[12]);
            offset += size;
        }
        void Array(int entrySize, Action<int> entry)
        {
            writer.Write((ulong)offset);
            for (int r = 0; r < offset; r++) entry(r);
        }
        Array(1, r => writer.Write((byte)sequence[r]));
        Array(24, r => { foreach (var v in backbone[r]) writer.Write(v); });
        Array(4, _ => writer.Write(0f));
        Array(2, _ => writer.Write((short)0));
        Array(2, _ => writer.Write((short)0));
        Array(1, r => writer.Write((byte)dssp[r]));
        Array(40, _ => writer.Write(new byte[40]));
        Array(40, _ => writer.Write(new byte[40]));
        writer.Flush();
        return stream.ToArray();
    }
}
