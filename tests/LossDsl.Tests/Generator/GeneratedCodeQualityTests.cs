using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// The generated half of a loss must compile cleanly in the strictest consumer: every compiler warning at the
/// highest warning level, reported as an error, documentation comments checked, nullable on. It is marked
/// <c>// &lt;auto-generated/&gt;</c>, sets <c>#nullable enable</c> itself, and names every namespace and type through
/// <c>global::</c> so that nothing the user declares can capture a name. (The SDK's analyzers in a real
/// <c>AnalysisMode=All</c> build are exercised by tests/LossDsl.PackageTests.)
/// </summary>
public class GeneratedCodeQualityTests
{
    /// <summary>Losses covering every term (checked against the catalog), option and declaration shape the emitter handles.</summary>
    private const string Losses = """
        using LossDsl;

        /// <summary>In the global namespace.</summary>
        [Dice(Batch = true)]
        [Jaccard(Smooth = 0)]
        [MatthewsCorrelation(Batch = true)]
        [Symmetrize]
        [MinSeparation(3)]
        public partial class GlobalLoss { }

        namespace Consumer.Proteins
        {
            /// <summary>Same name as <see cref="Consumer.Rna.ContactLoss"/>.</summary>
            [Focal(Gamma = 2, Alpha = 0.25)]
            [SymmetricTranspose]
            [MaskLower]
            [MinSeparation(3)]
            public sealed partial class ContactLoss { }
        }

        namespace Consumer.Rna
        {
            /// <summary>Same name as <see cref="Consumer.Proteins.ContactLoss"/>.</summary>
            [BinaryCrossEntropy(PosWeight = 3, LabelSmoothing = 0.1, Weight = 0.5)]
            [Focal(Gamma = 0.5, Alpha = -1)]
            [TransposeConsistency(Penalty = SymmetryPenalty.Huber, Weight = 0.1)]
            [Reduction(LossReduction.Sum)]
            public partial class ContactLoss { }

            /// <summary>A set term: composed only.</summary>
            [LovaszHinge(Batch = true)]
            [MaskLower]
            internal partial class SetLoss { }

            /// <summary>Holds nested losses.</summary>
            public static partial class Outer
            {
                /// <summary>Nested, same name again.</summary>
                [Tversky(Alpha = 0.3, Beta = 0.7, Gamma = 0.75)]
                [SymmetricTranspose]
                [MaskUpper(IncludeDiagonal = false)]
                [TransposeConsistency(Penalty = SymmetryPenalty.Mse, Space = ConsistencySpace.Logits)]
                public partial class ContactLoss { }

                /// <summary>Nested two levels deep.</summary>
                internal sealed partial class Inner
                {
                    [BinaryCrossEntropy]
                    [Dice]
                    [MaskLower]
                    [TransposeConsistency(Penalty = SymmetryPenalty.L1)]
                    private sealed partial class PairLoss { }
                }
            }
        }

        namespace Consumer.Shadowing
        {
            // Names a generated file refers to, declared where an unqualified name would find them first.
            /// <summary>Shadows the namespace System.</summary>
            public static class System { }
            /// <summary>Shadows the namespace TorchSharp.</summary>
            public static class TorchSharp { }
            /// <summary>Shadows the namespace LossDsl.</summary>
            public static class LossDsl { }

            /// <summary>Declares members named like the base class's helpers.</summary>
            [global::LossDsl.Focal]
            [global::LossDsl.MaskLower]
            [global::LossDsl.TransposeConsistency]
            public partial class ShadowingLoss
            {
                /// <summary>Named like the base class's helper.</summary>
                public new sealed class Record { }

                /// <summary>Named like the base class's helper.</summary>
                public new int RegionMask { get; set; }
            }
        }
        """;

    private static readonly string[] ExpectedHintNames =
    {
        "GlobalLoss.g.cs",
        "Consumer.Proteins.ContactLoss.g.cs",
        "Consumer.Rna.ContactLoss.g.cs",
        "Consumer.Rna.SetLoss.g.cs",
        "Consumer.Rna.Outer+ContactLoss.g.cs",
        "Consumer.Rna.Outer+Inner+PairLoss.g.cs",
        "Consumer.Shadowing.ShadowingLoss.g.cs",
    };

    private static GeneratorHarness.Result Run(NullableContextOptions nullable = NullableContextOptions.Enable, LanguageVersion language = LanguageVersion.Latest) =>
        GeneratorHarness.Run(Losses, StrictOptions(nullable), new CSharpParseOptions(language, DocumentationMode.Diagnose));

    /// <summary>Every warning at the highest level, as an error; (with the parse options) XML documentation comments checked.</summary>
    private static CSharpCompilationOptions StrictOptions(NullableContextOptions nullable) =>
        new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: nullable,
                warningLevel: 9999,
                generalDiagnosticOption: ReportDiagnostic.Error)
            // The SDK's default NoWarn: assembly version unification (LossDsl and TorchSharp build against an older System.Runtime).
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
            {
                ["CS1701"] = ReportDiagnostic.Suppress,
                ["CS1702"] = ReportDiagnostic.Suppress,
            });

    /// <summary>The generated file sets its own nullable context, so the project's setting must not matter; C# 12 is net8.0's default.</summary>
    [Theory]
    [InlineData(NullableContextOptions.Enable, LanguageVersion.Latest)]
    [InlineData(NullableContextOptions.Disable, LanguageVersion.Latest)]
    [InlineData(NullableContextOptions.Warnings, LanguageVersion.Latest)]
    [InlineData(NullableContextOptions.Annotations, LanguageVersion.Latest)]
    [InlineData(NullableContextOptions.Enable, LanguageVersion.CSharp12)]
    public void CompilesWithoutAnyDiagnosticAtTheHighestWarningLevelWithWarningsAsErrors(NullableContextOptions nullable, LanguageVersion language)
    {
        var result = Run(nullable, language);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Equal(ExpectedHintNames.OrderBy(n => n, StringComparer.Ordinal), result.Sources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal));
        // The input alone is clean, so anything reported comes from the generated files.
        Assert.Empty(result.Input.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden && !IsMissingGeneratedHalf(d)));
        var diagnostics = result.Output.GetDiagnostics().Where(d => d.Severity != DiagnosticSeverity.Hidden).ToList();
        Assert.True(diagnostics.Count == 0, "Generated code is not clean:\n" + string.Join("\n", diagnostics));
    }

    /// <summary>Before generation the loss classes lack their base class: 'new' hides nothing yet (CS0109).</summary>
    private static bool IsMissingGeneratedHalf(Diagnostic d) => d.Id is "CS0109";

    [Fact]
    public void TheLossesHoldEveryTermOfTheCatalog()
    {
        foreach (var term in LossDsl.Generators.Terms.TermCatalog.All)
            Assert.Matches($@"\[(global::LossDsl\.)?{term.AttributeName}[\](]", Losses);
    }

    [Fact]
    public void EveryFileIsMarkedGeneratedAndEnablesNullable()
    {
        foreach (var (hintName, source) in Run().Sources)
        {
            Assert.True(source.StartsWith("// <auto-generated/>\n#nullable enable\n", StringComparison.Ordinal), hintName + " starts with:\n" + source[..Math.Min(200, source.Length)]);
        }
    }

    [Fact]
    public void EveryNamespaceAndTypeIsReferencedThroughGlobal()
    {
        var result = Run();
        var generatedTrees = result.Output.SyntaxTrees.Except(result.Input.SyntaxTrees).ToList();
        Assert.Equal(ExpectedHintNames.Length, generatedTrees.Count);
        foreach (var tree in generatedTrees)
        {
            var model = result.Output.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                // The file's own 'namespace X' declaration names the user's namespace, as the user wrote it.
                if (name.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Any(n => n.Name.Span.Contains(name.Span))) continue;
                if (name is IdentifierNameSyntax { IsVar: true }) continue;
                if (model.GetSymbolInfo(name).Symbol is not INamespaceOrTypeSymbol symbol) continue;
                if (symbol is ITypeParameterSymbol) continue; // the kernels' element type T has no global:: form
                var whole = OutermostName(name);
                Assert.True(whole.ToString().StartsWith("global::", StringComparison.Ordinal),
                    $"{tree.FilePath}: '{whole}' ({symbol.ToDisplayString()}) is not written through global:: at {name.GetLocation().GetLineSpan()}");
            }
        }
    }

    /// <summary>The whole dotted name (or member access chain) <paramref name="name"/> is part of.</summary>
    private static SyntaxNode OutermostName(SyntaxNode name)
    {
        var node = name;
        while (node.Parent is QualifiedNameSyntax or AliasQualifiedNameSyntax
               || node.Parent is MemberAccessExpressionSyntax access && access.Name == node)
            node = node.Parent;
        return node;
    }

    [Fact]
    public void SameNamedClassesInDifferentNamespacesAndTypesGetUniqueHintNames()
    {
        var names = Run().Sources.Select(s => s.HintName).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
