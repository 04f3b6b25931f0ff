using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using ContactMaps;
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
    public void TheScheduleWarmsUpLinearlyThenAnnealsToNearZero()
    {
        const double peak = 0.01;
        double Rate(LearningRateSchedule schedule, int step) => Schedule.Rate(schedule, peak, 0.1, step, 1200);
        Assert.Equal(120, Schedule.WarmupSteps(0.1, 1200));
        Assert.Equal(peak / 120, Rate(LearningRateSchedule.Cosine, 0), 15);
        Assert.Equal(peak / 2, Rate(LearningRateSchedule.Cosine, 59), 15);
        Assert.Equal(peak, Rate(LearningRateSchedule.Cosine, 120), 15);
        Assert.Equal(peak / 2, Rate(LearningRateSchedule.Cosine, 120 + 540), 15); // halfway through the cosine
        Assert.Equal(peak * (1 - Math.Cos(Math.PI / 1080)) / 2, Rate(LearningRateSchedule.Cosine, 1199), 15);
        var rates = Enumerable.Range(120, 1080).Select(k => Rate(LearningRateSchedule.Cosine, k)).ToList();
        Assert.True(rates.Zip(rates.Skip(1)).All(p => p.Second < p.First), "the cosine falls at every step");
        Assert.All(Enumerable.Range(120, 1080), k => Assert.Equal(peak, Rate(LearningRateSchedule.Constant, k)));
        Assert.Equal(peak, Schedule.Rate(LearningRateSchedule.Cosine, peak, 0, 0, 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Rate(LearningRateSchedule.Cosine, peak, 1, 0, 30));
        Assert.Equal("learning rate 0.01 (linear warm-up over 120 steps, then cosine to 0 at step 1200)",
            Schedule.Describe(LearningRateSchedule.Cosine, peak, 0.1, 1200));
        Assert.Equal("learning rate 0.005 (constant)", Schedule.Describe(LearningRateSchedule.Constant, 0.005, 0, 30));
    }

    [Fact]
    public void IntervalsAndVerdicts()
    {
        var mean = Stats.Mean(new[] { 1.0, 2.0, 3.0, 4.0, 5.0 });
        Assert.Equal(3.0, mean.Value, 12);
        Assert.Equal(2.776 * Math.Sqrt(2.5) / Math.Sqrt(5), mean.High - 3, 3); // t(0.975, 4) · s / √n
        Assert.Equal("3.000 [1.037, 4.963]", mean.Show());

        ChainScores Chain(double value, double numerator = double.NaN) =>
            new("c", Metric.All.Select(_ => double.IsNaN(numerator) ? value : numerator).ToArray(), Metric.All.Select(_ => 1.0).ToArray());
        var random = new Random(4);
        var baseline = Enumerable.Range(0, 5).Select(_ => (IReadOnlyList<ChainScores>)Enumerable.Range(0, 40).Select(_ => Chain(random.NextDouble())).ToList()).ToList();
        var same = Stats.PairedDifference(baseline, baseline, Metric.Of("auprc"));
        Assert.Equal((0.0, 0.0, 0.0), (same.Value, same.Low, same.High));
        Assert.Equal("no detectable difference", Stats.Verdict(same, Metric.Of("auprc")));
        var shifted = baseline.Select(r => (IReadOnlyList<ChainScores>)r.Select(c => Chain(c.Numerator[0] + 0.05 + 0.01 * random.NextDouble())).ToList()).ToList();
        var better = Stats.PairedDifference(shifted, baseline, Metric.Of("auprc"));
        Assert.InRange(better.Value, 0.05, 0.06);
        Assert.True(better.Low > 0.05 && better.High < 0.06);
        Assert.Equal("better", Stats.Verdict(better, Metric.Of("auprc")));
        Assert.Equal("higher", Stats.Verdict(better, Metric.Of("asymmetry")));
        Assert.Equal("worse", Stats.Verdict(Stats.PairedDifference(baseline, shifted, Metric.Of("f1")), Metric.Of("f1")));
        var noisy = baseline.Select(r => (IReadOnlyList<ChainScores>)r.Select(c => Chain(c.Numerator[0] + 0.3 * (random.NextDouble() - 0.5))).ToList()).ToList();
        Assert.Equal(0, Stats.PairedDifference(noisy, baseline, Metric.Of("auprc")).Sign);
        // A pooled metric is a ratio of sums, not a mean of ratios.
        var pooled = new[] { new ChainScores("a", Metric.All.Select(_ => 1.0).ToArray(), Metric.All.Select(_ => 1.0).ToArray()),
                             new ChainScores("b", Metric.All.Select(_ => 0.0).ToArray(), Metric.All.Select(_ => 3.0).ToArray()) };
        Assert.Equal(0.25, Stats.Value(pooled, Metric.Of("f1")), 12);
    }

    [Fact]
    public void ATinyRunWritesTheTablesTheCsvFilesAndThePlots()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lossdsl-contactmaps-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = new ExperimentConfig
            {
                DataPath = ContactMapsDataTests.RepositoryFile("samples", "ContactMaps", "data", "chains.bin.gz"),
                Train = 16, Validation = 4, Test = 6, Crop = 32, BatchSize = 4, StepsPerEpoch = 2, MaxEpochs = 2, Patience = 1,
                Channels = 4, Blocks = 1, Seeds = 2, Options = LossOption.Select(new[] { "focal,sym-transpose-mask" }), Output = folder,
                RealChains = new[] { Pdb.Read(BundledPdb("1hpv_A.pdb")) },
            };
            foreach (var inputs in config.Inputs)
            {
                var result = Experiment.Run(config, inputs, new SilentProgress());
                var files = Report.Write(result);
                Assert.Equal(4, result.Runs.Count);
                Assert.All(result.Runs, r => Assert.True(r.Test.Count == 6 && r.Real.Count == 1 && r.TrainLoss.All(double.IsFinite) && r.BestEpoch >= 1));
                Assert.All(result.Runs, r => Assert.All(Metric.All, m => Assert.InRange(Stats.Value(r.Test, m), 0, 1)));
                Assert.Equal(new[] { "results.md", "results.csv", "runs.csv", "pdb.csv", "pdb-chains.csv", "validation-auprc.png", "differences.png", "heatmaps.png" },
                    files.Select(Path.GetFileName));
                Assert.All(files, f => Assert.StartsWith(Path.Combine(folder, inputs.ToString().ToLowerInvariant()), f));
                var markdown = File.ReadAllText(files[0]);
                Assert.Contains("| focal (baseline) |", markdown);
                Assert.Contains("| (4) (2) + MaskLower + better half |", markdown);
                Assert.Contains("## Paired differences to focal (baseline)", markdown);
                Assert.Matches(@"\[[−0-9.+]+, [−0-9.+]+\] (better|worse|no detectable difference)", markdown);
                var csv = File.ReadAllLines(files[1]);
                Assert.Equal(1 + 2 * Metric.All.Count, csv.Length);
                Assert.StartsWith("option,label,metric,seeds,mean,low,high,difference,", csv[0]);
                Assert.Equal(1 + 4, File.ReadAllLines(files[4]).Length);
                foreach (var png in files.Where(f => f.EndsWith(".png")))
                    Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png).Take(4).ToArray());
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
        Assert.Equal(LossOption.All.Count, LossOption.Select(new[] { "all" }).Count);
        Assert.Equal("focal", LossOption.All[0].Key);
        Assert.Equal(new[] { "focal", "symmetrize" }, LossOption.Select(new[] { "symmetrize,focal" }).Select(o => o.Key));
        Assert.Equal(new[] { "focal", "bce" }, LossOption.Select(new[] { "focal", "bce" }).Select(o => o.Key));
        Assert.Throws<ArgumentException>(() => LossOption.Select(new[] { "nope" }));
    }
}
