using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using LossDsl.CodeFixes;
using LossDsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// The code fixes in LossDsl.CodeFixes, driven by Microsoft.CodeAnalysis.Testing: the real generator runs on the
/// source (as it does in an IDE), reports its LDxxxx diagnostics where the markup says, and each fix turns the source
/// into the fixed one, one diagnostic at a time and with Fix All, after which the generator reports nothing more.
/// </summary>
public class CodeFixTests
{
    /// <summary>A code-fix test whose diagnostics come from <see cref="LossGenerator"/>, not from an analyzer.</summary>
    private sealed class Test<TCodeFix> : CSharpCodeFixTest<EmptyDiagnosticAnalyzer, TCodeFix, DefaultVerifier>
        where TCodeFix : CodeFixProvider, new()
    {
        public Test(string source, string fixedSource)
        {
            TestCode = source;
            FixedCode = fixedSource;
            // The same references as the other generator tests (.NET 10 reference assemblies, LossDsl, TorchSharp),
            // from packages already restored: nothing is downloaded while the tests run.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
            // What the generator writes for the fixed source is the snapshot tests' business.
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck;
        }

        protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(LossGenerator) };

        protected override ParseOptions CreateParseOptions() => new CSharpParseOptions(LanguageVersion.Latest);
    }

    private static Task Verify<TCodeFix>(string source, string fixedSource, string? title = null, Action<Test<TCodeFix>>? configure = null)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new Test<TCodeFix>(source, fixedSource);
        if (title is not null) test.CodeActionVerifier = (action, verifier) => verifier.Equal(title, action.Title);
        configure?.Invoke(test);
        return test.RunAsync();
    }

    // LD0001: make the class partial --------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Focal] public class {|LD0001:ContactLoss|} { }", "[Focal] public partial class ContactLoss { }")]
    [InlineData("[Focal] internal sealed class {|LD0001:ContactLoss|} { }", "[Focal] internal sealed partial class ContactLoss { }")]
    [InlineData("[Focal][MaskLower] class {|LD0001:ContactLoss|} { }", "[Focal][MaskLower] partial class ContactLoss { }")]
    public Task LD0001_AddsPartial(string source, string fixedSource) =>
        Verify<MakePartialCodeFix>("using LossDsl;\n" + source, "using LossDsl;\n" + fixedSource, "Make 'ContactLoss' partial");

    [Fact]
    public Task LD0001_KeepsDocCommentsAndLayout() => Verify<MakePartialCodeFix>(
        """
        using LossDsl;

        namespace Losses
        {
            /// <summary>Focal loss on the upper half.</summary>
            [Focal(Gamma = 2)]
            [MaskLower]
            class {|LD0001:ContactLoss|}
            {
            }

            /// <summary>Dice.</summary>
            [Dice]
            public sealed class {|LD0001:RegionLoss|} : System.IDisposable
            {
                public void Dispose() { }
            }
        }
        """,
        """
        using LossDsl;

        namespace Losses
        {
            /// <summary>Focal loss on the upper half.</summary>
            [Focal(Gamma = 2)]
            [MaskLower]
            partial class ContactLoss
            {
            }

            /// <summary>Dice.</summary>
            [Dice]
            public sealed partial class RegionLoss : System.IDisposable
            {
                public void Dispose() { }
            }
        }
        """);

    [Fact]
    public Task LD0001_FixesEveryDeclarationInEveryFile()
    {
        // The attributes sit on the partial declaration, so LD0001 is reported there; the one to change is in another file.
        var test = new Test<MakePartialCodeFix>(
            "using LossDsl;\n[Focal] public partial class {|LD0001:ContactLoss|} { }",
            "using LossDsl;\n[Focal] public partial class ContactLoss { }");
        test.TestState.Sources.Add(("Other.cs", "public class {|CS0260:ContactLoss|} { public int Extra => 1; }"));
        test.FixedState.Sources.Add(("Other.cs", "public partial class ContactLoss { public int Extra => 1; }"));
        return test.RunAsync();
    }

    [Fact]
    public Task LD0001_FixAllMakesEveryLossClassPartial() => Verify<MakePartialCodeFix>(
        """
        using LossDsl;
        [Focal] public class {|LD0001:A|} { }
        [Dice] public class {|LD0001:B|} { }
        public partial class Outer { [Tversky] internal class {|LD0001:C|} { } }
        """,
        """
        using LossDsl;
        [Focal] public partial class A { }
        [Dice] public partial class B { }
        public partial class Outer { [Tversky] internal partial class C { } }
        """);

    // LD0005: remove the second mask ---------------------------------------------------------------------------------

    [Fact]
    public Task LD0005_RemovesTheLineOfTheSecondMask() => Verify<RemoveMaskCodeFix>(
        """
        using LossDsl;

        [Focal(Gamma = 2)]
        [SymmetricTranspose]
        [MaskLower]
        [{|LD0005:MaskUpper|}]
        public partial class ContactLoss { }
        """,
        """
        using LossDsl;

        [Focal(Gamma = 2)]
        [SymmetricTranspose]
        [MaskLower]
        public partial class ContactLoss { }
        """,
        "Remove [MaskUpper]");

    [Fact]
    public Task LD0005_KeepsACommentBeforeTheRemovedLine() => Verify<RemoveMaskCodeFix>(
        """
        using LossDsl;

        namespace Losses
        {
            [Focal]
            [MaskUpper(IncludeDiagonal = false)]
            // learn the lower half only
            [{|LD0005:MaskLower|}]
            public partial class ContactLoss { }
        }
        """,
        """
        using LossDsl;

        namespace Losses
        {
            [Focal]
            [MaskUpper(IncludeDiagonal = false)]
            // learn the lower half only
            public partial class ContactLoss { }
        }
        """,
        "Remove [MaskLower]");

    [Theory]
    // Lists on one line, with and without spaces between them.
    [InlineData("[Focal][MaskLower][{|LD0005:MaskUpper|}] public partial class ContactLoss { }", "[Focal][MaskLower] public partial class ContactLoss { }")]
    [InlineData("[Focal] [MaskUpper(IncludeDiagonal = false)] [{|LD0005:MaskLower|}] public partial class ContactLoss { }", "[Focal] [MaskUpper(IncludeDiagonal = false)] public partial class ContactLoss { }")]
    [InlineData("[MaskLower][{|LD0005:MaskUpper(IncludeDiagonal = true)|}][Focal] public partial class ContactLoss { }", "[MaskLower][Focal] public partial class ContactLoss { }")]
    // The mask ends its line, or starts it.
    [InlineData("[Focal] [MaskLower] [{|LD0005:MaskUpper|}]\npublic partial class ContactLoss { }", "[Focal] [MaskLower]\npublic partial class ContactLoss { }")]
    [InlineData("[Focal] [MaskLower]\n    [{|LD0005:MaskUpper|}] public partial class ContactLoss { }", "[Focal] [MaskLower]\n    public partial class ContactLoss { }")]
    // Masks inside one attribute list: only the attribute goes.
    [InlineData("[Focal, MaskLower, {|LD0005:MaskUpper(IncludeDiagonal = true)|}] public partial class ContactLoss { }", "[Focal, MaskLower] public partial class ContactLoss { }")]
    [InlineData("[Focal, MaskUpper, {|LD0005:MaskLower|}, SymmetricTranspose] public partial class ContactLoss { }", "[Focal, MaskUpper, SymmetricTranspose] public partial class ContactLoss { }")]
    // Qualified names: the title still says [MaskUpper].
    [InlineData("[LossDsl.Focal][LossDsl.MaskLower][{|LD0005:LossDsl.MaskUpperAttribute|}] public partial class ContactLoss { }", "[LossDsl.Focal][LossDsl.MaskLower] public partial class ContactLoss { }")]
    public Task LD0005_RemovesOnlyTheSecondMask(string source, string fixedSource) =>
        Verify<RemoveMaskCodeFix>(
            "using LossDsl;\n" + source,
            "using LossDsl;\n" + fixedSource,
            source.Contains("{|LD0005:MaskLower", StringComparison.Ordinal) ? "Remove [MaskLower]" : "Remove [MaskUpper]");

    // LD0006: set the parameter to its nearest valid value -----------------------------------------------------------

    [Theory]
    // Closed bounds: the bound itself.
    [InlineData("[{|LD0006:Focal(Gamma = -1)|}]", "[Focal(Gamma = 0)]", "Set Gamma to 0")]
    [InlineData("[{|LD0006:Focal(Gamma = double.NegativeInfinity, Alpha = 0.5)|}]", "[Focal(Gamma = 0, Alpha = 0.5)]", "Set Gamma to 0")]
    [InlineData("[{|LD0006:Focal(Alpha = 1.5)|}]", "[Focal(Alpha = 1)]", "Set Alpha to 1")]
    [InlineData("[{|LD0006:Focal(Alpha = double.PositiveInfinity)|}]", "[Focal(Alpha = 1)]", "Set Alpha to 1")]
    [InlineData("[{|LD0006:BinaryCrossEntropy(LabelSmoothing = -0.1)|}]", "[BinaryCrossEntropy(LabelSmoothing = 0)]", "Set LabelSmoothing to 0")]
    [InlineData("[{|LD0006:Dice(Smooth = -1, Batch = true)|}]", "[Dice(Smooth = 0, Batch = true)]", "Set Smooth to 0")]
    [InlineData("[{|LD0006:Tversky(Alpha = 0.3, Beta = 2)|}]", "[Tversky(Alpha = 0.3, Beta = 1)]", "Set Beta to 1")]
    [InlineData("[Focal][{|LD0006:MinSeparation(0)|}]", "[Focal][MinSeparation(1)]", "Set MinSeparation to 1")]
    [InlineData("[Focal][{|LD0006:MinSeparation(-4)|}]", "[Focal][MinSeparation(1)]", "Set MinSeparation to 1")]
    // Open bounds: 0.01 inside.
    [InlineData("[{|LD0006:BinaryCrossEntropy(PosWeight = 0)|}]", "[BinaryCrossEntropy(PosWeight = 0.01)]", "Set PosWeight to 0.01")]
    [InlineData("[{|LD0006:BinaryCrossEntropy(PosWeight = -3, Weight = 2)|}]", "[BinaryCrossEntropy(PosWeight = 0.01, Weight = 2)]", "Set PosWeight to 0.01")]
    [InlineData("[{|LD0006:BinaryCrossEntropy(LabelSmoothing = 1)|}]", "[BinaryCrossEntropy(LabelSmoothing = 0.99)]", "Set LabelSmoothing to 0.99")]
    [InlineData("[Focal][{|LD0006:TransposeConsistency(Delta = 0)|}]", "[Focal][TransposeConsistency(Delta = 0.01)]", "Set Delta to 0.01")]
    [InlineData("[Focal][{|LD0006:TransposeConsistency(Penalty = SymmetryPenalty.Huber, Delta = -1)|}]", "[Focal][TransposeConsistency(Penalty = SymmetryPenalty.Huber, Delta = 0.01)]", "Set Delta to 0.01")]
    // Undefined enum values: the nearest member, as short as the usings allow.
    [InlineData("[Focal][{|LD0006:TransposeConsistency(Penalty = (SymmetryPenalty)7)|}]", "[Focal][TransposeConsistency(Penalty = SymmetryPenalty.Huber)]", "Set Penalty to SymmetryPenalty.Huber")]
    [InlineData("[Focal][{|LD0006:TransposeConsistency(Space = (ConsistencySpace)(-2))|}]", "[Focal][TransposeConsistency(Space = ConsistencySpace.Probabilities)]", "Set Space to ConsistencySpace.Probabilities")]
    [InlineData("[Focal][{|LD0006:Reduction((LossReduction)5)|}]", "[Focal][Reduction(LossReduction.Sum)]", "Set Reduction to LossReduction.Sum")]
    public Task LD0006_SetsTheNearestValidValue(string attributes, string fixedAttributes, string title) =>
        Verify<ClampParameterCodeFix>(
            "using LossDsl;\n" + attributes + " public partial class ContactLoss { }",
            "using LossDsl;\n" + fixedAttributes + " public partial class ContactLoss { }",
            title);

    [Fact]
    public Task LD0006_QualifiesEnumMembersWithoutAUsing() => Verify<ClampParameterCodeFix>(
        "[LossDsl.Focal][{|LD0006:LossDsl.Reduction((LossDsl.LossReduction)(-1))|}] public partial class ContactLoss { }",
        "[LossDsl.Focal][LossDsl.Reduction(LossDsl.LossReduction.Mean)] public partial class ContactLoss { }",
        "Set Reduction to LossReduction.Mean");

    [Fact]
    public Task LD0006_ReplacesAConstantReferenceAndKeepsComments() => Verify<ClampParameterCodeFix>(
        """
        using LossDsl;

        [{|LD0006:Focal(
            Gamma = ContactLoss.Focus /* tuned */,
            Alpha = 0.25)|}]
        public partial class ContactLoss
        {
            public const double Focus = -0.5;
        }
        """,
        """
        using LossDsl;

        [Focal(
            Gamma = 0 /* tuned */,
            Alpha = 0.25)]
        public partial class ContactLoss
        {
            public const double Focus = -0.5;
        }
        """);

    [Fact]
    public Task LD0006_FixesEveryBadParameterOfAnAttribute()
    {
        // Four diagnostics on one attribute: fixed one at a time, or all at once.
        const string attribute = "Tversky(Alpha = 2, Beta = -1, Gamma = -1, Smooth = -1)";
        var test = new Test<ClampParameterCodeFix>(
            $"using LossDsl;\n[{attribute}] public partial class ContactLoss {{ }}",
            "using LossDsl;\n[Tversky(Alpha = 1, Beta = 0, Gamma = 0, Smooth = 0)] public partial class ContactLoss { }");
        var located = new DiagnosticResult("LD0006", DiagnosticSeverity.Error).WithSpan(2, 2, 2, 2 + attribute.Length);
        test.ExpectedDiagnostics.AddRange(new[] { "Alpha", "Beta", "Gamma", "Smooth" }.Select(p => located.WithArguments("Tversky", p, p is "Alpha" or "Beta" ? "in [0, 1]" : "a finite number ≥ 0", p is "Alpha" ? "2" : "-1")));
        test.NumberOfIncrementalIterations = 4;
        test.NumberOfFixAllIterations = 1;
        return test.RunAsync();
    }

    [Theory]
    // No nearest value: NaN, or infinity on a side without a bound.
    [InlineData("[{|LD0006:Focal(Gamma = double.NaN)|}]")]
    [InlineData("[{|LD0006:Focal(Gamma = double.PositiveInfinity)|}]")]
    [InlineData("[{|LD0006:Focal(Alpha = double.NegativeInfinity)|}]")]
    [InlineData("[{|LD0006:Dice(Smooth = double.PositiveInfinity)|}]")]
    [InlineData("[Focal][{|LD0006:TransposeConsistency(Delta = double.NaN)|}]")]
    public Task LD0006_OffersNoFixWithoutANearestValue(string attributes)
    {
        var source = "using LossDsl;\n" + attributes + " public partial class ContactLoss { }";
        return Verify<ClampParameterCodeFix>(source, source);
    }

    // The package and the docs ------------------------------------------------------------------------------------

    private static readonly CodeFixProvider[] Providers = { new MakePartialCodeFix(), new RemoveMaskCodeFix(), new ClampParameterCodeFix() };

    [Fact]
    public void EveryFixedDiagnosticSaysSoOnItsPageAndNoOtherDoes()
    {
        var fixable = Providers.SelectMany(p => p.FixableDiagnosticIds).OrderBy(id => id, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "LD0001", "LD0005", "LD0006" }, fixable);
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            var line = File.ReadLines(Path.Combine(RepositoryFiles.Root, "docs", "diagnostics", descriptor.Id + ".md"))
                .Single(l => l.StartsWith("| Code fix | ", StringComparison.Ordinal));
            Assert.Equal(!fixable.Contains(descriptor.Id), line == "| Code fix | none |");
        }
    }

    [Fact]
    public void EveryProviderIsExportedForCSharpWithFixAll()
    {
        foreach (var provider in Providers)
        {
            var export = provider.GetType().GetCustomAttribute<ExportCodeFixProviderAttribute>();
            Assert.NotNull(export);
            Assert.Equal(new[] { LanguageNames.CSharp }, export!.Languages);
            Assert.NotNull(provider.GetFixAllProvider());
        }
    }

    [Fact]
    public void TheCodeFixAssemblyHoldsNothingTheCompilerWouldLoad()
    {
        // csc loads an analyzers/ assembly only for its analyzers and generators. Without any, the command-line build
        // never touches LossDsl.CodeFixes, which needs Workspaces, which csc does not have.
        var assembly = typeof(MakePartialCodeFix).Assembly;
        Assert.DoesNotContain(assembly.GetTypes(), t =>
            typeof(DiagnosticAnalyzer).IsAssignableFrom(t) || typeof(ISourceGenerator).IsAssignableFrom(t) || typeof(IIncrementalGenerator).IsAssignableFrom(t)
            || t.IsDefined(typeof(DiagnosticAnalyzerAttribute)) || t.IsDefined(typeof(GeneratorAttribute)));
        // And the generator, which csc does load, must not need Workspaces.
        Assert.DoesNotContain(typeof(LossGenerator).Assembly.GetReferencedAssemblies(), r => r.Name!.Contains("Workspaces", StringComparison.Ordinal));
    }

    [Fact]
    public void TheCodeFixesNeedNoNewerRoslynThan450()
    {
        // Directory.Packages.props: Workspaces 4.5.0, so every host from Roslyn 4.5 on can load the fixes.
        var roslyn = typeof(MakePartialCodeFix).Assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)).ToList();
        Assert.Contains(roslyn, r => r.Name == "Microsoft.CodeAnalysis.Workspaces");
        Assert.All(roslyn, r => Assert.True(r.Version <= new Version(4, 5, 0, 0), $"{r.Name} {r.Version}"));
    }
}
