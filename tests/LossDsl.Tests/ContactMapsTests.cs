using System;
using System.IO;
using System.Linq;
using ContactMaps;
using Xunit;

namespace LossDsl.Tests;

/// <summary>The ContactMaps sample: its data, its PDB reader, and a tiny end-to-end run of the experiment.</summary>
public class ContactMapsTests
{
    private static string RepositoryFile(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LossDsl.sln"))) directory = directory.Parent;
        Assert.NotNull(directory);
        return Path.Combine(new[] { directory!.FullName }.Concat(parts).ToArray());
    }

    [Fact]
    public void SyntheticMapsAreSymmetricSparseAndProteinLike()
    {
        var chains = Synthetic.Chains(24, 40, 80, seed: 5);
        foreach (var chain in chains)
        {
            int n = chain.Length;
            Assert.InRange(n, 40, 80);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    Assert.Equal(chain.Contacts[i * n + j], chain.Contacts[j * n + i]);
                    Assert.Equal(chain.Distance[i * n + j], chain.Distance[j * n + i]);
                    if (Math.Abs(i - j) < 3) Assert.Equal(0, chain.Contacts[i * n + j]);
                    // The distance-like channel agrees with the map: contacts are closer than 8 Å, nothing else is.
                    Assert.Equal(chain.Contacts[i * n + j] > 0, chain.Distance[i * n + j] < 8 && Math.Abs(i - j) >= 3);
                }
        }
        var density = chains.Average(c => c.Density);
        Assert.InRange(density, 0.02, 0.06);
        Assert.True(chains.All(c => c.Structure.Contains(Structure.Helix) || c.Structure.Contains(Structure.Strand)));
        // The same seed gives the same data.
        Assert.Equal(chains[3].Contacts, Synthetic.Chains(24, 40, 80, seed: 5)[3].Contacts);
    }

    [Fact]
    public void PdbReaderBuildsTheCbetaContactMapOfTheBundledChain()
    {
        var chain = Pdb.Read(RepositoryFile("samples", "ContactMaps", "data", "1hpv_A.pdb"));
        Assert.Equal("1hpv_A:A", chain.Name);
        Assert.Equal(99, chain.Length); // HIV-1 protease monomer
        int n = chain.Length;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(chain.Contacts[i * n + j], chain.Contacts[j * n + i]);
                Assert.Equal(chain.Contacts[i * n + j] > 0, chain.Distance[i * n + j] < 8 && Math.Abs(i - j) >= 6);
            }
        // Neighbours along the chain are close (Cβ–Cβ of residues 1 and 2, Pro and Gln).
        Assert.InRange(chain.Distance[0 * n + 1], 3.0, 7.5);
        var contacts = Enumerable.Range(0, n).Sum(i => Enumerable.Range(i + 1, n - i - 1).Count(j => chain.Contacts[i * n + j] > 0));
        Assert.Equal(212, contacts); // also counted by an independent script over the same atoms
        Assert.InRange(chain.DensityAtSeparation(6), 0.02, 0.08);
        // From the SHEET and HELIX records: residues 87–90 are a helix, 2–4 a strand.
        Assert.Equal(Structure.Helix, chain.Structure[86]);
        Assert.Equal(Structure.Strand, chain.Structure[2]);
        Assert.Equal(Structure.Loop, chain.Structure[0]);
        Assert.Contains("L = 99", Pdb.Describe(chain));
    }

    [Fact]
    public void ATinyRunWritesTheTableTheCsvFilesAndThePlots()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lossdsl-contactmaps-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = new ExperimentConfig
            {
                Train = 8, Validation = 4, Test = 4, MinLength = 24, MaxLength = 32, Epochs = 1, BatchSize = 4,
                Channels = 4, Blocks = 1, Seeds = 1, Options = LossOption.Select(new[] { "focal,sym-transpose-mask" }), Output = folder,
                RealChains = new[] { Pdb.Read(RepositoryFile("samples", "ContactMaps", "data", "1hpv_A.pdb")) },
            };
            var result = Experiment.Run(config, new SilentProgress());
            var files = Report.Write(result);

            Assert.Equal(2, result.Runs.Count);
            Assert.All(result.Runs, r => Assert.True(double.IsFinite(r.Test.Auprc) && r.TrainLoss.All(double.IsFinite)));
            Assert.Equal(new[] { "results.md", "results.csv", "runs.csv", "training-loss.png", "validation-auprc.png", "heatmaps.png" },
                files.Select(Path.GetFileName));
            var markdown = File.ReadAllText(Path.Combine(folder, "results.md"));
            Assert.Contains("| focal (baseline) |", markdown);
            Assert.Contains("| (4) (2) + MaskLower + better half |", markdown);
            Assert.Contains("1hpv_A:A", markdown);
            var csv = File.ReadAllLines(Path.Combine(folder, "results.csv"));
            Assert.Equal(3, csv.Length);
            Assert.StartsWith("option,label,attributes,test_time,seeds,f1_mean,f1_std,", csv[0]);
            Assert.StartsWith("sym-transpose-mask,", csv[2]);
            foreach (var png in files.Where(f => f.EndsWith(".png")))
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png).Take(4).ToArray());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void OptionsAreSelectedByKey()
    {
        Assert.Equal(8, LossOption.Select(new[] { "all" }).Count);
        Assert.Equal(new[] { "focal", "symmetrize" }, LossOption.Select(new[] { "symmetrize,focal" }).Select(o => o.Key));
        Assert.Equal(new[] { "focal", "bce" }, LossOption.Select(new[] { "focal", "bce" }).Select(o => o.Key));
        Assert.Throws<ArgumentException>(() => LossOption.Select(new[] { "nope" }));
    }
}
