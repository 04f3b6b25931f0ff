using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static LossDsl.Tests.IncrementalTestHelpers;

namespace LossDsl.Tests;

/// <summary>
/// The generator is incremental in fact, not only in shape: an edit that touches no loss class re-uses every step,
/// an edit to one loss class regenerates that class alone, and no step holds a symbol, syntax node, compilation,
/// semantic model or location.
/// </summary>
public class IncrementalTests
{
    private const string Unrelated = """
        namespace Elsewhere;

        public static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    /// <summary>Valid loss classes with varied attributes, one file each (one of them nested, one in no namespace).</summary>
    private static readonly (string Path, string Source)[] ValidLosses =
    {
        ("Contact.cs", """
            using LossDsl;
            namespace Proteins;

            [Focal(Gamma = 2)]
            [SymmetricTranspose]
            [MaskLower]
            [MinSeparation(3)]
            public partial class ContactLoss { }
            """),
        ("Everything.cs", """
            using LossDsl;
            namespace Proteins;

            [Focal(Gamma = 0.5, Weight = 2)]
            [BinaryCrossEntropy(PosWeight = 19, LabelSmoothing = 0.1)]
            [Dice(Weight = 0.5)]
            [Tversky(Alpha = 0.3, Beta = 0.7, Gamma = 0.75)]
            [MaskUpper(IncludeDiagonal = false)]
            [TransposeConsistency(Penalty = SymmetryPenalty.L1, Weight = 0.25)]
            [Reduction(LossReduction.Sum)]
            public partial class Everything { }
            """),
        ("Nested.cs", """
            using LossDsl;
            namespace Rna;

            internal static partial class Outer
            {
                [Dice(Batch = true)]
                [Symmetrize]
                internal partial class NestedDice { }
            }
            """),
        ("Global.cs", """
            [LossDsl.Symmetrize]
            [LossDsl.BinaryCrossEntropy]
            partial class GlobalBce { }
            """),
    };

    /// <summary>Classes the validator reports on: a warning that still generates, and errors that do not.</summary>
    private static readonly (string Path, string Source)[] LossesWithDiagnostics =
    {
        ("Warning.cs", """
            using LossDsl;

            [Focal]
            [SymmetricTranspose]
            public partial class TransposeWithoutMask { }
            """),
        ("Errors.cs", """
            using LossDsl;

            [Focal(Gamma = -1)]
            public partial class NegativeGamma { }

            [Dice]
            public class NotPartial { }

            [Dice]
            [MaskLower]
            [MaskUpper]
            public partial class TwoMasks { }

            [MaskLower]
            public partial class NoTerm { }
            """),
    };

    /// <summary>The files of <paramref name="groups"/>, and Unrelated.cs.</summary>
    private static CSharpCompilation With(params (string Path, string Source)[][] groups) =>
        Compilation(groups.SelectMany(g => g).Append(("Unrelated.cs", Unrelated)).ToArray());

    [Fact]
    public void ValidLosses_CloneAndUnrelatedEdit_EveryStepCached()
    {
        var first = AssertCacheable(With(ValidLosses), "Unrelated.cs");
        Assert.Equal(
            new[] { "GlobalBce.g.cs", "Proteins.ContactLoss.g.cs", "Proteins.Everything.g.cs", "Rna.Outer+NestedDice.g.cs" },
            first.GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal));
        Assert.Empty(first.Diagnostics);
    }

    [Fact]
    public void LossesWithDiagnostics_CloneAndUnrelatedEdit_EveryStepCachedButTheReport()
    {
        var first = AssertCacheable(With(ValidLosses, LossesWithDiagnostics), "Unrelated.cs");
        Assert.Equal(
            new[] { "LD0001", "LD0005", "LD0006", "LD0009", "LD0010" },
            first.Diagnostics.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal));
        // The warning's class is still generated.
        Assert.Contains(first.GeneratedSources, s => s.HintName == "TransposeWithoutMask.g.cs");
        Assert.Equal(5, first.GeneratedSources.Length);
        // AssertCacheable checked that the later runs report the same diagnostics; they are reported in source trees.
        Assert.All(first.Diagnostics, d => Assert.NotNull(d.Location.SourceTree));
    }

    [Fact]
    public void EveryTrackingNameIsUsed_AndEveryStepHasOne()
    {
        var run = Single(CreateDriver().RunGenerators(With(ValidLosses, LossesWithDiagnostics)));
        // Walking back from each output to the generator's inputs meets no step that the cacheability checks,
        // which go by name, would miss.
        Assert.Empty(UnnamedSteps(run).Distinct());
        Assert.Equal(AllTrackingNames.OrderBy(n => n, StringComparer.Ordinal),
            run.TrackedSteps.Keys.Where(AllTrackingNames.Contains).OrderBy(n => n, StringComparer.Ordinal));
        // Both kinds of output are there: the emit (fed by Spec) and the report (fed by DiagnosticsWithCompilation).
        Assert.NotEmpty(OutputSteps(run, TrackingNames.Spec));
        Assert.NotEmpty(OutputSteps(run, TrackingNames.DiagnosticsWithCompilation));
    }

    [Fact]
    public void EditingOneLossClass_RegeneratesOnlyThatClass()
    {
        var files = Enumerable.Range(0, 5)
            .Select(k => ($"Loss{k}.cs", $$"""
                using LossDsl;
                namespace Many;

                [Focal(Gamma = {{k + 1}})]
                [BinaryCrossEntropy(PosWeight = 3)]
                [MaskLower]
                public partial class Loss{{k}} { }
                """))
            .ToArray();
        var compilation = With(files);
        var driver = CreateDriver().RunGenerators(compilation);
        var first = Single(driver);
        Assert.Equal(5, first.GeneratedSources.Length);

        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Loss2.cs");
        var edited = tree.GetText().ToString().Replace("Gamma = 3", "Gamma = 4.5", StringComparison.Ordinal);
        var second = Single(driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, Tree(edited, "Loss2.cs"))));

        // Every step: exactly one output changed (Loss2's), the rest re-used.
        foreach (var name in new[] { TrackingNames.Parse, TrackingNames.Owned, TrackingNames.Validate, TrackingNames.Spec })
        {
            var reasons = second.TrackedSteps[name].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.True(reasons.Count(r => r == IncrementalStepRunReason.Modified) == 1
                && reasons.All(r => r is IncrementalStepRunReason.Modified or IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged),
                $"{name}: {string.Join(", ", reasons)}");
        }

        // The emit ran for Loss2 alone.
        var emits = OutputSteps(second, TrackingNames.Spec).SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(5, emits.Count);
        Assert.Equal(1, emits.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(4, emits.Count(r => r == IncrementalStepRunReason.Cached));
        Assert.Empty(second.Diagnostics);

        var before = first.GeneratedSources.ToDictionary(s => s.HintName);
        var after = second.GeneratedSources.ToDictionary(s => s.HintName);
        Assert.Equal(before.Keys.OrderBy(h => h), after.Keys.OrderBy(h => h));
        foreach (var (hintName, source) in after)
        {
            if (hintName == "Many.Loss2.g.cs")
            {
                Assert.NotEqual(before[hintName].SourceText.ToString(), source.SourceText.ToString());
                Assert.Contains("4.5", source.SourceText.ToString(), StringComparison.Ordinal);
            }
            else
            {
                // Not regenerated: the very text the first run produced.
                Assert.Same(before[hintName].SourceText, source.SourceText);
            }
        }
    }

    [Fact]
    public void ObjectGraphWalk_FindsRoslynObjectsHoweverDeep()
    {
        var compilation = With(ValidLosses);
        var symbol = compilation.GetTypeByMetadataName("Proteins.ContactLoss")!;
        var tree = compilation.SyntaxTrees.First();
        var clean = new { Name = "x", Values = new[] { 1.0, 2.0 }, Inner = new List<object?> { null, "y" } };
        Assert.Empty(FindBanned(clean, "clean"));

        var leaks = new Dictionary<string, object>
        {
            ["symbol"] = new { Inner = new object[] { new KeyValuePair<string, ISymbol>("k", symbol) } },
            ["node"] = (Depth: 1, Node: (object)tree.GetRoot()),
            ["compilation"] = new List<Compilation> { compilation },
            ["model"] = new[] { (object)compilation.GetSemanticModel(tree) },
            ["location"] = new { Where = symbol.Locations[0] },
        };
        foreach (var (name, leak) in leaks)
            Assert.True(FindBanned(leak, name).Count() == 1, $"{name}: {string.Join("; ", FindBanned(leak, name))}");
        Assert.Contains("(banned: ISymbol)", Assert.Single(FindBanned(leaks["symbol"], "symbol")), StringComparison.Ordinal);
    }
}
