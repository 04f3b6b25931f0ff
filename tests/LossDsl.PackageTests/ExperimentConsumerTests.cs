using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace LossDsl.PackageTests;

/// <summary>
/// A brand-new console project references LossDsl.Experiments (and through it LossDsl) from the local feed, compares
/// two options under two seeds on synthetic maps of its own (ExperimentConsumer/*), and gets the report.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ExperimentConsumerTests(PackedLossDsl package, ITestOutputHelper log)
{
    [Fact]
    public void ANewProjectComparesTwoOptionsOnItsOwnDataAndGetsTheReport()
    {
        var project = package.CreateProject("ExperimentConsumer");
        var build = DotNet.Run(project, "build", "-nodeReuse:false", "-tl:off");
        log.WriteLine($"build: {build.Duration.TotalSeconds:F1} s");
        Assert.True(build.ExitCode == 0, "The comparison project does not build:\n" + build);

        var run = DotNet.Run(project, "run", "--no-build", "--", "comparison");
        log.WriteLine($"run: {run.Duration.TotalSeconds:F1} s\n{run.Output}");
        Assert.True(run.ExitCode == 0, "The comparison failed:\n" + run);
        Assert.Contains("runs=4 too-small=True", run.Output);
        var folder = Path.Combine(project, "comparison");
        foreach (var file in new[] { "results.md", "results.csv", "runs.csv", "validation-auprc.png", "differences.png", "example-maps.png" })
            Assert.True(File.Exists(Path.Combine(folder, file)), $"no {file} in {folder}:\n{run}");
        Assert.Equal(4, Directory.GetDirectories(Path.Combine(folder, "runs")).Length);
        var markdown = File.ReadAllText(Path.Combine(folder, "results.md"));
        Assert.Contains("| (5) Symmetrize |", markdown);
        Assert.Contains("**Too small to decide.**", markdown);
        Assert.Equal(1 + 2 * 12, File.ReadAllLines(Path.Combine(folder, "results.csv")).Length); // two options × the 12 metrics
    }
}
