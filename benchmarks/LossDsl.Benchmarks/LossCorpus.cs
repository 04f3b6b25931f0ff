using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LossDsl.Benchmarks;

/// <summary>
/// A synthetic project for the generator benchmarks: <c>count</c> loss classes, one file each, with varied
/// attributes (1–3 terms, masks, separations, symmetry options, penalties, reductions; some nested, a few with a
/// warning), plus files of ordinary code that no loss class depends on.
/// </summary>
public sealed class LossCorpus
{
    public const string UnrelatedPath = "Unrelated0.cs";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public CSharpCompilation Compilation { get; }

    /// <summary><see cref="UnrelatedPath"/>'s tree in <see cref="Compilation"/>.</summary>
    public SyntaxTree UnrelatedTree { get; }

    /// <summary><see cref="UnrelatedTree"/> after an edit: a method added.</summary>
    public SyntaxTree EditedUnrelatedTree { get; }

    public int LossClasses { get; }

    /// <summary>How many classes the validator warns about (LD0010): still generated.</summary>
    public int Warnings { get; }

    public LossCorpus(int count, int unrelatedFiles = 10)
    {
        LossClasses = count;
        var trees = new List<SyntaxTree>();
        for (int k = 0; k < count; k++)
        {
            var (source, warns) = LossFile(k);
            if (warns) Warnings++;
            trees.Add(Parse(source, $"Losses/Loss{k}.cs"));
        }
        for (int i = 0; i < unrelatedFiles; i++) trees.Add(Parse(UnrelatedFile(i, edited: false), $"Unrelated{i}.cs"));
        UnrelatedTree = trees.Single(t => t.FilePath == UnrelatedPath);
        EditedUnrelatedTree = Parse(UnrelatedFile(0, edited: true), UnrelatedPath);

        var references = Basic.Reference.Assemblies.Net100.References.All
            .Concat(new[] { typeof(LossModule).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location }
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)));
        Compilation = CSharpCompilation.Create(
            "LossCorpus",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>The corpus with <see cref="UnrelatedTree"/> replaced by <see cref="EditedUnrelatedTree"/>: a new compilation each call.</summary>
    public CSharpCompilation Edited() => Compilation.ReplaceSyntaxTree(UnrelatedTree, EditedUnrelatedTree);

    public static CSharpParseOptions Options => ParseOptions;

    private static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: path);

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static (string Source, bool Warns) LossFile(int k)
    {
        var attributes = new List<string>();
        attributes.AddRange((k % 8) switch
        {
            0 => new[] { $"[Focal(Gamma = {N(0.5 + k % 5 * 0.5)})]" },
            1 => new[] { $"[BinaryCrossEntropy(PosWeight = {k % 20 + 1})]" },
            2 => new[] { $"[Dice(Smooth = {N(k % 3)})]" },
            3 => new[] { $"[Tversky(Alpha = {N(0.1 * (k % 10))}, Beta = {N(1 - 0.1 * (k % 10))})]" },
            4 => new[] { "[Focal(Gamma = 2, Alpha = 0.25)]", "[Dice(Weight = 0.5)]" },
            5 => new[] { "[BinaryCrossEntropy(LabelSmoothing = 0.05)]", "[Tversky(Gamma = 0.75, Batch = true)]" },
            6 => new[] { "[Focal]", "[BinaryCrossEntropy(Weight = 0.3)]", "[Dice(Batch = true)]" },
            _ => new[] { "[Tversky]", "[Focal(Gamma = 1.5, Weight = 2)]" },
        });
        var region = k / 8 % 7;
        attributes.AddRange(region switch
        {
            0 => Array.Empty<string>(),
            1 => new[] { "[MaskLower]" },
            2 => new[] { "[MaskUpper(IncludeDiagonal = false)]", $"[MinSeparation({k % 6 + 1})]" },
            3 => new[] { "[SymmetricTranspose]", "[MaskLower]" },
            4 => new[] { $"[TransposeConsistency(Penalty = SymmetryPenalty.{new[] { "L1", "Mse", "Huber" }[k % 3]}, Weight = 0.1)]" },
            5 => new[] { "[Symmetrize]" },
            _ => new[] { "[MaskLower]", "[MinSeparation(3)]", "[Reduction(LossReduction.Sum)]" },
        });
        // A few classes with [SymmetricTranspose] and no mask: warning LD0010, still generated.
        var warns = region == 0 && k % 16 == 0;
        if (warns) attributes.Add("[SymmetricTranspose]");

        var text = new StringBuilder();
        text.Append("using LossDsl;\n\nnamespace Bench.Area").Append(k % 5).Append(";\n\n");
        var nested = k % 10 == 9;
        var indent = nested ? "    " : "";
        if (nested) text.Append("public static partial class Group").Append(k).Append("\n{\n");
        text.Append(indent).Append("/// <summary>Loss ").Append(k).Append(".</summary>\n");
        foreach (var attribute in attributes) text.Append(indent).Append(attribute).Append('\n');
        text.Append(indent).Append("public partial class Loss").Append(k).Append(" { }\n");
        if (nested) text.Append("}\n");
        return (text.ToString(), warns);
    }

    private static string UnrelatedFile(int i, bool edited)
    {
        var text = new StringBuilder();
        text.Append("using System;\nusing System.Collections.Generic;\nusing System.Linq;\n\nnamespace Bench.Other;\n\n");
        text.Append("public static class Helpers").Append(i).Append("\n{\n");
        for (int m = 0; m < 20; m++)
            text.Append("    public static double Method").Append(m).Append("(IReadOnlyList<double> xs) => xs.Where(x => x > ")
                .Append(m).Append(").Select(x => Math.Sqrt(x) * ").Append(m + 1).Append(").DefaultIfEmpty().Sum();\n");
        if (edited) text.Append("    public static int AddedByAnEdit(int x) => x + 42;\n");
        text.Append("}\n");
        return text.ToString();
    }
}
