using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace LossDsl.PackageTests;

/// <summary>
/// Every C# block of the repository's README and of the package's README, pasted as Program.cs into a new console
/// project that references the packed LossDsl and TorchSharp-cpu, builds without warnings and runs to exit code 0.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ReadmeCodeTests
{
    private readonly PackedLossDsl _package;
    private readonly ITestOutputHelper _log;

    public ReadmeCodeTests(PackedLossDsl package, ITestOutputHelper log)
    {
        _package = package;
        _log = log;
    }

    public static TheoryData<string, int> Blocks()
    {
        var blocks = new TheoryData<string, int>();
        foreach (var page in new[] { "README.md", "src/LossDsl/PACKAGE.md" })
            for (var i = 0; i < CSharpBlocks(page).Length; i++)
                blocks.Add(page, i);
        return blocks;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void CompilesAndRunsAsPasted(string page, int index)
    {
        var code = CSharpBlocks(page)[index];
        var project = ConsumerProject.Create(_package, "Pasted", Path.Combine(AppContext.BaseDirectory, "Consumer", "Readme.csproj.template"),
            new[] { ("Program.cs", code) });

        var build = DotNet.Run(project, "build", "-nodeReuse:false", "-tl:off");
        _log.WriteLine($"build: {build.Duration.TotalSeconds:F1} s");
        Assert.True(build.ExitCode == 0, $"{page}, C# block {index + 1} does not build:\n{build}");
        Assert.Matches(new Regex(@"^\s*0 Warning\(s\)", RegexOptions.Multiline), build.Output);

        var run = DotNet.Run(project, "run", "--no-build");
        _log.WriteLine($"run: {run.Duration.TotalSeconds:F1} s\n{run.Output}");
        Assert.True(run.ExitCode == 0, $"{page}, C# block {index + 1} fails:\n{run}");
    }

    [Fact]
    public void TheReadmeStartsWithATrainingLoopThatLogsItsTerms()
    {
        var first = CSharpBlocks("README.md")[0];
        foreach (var part in new[] { "optim.Adam", "backward()", "TermValues", "nn.Sequential" })
            Assert.Contains(part, first, StringComparison.Ordinal);
    }

    private static string[] CSharpBlocks(string page) =>
        Regex.Matches(File.ReadAllText(Path.Combine(PackedLossDsl.RepositoryRoot, page)), "^```csharp\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)
            .Select(m => m.Groups["code"].Value)
            .ToArray();
}
