using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using Xunit;

namespace LossDsl.PackageTests;

/// <summary>
/// LossDsl and LossDsl.Experiments packed from this repository's sources into a temporary local feed, once for all package tests.
/// <para>
/// The sources (root files, src/, generators/, without bin/ and obj/) are copied into a temporary directory and
/// packed there with <c>dotnet pack -c Release</c>, so the test neither writes into nor depends on the
/// repository's build output. The version is unique per run (<c>0.0.0-pkgtest.&lt;time&gt;.g&lt;id&gt;</c>) and the
/// consumer restores into a package folder of its own, so no NuGet cache can ever serve a stale copy and the
/// shared NuGet cache never sees the test versions. Everything lives under one temporary directory, deleted on
/// <see cref="Dispose"/>.
/// </para>
/// </summary>
public sealed class PackedLossDsl : IDisposable
{
    private const string WorkPrefix = "lossdsl-pkgtest-";

    public PackedLossDsl()
    {
        DeleteStaleWorkDirectories();
        var id = Guid.NewGuid().ToString("N")[..8];
        Version = $"0.0.0-pkgtest.{DateTime.UtcNow:yyyyMMdd'T'HHmmss}.g{id}";
        WorkDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), WorkPrefix + id)).FullName;
        try
        {
            var source = Path.Combine(WorkDirectory, "source");
            CopySources(RepositoryRoot, source);
            FeedDirectory = Directory.CreateDirectory(Path.Combine(WorkDirectory, "feed")).FullName;
            Pack = DotNet.Run(source, "pack", Path.Combine("src", "LossDsl", "LossDsl.csproj"), "-c", "Release",
                "-o", FeedDirectory, "-p:Version=" + Version, "-nodeReuse:false", "-tl:off");
            if (Pack.ExitCode != 0) throw new InvalidOperationException("dotnet pack failed:\n" + Pack);
            PackagePath = Path.Combine(FeedDirectory, $"LossDsl.{Version}.nupkg");
            if (!File.Exists(PackagePath))
                throw new InvalidOperationException($"dotnet pack did not write {PackagePath}; the feed holds: " +
                    string.Join(", ", Directory.GetFiles(FeedDirectory).Select(Path.GetFileName)) + "\n" + Pack);
            PackExperiments = DotNet.Run(source, "pack", Path.Combine("src", "LossDsl.Experiments", "LossDsl.Experiments.csproj"), "-c", "Release",
                "-o", FeedDirectory, "-p:Version=" + Version, "-nodeReuse:false", "-tl:off");
            ExperimentsPackagePath = Path.Combine(FeedDirectory, $"LossDsl.Experiments.{Version}.nupkg");
            if (PackExperiments.ExitCode != 0 || !File.Exists(ExperimentsPackagePath))
                throw new InvalidOperationException("dotnet pack of LossDsl.Experiments failed:\n" + PackExperiments);

            var locals = DotNet.Run(WorkDirectory, "nuget", "locals", "global-packages", "--list");
            const string label = "global-packages:";
            var line = locals.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal));
            if (locals.ExitCode != 0 || line is null) throw new InvalidOperationException("Cannot find the NuGet global packages folder:\n" + locals);
            SharedPackagesDirectory = line[label.Length..].Trim();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The repository whose sources are packed: recorded at build time, else found above the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The unique package version of this run.</summary>
    public string Version { get; }

    /// <summary>The temporary directory holding everything this run creates.</summary>
    public string WorkDirectory { get; }

    /// <summary>The local feed (a folder) holding the one package.</summary>
    public string FeedDirectory { get; } = "";

    public string PackagePath { get; } = "";

    /// <summary>LossDsl.Experiments, packed beside LossDsl (it depends on this very version).</summary>
    public string ExperimentsPackagePath { get; } = "";

    /// <summary>The <c>dotnet pack</c> command of LossDsl.Experiments and its output.</summary>
    public CommandResult PackExperiments { get; } = null!;

    /// <summary>The <c>dotnet pack</c> command and its output.</summary>
    public CommandResult Pack { get; } = null!;

    /// <summary>The user's NuGet global packages folder (NUGET_PACKAGES or configuration respected), read-only for these tests.</summary>
    public string SharedPackagesDirectory { get; } = "";

    /// <summary>
    /// Writes the project of the test folder <paramref name="template"/> (its <c>NAME.csproj.template</c>,
    /// and <c>*.cs</c>) into a fresh directory of the work directory, pointed at the local
    /// feed and shielded from any outer Directory.*.props; returns the directory.
    /// </summary>
    public string CreateProject(string template)
    {
        var source = Path.Combine(AppContext.BaseDirectory, template);
        return ConsumerProject.Create(this, template, Path.Combine(source, template + ".csproj.template"),
            Directory.GetFiles(source, "*.cs").Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
    }

    private static string FindRepositoryRoot()
    {
        var recorded = typeof(PackedLossDsl).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (!string.IsNullOrEmpty(recorded) && File.Exists(Path.Combine(recorded, "LossDsl.sln"))) return Path.GetFullPath(recorded);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LossDsl.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository (LossDsl.sln) above " + AppContext.BaseDirectory);
    }

    /// <summary>Copies what packing src/ needs: the files at the root (props, targets, README) and src/, generators/, docs/.</summary>
    private static void CopySources(string root, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(root))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        foreach (var folder in new[] { "src", "generators", "docs" })
            CopyTree(Path.Combine(root, folder), Path.Combine(destination, folder));
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name is "bin" or "obj" || name.StartsWith('.')) continue;
            CopyTree(dir, Path.Combine(to, name));
        }
    }

    /// <summary>Work directories of runs that were killed before cleaning up (a day old or more).</summary>
    private static void DeleteStaleWorkDirectories()
    {
        try
        {
            foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), WorkPrefix + "*"))
                if (Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddDays(-1)) TryDelete(dir);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void TryDelete(string dir)
    {
        for (var attempt = 0; attempt < 5 && Directory.Exists(dir); attempt++)
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { Thread.Sleep(500); }
            catch (UnauthorizedAccessException) { Thread.Sleep(500); }
        }
    }

    public void Dispose()
    {
        TryDelete(WorkDirectory);
        // Never expected there (the consumer restores into its own folder), but a test version must not linger.
        if (SharedPackagesDirectory.Length > 0)
            foreach (var id in new[] { "lossdsl", "lossdsl.experiments" }) TryDelete(Path.Combine(SharedPackagesDirectory, id, Version.ToLowerInvariant()));
    }
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackedLossDsl>
{
    public const string Name = "Packed LossDsl";
}
