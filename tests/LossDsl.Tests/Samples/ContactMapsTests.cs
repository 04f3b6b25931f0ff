using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using ContactMaps;
using LossDsl.Experiments;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>The ContactMaps sample: its PDB reader, features, statistics, and a tiny end-to-end run of the experiment.</summary>
public class ContactMapsTests
{
    private static string BundledPdb(string name) => ContactMapsDataTests.RepositoryFile("samples", "ContactMaps", "data", name);

    [Fact]
    public void PdbReaderBuildsTheCbetaContactMapOfTheBundledChain()
    {
        var chain = Pdb.Read(BundledPdb("1hpv_A.pdb"));
        Assert.Equal("1hpv_A:A", chain.Name);
        Assert.Equal(99, chain.Length); // HIV-1 protease monomer
        Assert.StartsWith("PQITLWQRPL", chain.Sequence);
        int n = chain.Length;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(chain.Contact(i, j), chain.Contact(j, i));
                Assert.Equal(chain.Contact(i, j), chain.Distance(i, j) < 8 && Math.Abs(i - j) >= 6);
            }
        Assert.InRange(chain.Distance(0, 1), 3.0, 7.5);
        // Real Cβ, the ideal one for the 13 glycines; also counted by an independent script over the same atoms.
        Assert.Equal(209, chain.Contacts());
        Assert.InRange(chain.Density, 0.02, 0.08);
        // From the SHEET and HELIX records: residues 87–90 are a helix, 2–4 a strand.
        Assert.Equal(Structure.Helix, chain.Structure[86]);
        Assert.Equal(Structure.Strand, chain.Structure[2]);
        Assert.Equal(Structure.Loop, chain.Structure[0]);
        Assert.Contains("L = 99", Pdb.Describe(chain));
    }

    [Fact]
    public void PdbArgumentsTakeAChainGlobsAndGzip()
    {
        var folder = Path.Combine(Path.GetTempPath(), "contactmaps-pdb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.Copy(BundledPdb("1hpv_A.pdb"), Path.Combine(folder, "a.pdb"));
            using (var gz = new GZipStream(File.Create(Path.Combine(folder, "b.pdb.gz")), CompressionLevel.Fastest))
                File.OpenRead(BundledPdb("1tii_A.pdb")).CopyTo(gz);
            var chains = Pdb.ReadAll(Path.Combine(folder, "*.pdb*")).ToList();
            Assert.Equal(new[] { "a:A", "b:A" }, chains.Select(c => c.Name));
            Assert.Equal(186, chains[1].Length);
            Assert.Equal(99, Assert.Single(Pdb.ReadAll(Path.Combine(folder, "a.pdb") + ":A")).Length);
            Assert.Throws<InvalidDataException>(() => Pdb.ReadAll(Path.Combine(folder, "a.pdb") + ":Z").ToList());
            Assert.Throws<FileNotFoundException>(() => Pdb.ReadAll(Path.Combine(folder, "*.cif")).ToList());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void FeaturesAndCropsKeepTheMapSymmetricAndTheDistanceChannelInformative()
    {
        var chain = Pdb.Read(BundledPdb("1tii_A.pdb"));
        foreach (var inputs in new[] { Inputs.Denoise, Inputs.Predict })
        {
            var sample = Assert.Single(Sample.From(new[] { chain }, inputs, seed: 3));
            Assert.Equal(Sample.ResidueChannels(inputs) * chain.Length, sample.Residue.Length);
            using var scope = NewDisposeScope();
            using var batch = Batch.Of(new[] { new Window(sample, 40, 64), Window.Whole(sample) }, inputs, size: 192);
            Assert.Equal(new long[] { 2, Sample.Channels(inputs), 192, 192 }, batch.Features.shape);
            Assert.True(batch.Targets.eq(batch.Targets.transpose(1, 2)).all().item<bool>());
            Assert.Equal(chain.Contact(40 + 3, 40 + 20) ? 1f : 0f, batch.Targets[0, 3, 20].item<float>());
            Assert.Equal(0f, batch.Features[0, .., 64..].abs().sum().item<float>()); // padding is zero
            Assert.Equal(new long[] { 64, 186 }, batch.Lengths.data<long>().ToArray());
        }
        // The denoise distance channel predicts contacts far better than chance where it is visible.
        var denoise = Sample.Denoise(chain, new Random(1));
        int n = chain.Length;
        var visible = Enumerable.Range(0, n * n).Where(k => denoise.Pair[n * n + k] == 0 && Math.Abs(k / n - k % n) >= 6).ToArray();
        using var p = tensor(visible.Select(k => -denoise.Pair[k]).ToArray()).unsqueeze(0);
        using var y = tensor(visible.Select(k => chain.Contact(k / n, k % n) ? 1f : 0f).ToArray()).unsqueeze(0);
        Assert.InRange(denoise.HiddenFraction, 0.3, 0.6);
        Assert.True(Metrics.AveragePrecision(p, y) > 5 * chain.Density, "AP of the noisy distance");
    }

    [Fact]
    public void ATinyRunWritesTheTablesTheCsvFilesAndThePlotsAndItsModelsScoreThePdbChains()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lossdsl-contactmaps-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = new ExperimentConfig
            {
                DataPath = ContactMapsDataTests.RepositoryFile("samples", "ContactMaps", "data", "chains.bin.gz"),
                Train = 16, Validation = 4, Test = 6, Crop = 32, BatchSize = 4, Channels = 4, Blocks = 1,
                Schedule = new ComparisonSettings { StepsPerEpoch = 2, MaxEpochs = 2, MinEpochs = 1, Patience = 1, Seeds = 2 },
                Options = SampleOptions.Select(new[] { "focal,sym-transpose-mask" }), Output = folder,
                RealChains = new[] { Pdb.Read(BundledPdb("1hpv_A.pdb")) },
            };
            foreach (var inputs in config.Inputs)
            {
                var result = Experiment.Run(config, inputs, new SilentProgress());
                var summary = Experiment.Prepare(config, inputs).Summary;
                var files = LossDsl.Experiments.Report.Write(result, config.Folder(inputs), SampleReport.Text(config, inputs, summary));
                Assert.Equal(4, result.Runs.Count);
                Assert.All(result.Runs, r => Assert.True(r.Test.Count == 6 && r.TrainLoss.All(double.IsFinite) && r.BestEpoch >= 1));
                Assert.All(result.Runs, r => Assert.All(Scoring.ContactMaps.Metrics, m => Assert.InRange(r.Value(m), 0, 1)));
                Assert.Equal(new[] { "results.md", "results.csv", "runs.csv", "validation-auprc.png", "differences.png", "example-maps.png" }, files.Select(Path.GetFileName));
                var markdown = File.ReadAllText(files[0]);
                Assert.Contains("| focal (baseline) |", markdown);
                Assert.Contains("| (4) (2) + MaskLower + better half |", markdown);
                Assert.Contains("**Too small to decide.**", markdown);
                Assert.Contains(inputs == Inputs.Denoise ? "denoise: a noisy" : "predict: sequence", markdown);
                Assert.Equal(1 + 2 * Scoring.ContactMaps.Metrics.Count, File.ReadAllLines(files[1]).Length);
                foreach (var png in files.Where(f => f.EndsWith(".png")))
                    Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png).Take(4).ToArray());

                var real = Comparison.Evaluate(config.Folder(inputs), Experiment.Network(config, inputs), Experiment.RealSamples(config, inputs), config.Options);
                Assert.Equal(4, real.Runs.Count);
                Assert.All(real.Runs, r => Assert.Equal("1hpv_A:A", Assert.Single(r.Test).Sample));
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void OptionsAreSelectedByKey()
    {
        Assert.Equal(SampleOptions.All.Count, SampleOptions.Select(new[] { "all" }).Count);
        Assert.Equal(Candidates.Question, SampleOptions.All.Take(6));
        Assert.Equal(new[] { "focal", "symmetrize" }, SampleOptions.Select(new[] { "symmetrize,focal" }).Select(o => o.Key));
        Assert.Equal(new[] { "focal", "bce" }, SampleOptions.Select(new[] { "focal", "bce" }).Select(o => o.Key));
        Assert.Throws<ArgumentException>(() => SampleOptions.Select(new[] { "nope" }));
    }
}
