using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit;

namespace LossDsl.PackageTests;

/// <summary>What the .nupkg holds: the runtime, the generator as an analyzer, the build fix, and the one dependency.</summary>
[Collection(PackageCollection.Name)]
public sealed class PackageContentTests
{
    private readonly PackedLossDsl _package;

    public PackageContentTests(PackedLossDsl package) => _package = package;

    private static readonly string[] ExpectedFiles =
    {
        "LossDsl.nuspec",
        "README.md",
        "analyzers/dotnet/cs/LossDsl.CodeFixes.dll",
        "analyzers/dotnet/cs/LossDsl.Generators.dll",
        "build/LossDsl.targets",
        "buildTransitive/LossDsl.targets",
        "lib/net10.0/LossDsl.dll",
        "lib/net10.0/LossDsl.xml",
    };

    [Fact]
    public void HoldsTheRuntimeTheGeneratorTheCodeFixesAndTheBuildFixAndNothingElse()
    {
        using var zip = ZipFile.OpenRead(_package.PackagePath);
        var files = zip.Entries.Select(e => e.FullName)
            // NuGet's own packaging parts.
            .Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml")
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(ExpectedFiles, files);
    }

    [Fact]
    public void ItsReadmeIsThePackagePageOfAtMost8KB()
    {
        var readme = ReadText("README.md");
        Assert.Equal(File.ReadAllText(Path.Combine(PackedLossDsl.RepositoryRoot, "src", "LossDsl", "PACKAGE.md")), readme);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(readme) <= 8 * 1024, $"The package README is {readme.Length} characters");
    }

    [Fact]
    public void ComesWithASymbolsPackageAndTheRepository()
    {
        var symbols = Path.ChangeExtension(_package.PackagePath, ".snupkg");
        Assert.True(File.Exists(symbols), "dotnet pack wrote no " + Path.GetFileName(symbols));
        using (var zip = ZipFile.OpenRead(symbols))
            Assert.Contains("lib/net10.0/LossDsl.pdb", zip.Entries.Select(e => e.FullName));

        var nuspec = ReadNuspec();
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var repository = nuspec.Root.Element(ns + "metadata")!.Element(ns + "repository");
        Assert.NotNull(repository);
        Assert.Equal("git", repository.Attribute("type")?.Value);
        var props = XDocument.Load(Path.Combine(PackedLossDsl.RepositoryRoot, "Directory.Build.props"));
        Assert.Equal(props.Descendants("RepositoryUrl").Single().Value.Trim(), repository.Attribute("url")?.Value);
    }

    [Fact]
    public void DependsOnTorchSharpOnlyWithoutItsBuildFilesOrAnalyzers()
    {
        var nuspec = ReadNuspec();
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("LossDsl", metadata.Element(ns + "id")?.Value);
        Assert.Equal(_package.Version, metadata.Element(ns + "version")?.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);

        var groups = metadata.Element(ns + "dependencies")!.Elements(ns + "group").ToList();
        var group = Assert.Single(groups);
        Assert.Equal("net10.0", group.Attribute("targetFramework")?.Value);
        var dependency = Assert.Single(group.Elements(ns + "dependency"));
        Assert.Equal("TorchSharp", dependency.Attribute("id")?.Value);
        Assert.Equal("0.107.0", dependency.Attribute("version")?.Value);
        Assert.Equal("Build,Analyzers", dependency.Attribute("exclude")?.Value);
    }

    [Fact]
    public void ShipsTheBuildFixAsWrittenInTheRepository()
    {
        var expected = File.ReadAllText(Path.Combine(PackedLossDsl.RepositoryRoot, "src", "LossDsl", "buildTransitive", "LossDsl.targets"));
        Assert.Equal(expected, ReadText("buildTransitive/LossDsl.targets"));
        Assert.Equal(expected, ReadText("build/LossDsl.targets"));
    }

    [Fact]
    public void AssembliesAreTheOnesBuiltForThisPackage()
    {
        // The generator is packed from a fixed path (generators/.../bin/Release/netstandard2.0): make sure it is
        // this build's, not a stale one, by its version; and that it still loads in the compilers the README promises.
        var generator = ReadAssembly("analyzers/dotnet/cs/LossDsl.Generators.dll");
        Assert.StartsWith(_package.Version, InformationalVersion(generator), StringComparison.Ordinal);
        Assert.Equal(".NETStandard,Version=v2.0", TargetFramework(generator));
        var roslyn = generator.AssemblyReferences.Select(generator.GetAssemblyReference)
            .Where(r => generator.GetString(r.Name).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(roslyn);
        Assert.All(roslyn, r => Assert.True(r.Version <= new Version(4, 3, 0, 0),
            $"{generator.GetString(r.Name)} {r.Version}: the generator must build against Roslyn 4.3 (.NET 7 SDK) at most"));

        var codeFixes = ReadAssembly("analyzers/dotnet/cs/LossDsl.CodeFixes.dll");
        Assert.StartsWith(_package.Version, InformationalVersion(codeFixes), StringComparison.Ordinal);
        Assert.Equal(".NETStandard,Version=v2.0", TargetFramework(codeFixes));

        var runtime = ReadAssembly("lib/net10.0/LossDsl.dll");
        Assert.StartsWith(_package.Version, InformationalVersion(runtime), StringComparison.Ordinal);
        Assert.Equal(".NETCoreApp,Version=v10.0", TargetFramework(runtime));
    }

    private XDocument ReadNuspec() => XDocument.Parse(ReadText("LossDsl.nuspec"));

    private string ReadText(string entry)
    {
        using var zip = ZipFile.OpenRead(_package.PackagePath);
        using var reader = new StreamReader(zip.GetEntry(entry)?.Open() ?? throw new InvalidOperationException(entry + " is not in the package"));
        return reader.ReadToEnd();
    }

    /// <summary>The metadata of an assembly in the package (kept in memory: the readers need it after the zip closes).</summary>
    private MetadataReader ReadAssembly(string entry)
    {
        using var zip = ZipFile.OpenRead(_package.PackagePath);
        var image = new MemoryStream();
        using (var stream = zip.GetEntry(entry)?.Open() ?? throw new InvalidOperationException(entry + " is not in the package"))
            stream.CopyTo(image);
        image.Position = 0;
        var pe = new PEReader(image);
        return pe.GetMetadataReader();
    }

    private static string InformationalVersion(MetadataReader reader) => AttributeString(reader, "AssemblyInformationalVersionAttribute");

    private static string TargetFramework(MetadataReader reader) => AttributeString(reader, "TargetFrameworkAttribute");

    /// <summary>The first string argument of the assembly attribute named <paramref name="attributeName"/>.</summary>
    private static string AttributeString(MetadataReader reader, string attributeName)
    {
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference) continue;
            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference) continue;
            var type = reader.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (reader.GetString(type.Name) != attributeName) continue;
            var blob = reader.GetBlobReader(attribute.Value);
            blob.ReadUInt16(); // prolog 0x0001
            return blob.ReadSerializedString() ?? "";
        }
        throw new InvalidOperationException(attributeName + " not found");
    }
}
