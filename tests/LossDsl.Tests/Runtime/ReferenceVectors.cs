using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace LossDsl.Tests;

/// <summary>One case of <c>tests/vectors</c>: an attributes line, inputs, the oracle's loss and gradient.</summary>
public sealed record VectorCase(
    string Name, string Attributes, string Dtype, long[] Shape,
    double[] Logits, double[] Target, long[]? ValidShape, double[]? Valid,
    double Loss, double[] Grad)
{
    public override string ToString() => Name;
}

/// <summary>Reads the reference vectors and compiles all their loss classes, once, with the real generator.</summary>
public static class ReferenceVectors
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Folder => Path.Combine(RepositoryRoot, "tests", "vectors");

    private static readonly Lazy<IReadOnlyList<VectorCase>> s_cases = new(() =>
        Directory.GetFiles(Folder, "case*.json").OrderBy(f => f, StringComparer.Ordinal).Select(Read).ToList());

    public static IReadOnlyList<VectorCase> Cases => s_cases.Value;

    public static VectorCase Case(string name) => Cases.Single(c => c.Name == name);

    public static IEnumerable<object[]> Names => Cases.Select(c => new object[] { c.Name });

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Load(Source()));

    /// <summary>A new instance of the generated loss for <paramref name="c"/>.</summary>
    public static LossModule Loss(VectorCase c) => GeneratorHarness.Create(s_assembly.Value, "Vectors." + ClassName(c));

    public static string ClassName(VectorCase c) => char.ToUpperInvariant(c.Name[0]) + c.Name.Substring(1);

    /// <summary>Every case as a class <c>[attributes] public partial class CaseNNN { }</c> in one source file.</summary>
    public static string Source()
    {
        var text = new StringBuilder("using LossDsl;\nnamespace Vectors;\n");
        foreach (var c in Cases) text.Append(c.Attributes).Append("\npublic partial class ").Append(ClassName(c)).Append(" { }\n");
        return text.ToString();
    }

    private static VectorCase Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        static long[] Longs(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();
        var valid = root.GetProperty("valid");
        return new VectorCase(
            root.GetProperty("name").GetString()!,
            root.GetProperty("attributes").GetString()!,
            root.GetProperty("dtype").GetString()!,
            Longs(root.GetProperty("shape")),
            Doubles(root.GetProperty("logits")),
            Doubles(root.GetProperty("target")),
            valid.ValueKind == JsonValueKind.Null ? null : Longs(root.GetProperty("valid_shape")),
            valid.ValueKind == JsonValueKind.Null ? null : Doubles(valid),
            root.GetProperty("loss").GetDouble(),
            Doubles(root.GetProperty("grad")));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LossDsl.sln"))) return dir.FullName;
        throw new InvalidOperationException("LossDsl.sln not found above " + AppContext.BaseDirectory);
    }
}
