using System;
using System.Collections.Generic;
using System.IO;

namespace LossDsl.PackageTests;

/// <summary>A new project outside the repository that references the packed LossDsl from the test's local feed.</summary>
public static class ConsumerProject
{
    /// <summary>
    /// Writes a project from <paramref name="projectTemplate"/> (its @VERSION@, @PACKAGES@ and @FALLBACK@ filled in),
    /// the feed's nuget.config and <paramref name="sources"/> into a fresh directory of the package's work directory,
    /// shielded from any outer Directory.*.props, and returns that directory.
    /// </summary>
    public static string Create(PackedLossDsl package, string name, string projectTemplate, IEnumerable<(string FileName, string Text)> sources)
    {
        var project = Directory.CreateDirectory(Path.Combine(package.WorkDirectory, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        string Fill(string text) => text
            .Replace("@VERSION@", package.Version, StringComparison.Ordinal)
            .Replace("@FEED@", package.FeedDirectory, StringComparison.Ordinal)
            .Replace("@PACKAGES@", Path.Combine(package.WorkDirectory, "packages"), StringComparison.Ordinal)
            .Replace("@FALLBACK@", package.SharedPackagesDirectory, StringComparison.Ordinal);
        var templates = Path.Combine(AppContext.BaseDirectory, "Consumer");
        File.WriteAllText(Path.Combine(project, name + ".csproj"), Fill(File.ReadAllText(projectTemplate)));
        File.WriteAllText(Path.Combine(project, "nuget.config"), Fill(File.ReadAllText(Path.Combine(templates, "nuget.config.template"))));
        foreach (var (fileName, text) in sources)
            File.WriteAllText(Path.Combine(project, fileName), text);
        // Stop MSBuild's upward search: nothing from an enclosing directory (e.g. a repository's props) may leak in.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(Path.Combine(project, file), "<Project />\n");
        return project;
    }
}
