using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LossDsl.Generators;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// Diagnostics as a product: every descriptor's help link points at its page in docs/diagnostics, every page
/// describes its descriptor (title, severity, cause, example, fix), and the index lists them all.
/// </summary>
public class DiagnosticDocsTests
{
    public static TheoryData<string> Ids() => new(DiagnosticDescriptors.All.Select(d => d.Id));

    private static string DocsFolder => Path.Combine(RepositoryFiles.Root, "docs", "diagnostics");

    private static string PagePath(string id) => Path.Combine(DocsFolder, id + ".md");

    [Fact]
    public void TheHelpLinkBaseIsInTheRepositoryNamedByDirectoryBuildProps()
    {
        var props = XDocument.Load(Path.Combine(RepositoryFiles.Root, "Directory.Build.props"));
        var repositoryUrl = props.Descendants("RepositoryUrl").Single().Value.Trim();
        Assert.Equal(DiagnosticDescriptors.HelpLinkBase, repositoryUrl + "/blob/main/docs/diagnostics/");
        Assert.Equal(repositoryUrl, props.Descendants("PackageProjectUrl").Single().Value.Trim());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryDescriptorsHelpLinkPointsAtItsExistingPage(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        Assert.Equal($"https://github.com/lossdsl/LossDsl/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        Assert.True(Uri.TryCreate(descriptor.HelpLinkUri, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps, descriptor.HelpLinkUri);
        // The part after the base is the page's path in the repository.
        var relative = descriptor.HelpLinkUri.Substring(DiagnosticDescriptors.HelpLinkBase.Length);
        Assert.True(File.Exists(Path.Combine(DocsFolder, relative)), $"{id}: no page docs/diagnostics/{relative}");
    }

    [Fact]
    public void ReportedDiagnosticsCarryTheHelpLink()
    {
        var result = GeneratorHarness.Run("using LossDsl; [Focal(Gamma = -1)] public class ContactLoss { }");
        Assert.Equal(new[] { "LD0001", "LD0006" }, result.GeneratorDiagnostics.Select(d => d.Id).OrderBy(x => x, StringComparer.Ordinal));
        Assert.All(result.GeneratorDiagnostics, d => Assert.Equal(DiagnosticDescriptors.HelpLink(d.Id), d.Descriptor.HelpLinkUri));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryPageDescribesItsDescriptor(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        var lines = File.ReadAllLines(PagePath(id));
        Assert.Equal($"# {id}: {Title(descriptor)}", lines[0]);
        Assert.Contains($"| Severity | {descriptor.DefaultSeverity} |", lines);
        Assert.Contains($"| Category | {descriptor.Category} |", lines);
        Assert.Single(lines, l => l.StartsWith("| Code fix | ", StringComparison.Ordinal));
        foreach (var section in new[] { "## Cause", "## Example", "## How to fix" })
            Assert.Contains(section, lines);
        // Every example is a C# block, except for the internal failure, which no source is meant to produce.
        if (id != DiagnosticDescriptors.GeneratorFailure.Id)
            Assert.Contains("```csharp", lines);
    }

    [Fact]
    public void EveryPageBelongsToADescriptor()
    {
        var pages = Directory.GetFiles(DocsFolder, "*.md").Select(Path.GetFileNameWithoutExtension).Where(n => n != "README");
        Assert.Equal(
            DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(x => x, StringComparer.Ordinal),
            pages.OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void TheIndexListsEveryDiagnosticWithItsPageSeverityAndTitle()
    {
        var index = File.ReadAllLines(Path.Combine(DocsFolder, "README.md"));
        var rows = index.Where(l => l.StartsWith("| [LD", StringComparison.Ordinal)).ToList();
        Assert.Equal(DiagnosticDescriptors.All.Count, rows.Count);
        foreach (var (descriptor, row) in DiagnosticDescriptors.All.Zip(rows, (d, r) => (d, r)))
            Assert.StartsWith($"| [{descriptor.Id}]({descriptor.Id}.md) | {descriptor.DefaultSeverity} | {Title(descriptor)} |", row, StringComparison.Ordinal);
        // The top-level README points at the index.
        Assert.Contains("(docs/diagnostics/README.md)", File.ReadAllText(Path.Combine(RepositoryFiles.Root, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void TheReleaseFilesTrackEveryDescriptor()
    {
        // The release-tracking analyzer checks these at build time; this says the same where a reader of the tests looks.
        var folder = Path.Combine(RepositoryFiles.Root, "generators", "LossDsl.Generators");
        var rows = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(f => File.ReadLines(Path.Combine(folder, f)))
            .Where(l => l.StartsWith("LD", StringComparison.Ordinal))
            .Select(l => string.Join(" | ", l.Split('|').Select(c => c.Trim())))
            .ToList();
        Assert.Equal(
            DiagnosticDescriptors.All.Select(d => $"{d.Id} | {d.Category} | {d.DefaultSeverity} | {Title(d)}"),
            rows);
    }

    private static string Title(DiagnosticDescriptor descriptor) => descriptor.Title.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Files of the repository the tests run from (docs, build props).</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds LossDsl.sln.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LossDsl.sln"))) return dir.FullName;
        throw new InvalidOperationException("LossDsl.sln not found above " + AppContext.BaseDirectory);
    }
}
