using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// docs/diagnostics and docs/attributes.md, "Combinations: errors and warnings": every misuse is an <c>LDxxxx</c> diagnostic located on the offending attribute (or, for
/// class-level misuse, on the class's identifier); errors generate nothing, warnings still generate code that compiles.
/// </summary>
public class DiagnosticTests
{
    private static GeneratorHarness.Result Run(string declarations) => GeneratorHarness.Run("using LossDsl;\n" + declarations);

    /// <summary>Asserts that the generator reported exactly one diagnostic, <paramref name="id"/>, located on text
    /// starting with <paramref name="locatedPrefix"/>, and returns it.</summary>
    private static Diagnostic Single(GeneratorHarness.Result result, string id, DiagnosticSeverity severity, string locatedPrefix)
    {
        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal(severity, diagnostic.Descriptor.DefaultSeverity);
        Assert.StartsWith(locatedPrefix, GeneratorTestSupport.LocatedText(result, diagnostic), StringComparison.Ordinal);
        // A clear message: never a leftover placeholder.
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotMatch(@"\{\d\}", message);
        return diagnostic;
    }

    private static Diagnostic Error(GeneratorHarness.Result result, string id, string locatedPrefix)
    {
        var diagnostic = Single(result, id, DiagnosticSeverity.Error, locatedPrefix);
        Assert.Empty(result.Sources);
        return diagnostic;
    }

    private static Diagnostic Warning(GeneratorHarness.Result result, string id, string locatedPrefix)
    {
        var diagnostic = Single(result, id, DiagnosticSeverity.Warning, locatedPrefix);
        Assert.Single(result.Sources);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
        return diagnostic;
    }

    private static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    // LD0001 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Focal] public class ContactLoss { }")]
    [InlineData("[Focal] internal sealed class ContactLoss { }")]
    [InlineData("[MaskLower][Dice] class ContactLoss { }")]
    public void LD0001_NotPartial(string source)
    {
        var result = Run(source);
        var d = Error(result, "LD0001", "ContactLoss");
        Assert.Equal("ContactLoss", GeneratorTestSupport.LocatedText(result, d));
        Assert.Contains("'ContactLoss'", Message(d), StringComparison.Ordinal);
    }

    // LD0002 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Focal] public partial class ContactLoss<T> { }", "ContactLoss")]
    [InlineData("[Focal] public partial class ContactLoss<TLogits, TTarget> where TLogits : class { }", "ContactLoss")]
    [InlineData("public partial class Outer<T> { [Focal] public partial class ContactLoss { } }", "ContactLoss")]
    public void LD0002_Generic(string source, string located)
    {
        var result = Run(source);
        var d = Error(result, "LD0002", located);
        Assert.Equal(located, GeneratorTestSupport.LocatedText(result, d));
    }

    // LD0003 ---------------------------------------------------------------------------------------------------------

    [Fact]
    public void LD0003_Static()
    {
        var result = Run("[Focal(Gamma = 1)] public static partial class ContactLoss { }");
        var d = Error(result, "LD0003", "ContactLoss");
        Assert.Equal("ContactLoss", GeneratorTestSupport.LocatedText(result, d));
    }

    // LD0004 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("public class Base { } [Focal] public partial class ContactLoss : Base { }", "Base")]
    [InlineData("public class Base { } [Focal] public partial class ContactLoss : Base, System.IDisposable { public void Dispose() { } }", "Base")]
    [InlineData("[Focal] public partial class ContactLoss : System.Exception { }", "System.Exception")]
    [InlineData("public class Base<T> { } [Dice] public partial class ContactLoss : Base<int> { }", "Base<int>")]
    public void LD0004_OwnBaseClass(string source, string baseClass)
    {
        var result = Run(source);
        var d = Error(result, "LD0004", "ContactLoss");
        Assert.Equal("ContactLoss", GeneratorTestSupport.LocatedText(result, d));
        Assert.Contains($"'{baseClass}'", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void LD0004_InterfacesAreFine()
    {
        var result = Run("public interface ITagged { } [Focal] public partial class ContactLoss : ITagged { }");
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Single(result.Sources);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
    }

    // LD0005 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Focal][MaskLower][MaskUpper] public partial class ContactLoss { }", "MaskUpper")]
    [InlineData("[Focal][MaskUpper(IncludeDiagonal = false)][MaskLower] public partial class ContactLoss { }", "MaskLower")]
    [InlineData("[MaskLower(IncludeDiagonal = false)][Focal][SymmetricTranspose][MaskUpper(IncludeDiagonal = true)] public partial class ContactLoss { }", "MaskUpper(IncludeDiagonal = true)")]
    public void LD0005_BothMasks_OnTheSecondMask(string source, string located)
    {
        var result = Run(source);
        var d = Error(result, "LD0005", located);
        Assert.Contains("'ContactLoss'", Message(d), StringComparison.Ordinal);
    }

    // LD0006 ---------------------------------------------------------------------------------------------------------

    [Theory]
    // Gamma < 0 (Focal and Tversky)
    [InlineData("[Focal(Gamma = -1)]", "Focal(", "Gamma")]
    [InlineData("[Focal(Gamma = -0.001, Alpha = 0.5)]", "Focal(", "Gamma")]
    [InlineData("[Tversky(Gamma = -2)]", "Tversky(", "Gamma")]
    // Non-finite parameters
    [InlineData("[Focal(Gamma = double.NaN)]", "Focal(", "Gamma")]
    [InlineData("[Focal(Gamma = double.PositiveInfinity)]", "Focal(", "Gamma")]
    [InlineData("[Dice(Smooth = double.PositiveInfinity)]", "Dice(", "Smooth")]
    // Alpha > 1 (Focal and Tversky); Tversky's α and β must also be ≥ 0
    [InlineData("[Focal(Alpha = 1.5)]", "Focal(", "Alpha")]
    [InlineData("[Focal(Alpha = 1.0000001)]", "Focal(", "Alpha")]
    [InlineData("[Tversky(Alpha = 1.5)]", "Tversky(", "Alpha")]
    [InlineData("[Tversky(Alpha = -0.5)]", "Tversky(", "Alpha")]
    [InlineData("[Tversky(Beta = 2)]", "Tversky(", "Beta")]
    // Smooth < 0 (Dice and Tversky)
    [InlineData("[Dice(Smooth = -1)]", "Dice(", "Smooth")]
    [InlineData("[Tversky(Smooth = -0.5)]", "Tversky(", "Smooth")]
    // Smooth < 0 (Jaccard), Smooth ≤ 0 (MatthewsCorrelation)
    [InlineData("[Jaccard(Smooth = -1)]", "Jaccard(", "Smooth")]
    [InlineData("[Jaccard(Smooth = double.NaN)]", "Jaccard(", "Smooth")]
    [InlineData("[MatthewsCorrelation(Smooth = 0)]", "MatthewsCorrelation(", "Smooth")]
    [InlineData("[MatthewsCorrelation(Smooth = -1e-5)]", "MatthewsCorrelation(", "Smooth")]
    [InlineData("[MatthewsCorrelation(Smooth = double.PositiveInfinity)]", "MatthewsCorrelation(", "Smooth")]
    // PosWeight ≤ 0
    [InlineData("[BinaryCrossEntropy(PosWeight = 0)]", "BinaryCrossEntropy(", "PosWeight")]
    [InlineData("[BinaryCrossEntropy(PosWeight = -3)]", "BinaryCrossEntropy(", "PosWeight")]
    // LabelSmoothing ∉ [0, 1)
    [InlineData("[BinaryCrossEntropy(LabelSmoothing = 1.0)]", "BinaryCrossEntropy(", "LabelSmoothing")]
    [InlineData("[BinaryCrossEntropy(LabelSmoothing = -0.1)]", "BinaryCrossEntropy(", "LabelSmoothing")]
    [InlineData("[BinaryCrossEntropy(LabelSmoothing = 2)]", "BinaryCrossEntropy(", "LabelSmoothing")]
    // Delta ≤ 0
    [InlineData("[Focal][TransposeConsistency(Delta = 0)]", "TransposeConsistency(", "Delta")]
    [InlineData("[Focal][TransposeConsistency(Penalty = SymmetryPenalty.Huber, Delta = -1)]", "TransposeConsistency(", "Delta")]
    [InlineData("[Focal][TransposeConsistency(Delta = double.NaN)]", "TransposeConsistency(", "Delta")]
    // MinSeparation < 1
    [InlineData("[Focal][MinSeparation(0)]", "MinSeparation(", "Separation")]
    [InlineData("[Focal][MinSeparation(-4)]", "MinSeparation(", "Separation")]
    public void LD0006_ParameterOutOfRange(string attributes, string located, string parameter)
    {
        var result = Run(attributes + " public partial class ContactLoss { }");
        var d = Error(result, "LD0006", located);
        Assert.Contains("." + parameter + " must be", Message(d), StringComparison.Ordinal);
    }

    // What LD0006's code fix reads: the argument (as the parser names it) and its nearest valid value, if there is one.
    [Theory]
    [InlineData("[Focal(Gamma = -1)]", "Gamma", "0")]
    [InlineData("[Focal(Gamma = double.NegativeInfinity)]", "Gamma", "0")]
    [InlineData("[Focal(Gamma = double.PositiveInfinity)]", "Gamma", null)]
    [InlineData("[Focal(Gamma = double.NaN)]", "Gamma", null)]
    [InlineData("[Focal(Alpha = 1.5)]", "Alpha", "1")]
    [InlineData("[Focal(Alpha = double.PositiveInfinity)]", "Alpha", "1")]
    [InlineData("[Focal(Alpha = double.NegativeInfinity)]", "Alpha", null)]
    [InlineData("[BinaryCrossEntropy(PosWeight = 0)]", "PosWeight", "0.01")]
    [InlineData("[BinaryCrossEntropy(PosWeight = -3)]", "PosWeight", "0.01")]
    [InlineData("[BinaryCrossEntropy(LabelSmoothing = 1.0)]", "LabelSmoothing", "0.99")]
    [InlineData("[BinaryCrossEntropy(LabelSmoothing = 2)]", "LabelSmoothing", "0.99")]
    [InlineData("[BinaryCrossEntropy(LabelSmoothing = -0.1)]", "LabelSmoothing", "0")]
    [InlineData("[Dice(Smooth = -1)]", "Smooth", "0")]
    [InlineData("[Dice(Smooth = double.PositiveInfinity)]", "Smooth", null)]
    [InlineData("[Tversky(Alpha = -0.5)]", "Alpha", "0")]
    [InlineData("[Tversky(Beta = 2)]", "Beta", "1")]
    [InlineData("[Tversky(Gamma = -2)]", "Gamma", "0")]
    [InlineData("[Tversky(Smooth = -0.5)]", "Smooth", "0")]
    [InlineData("[Jaccard(Smooth = -0.5)]", "Smooth", "0")]
    [InlineData("[MatthewsCorrelation(Smooth = 0)]", "Smooth", "0.01")]
    [InlineData("[MatthewsCorrelation(Smooth = -2)]", "Smooth", "0.01")]
    [InlineData("[Focal][TransposeConsistency(Delta = 0)]", "Delta", "0.01")]
    [InlineData("[Focal][TransposeConsistency(Delta = -1)]", "Delta", "0.01")]
    [InlineData("[Focal][TransposeConsistency(Delta = double.NaN)]", "Delta", null)]
    [InlineData("[Focal][TransposeConsistency(Delta = double.PositiveInfinity)]", "Delta", null)]
    [InlineData("[Focal][TransposeConsistency(Penalty = (SymmetryPenalty)(-1))]", "Penalty", "global::LossDsl.SymmetryPenalty.L1")]
    [InlineData("[Focal][TransposeConsistency(Penalty = (SymmetryPenalty)7)]", "Penalty", "global::LossDsl.SymmetryPenalty.Huber")]
    [InlineData("[Focal][TransposeConsistency(Space = (ConsistencySpace)2)]", "Space", "global::LossDsl.ConsistencySpace.Logits")]
    [InlineData("[Focal][Reduction((LossReduction)5)]", "#0", "global::LossDsl.LossReduction.Sum")]
    [InlineData("[Focal][Reduction((LossReduction)(-1))]", "#0", "global::LossDsl.LossReduction.Mean")]
    [InlineData("[Focal][MinSeparation(0)]", "#0", "1")]
    [InlineData("[Focal][MinSeparation(-4)]", "#0", "1")]
    public void LD0006_CarriesTheParameterAndItsNearestValidValue(string attributes, string parameter, string? nearest)
    {
        var result = Run(attributes + " public partial class ContactLoss { }");
        var d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("LD0006", d.Id);
        Assert.Equal(parameter, d.Properties["Parameter"]);
        if (nearest is null) Assert.False(d.Properties.ContainsKey("Nearest"));
        else Assert.Equal(nearest, d.Properties["Nearest"]);
    }

    [Fact]
    public void OnlyLD0006CarriesProperties()
    {
        var result = Run("public class Base { } public class Outer { [Focal(Weight = -1)][Focal][MaskLower][MaskUpper][SymmetricTranspose] public class ContactLoss<T> : Base { } }");
        Assert.Equal(
            new[] { "LD0001", "LD0002", "LD0004", "LD0005", "LD0007", "LD0008", "LD0013" },
            result.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
        Assert.All(result.GeneratorDiagnostics, d => Assert.Empty(d.Properties));
    }

    [Fact]
    public void LD0006_EachBadParameterIsReported()
    {
        var result = Run("[Tversky(Alpha = 2, Beta = -1, Gamma = -1, Smooth = -1)] public partial class ContactLoss { }");
        Assert.Equal(4, result.GeneratorDiagnostics.Length);
        Assert.All(result.GeneratorDiagnostics, d =>
        {
            Assert.Equal("LD0006", d.Id);
            Assert.StartsWith("Tversky(", GeneratorTestSupport.LocatedText(result, d), StringComparison.Ordinal);
        });
        Assert.Empty(result.Sources);
    }

    // LD0007 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Focal(Weight = double.NaN)]", "Focal(")]
    [InlineData("[Focal(Weight = double.PositiveInfinity)]", "Focal(")]
    [InlineData("[Focal(Weight = double.NegativeInfinity)]", "Focal(")]
    [InlineData("[Focal(Weight = -1)]", "Focal(")]
    [InlineData("[BinaryCrossEntropy(Weight = -0.5)]", "BinaryCrossEntropy(")]
    [InlineData("[Dice(Weight = double.NaN)]", "Dice(")]
    [InlineData("[Tversky(Weight = -1e-9)]", "Tversky(")]
    [InlineData("[Jaccard(Weight = -1)]", "Jaccard(")]
    [InlineData("[MatthewsCorrelation(Weight = double.NaN)]", "MatthewsCorrelation(")]
    [InlineData("[LovaszHinge(Weight = -0.5)]", "LovaszHinge(")]
    [InlineData("[Focal][TransposeConsistency(Weight = double.PositiveInfinity)]", "TransposeConsistency(")]
    [InlineData("[Focal][TransposeConsistency(Weight = -0.1)]", "TransposeConsistency(")]
    public void LD0007_BadWeight(string attributes, string located)
    {
        var result = Run(attributes + " public partial class ContactLoss { }");
        var d = Error(result, "LD0007", located);
        Assert.Contains(".Weight must be", Message(d), StringComparison.Ordinal);
    }

    // LD0008 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Focal][Dice][Focal(Gamma = 1)]", "Focal(Gamma = 1)")]
    [InlineData("[BinaryCrossEntropy(Weight = 2)][BinaryCrossEntropy]", "BinaryCrossEntropy")]
    [InlineData("[Dice(Batch = true)][MaskLower][Dice(Batch = false)]", "Dice(Batch = false)")]
    [InlineData("[Tversky][Tversky(Alpha = 0.3, Beta = 0.7)]", "Tversky(Alpha = 0.3, Beta = 0.7)")]
    [InlineData("[Jaccard][Tversky][Jaccard(Smooth = 0)]", "Jaccard(Smooth = 0)")]
    [InlineData("[MatthewsCorrelation][MatthewsCorrelation(Batch = true)]", "MatthewsCorrelation(Batch = true)")]
    [InlineData("[LovaszHinge][Focal][LovaszHinge(Weight = 2)]", "LovaszHinge(Weight = 2)")]
    public void LD0008_DuplicateTerm_OnTheRepetition(string attributes, string located)
    {
        var result = Run(attributes + " public partial class ContactLoss { }");
        var d = Error(result, "LD0008", located);
        Assert.Equal(located, GeneratorTestSupport.LocatedText(result, d));
    }

    // LD0009 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Symmetrize]", "Symmetrize")]
    [InlineData("[SymmetricTranspose][MaskLower]", "SymmetricTranspose")]
    [InlineData("[MaskUpper(IncludeDiagonal = false)]", "MaskUpper(")]
    [InlineData("[MinSeparation(6)][MaskLower]", "MinSeparation(6)")]
    [InlineData("[TransposeConsistency(Penalty = SymmetryPenalty.L1)]", "TransposeConsistency(")]
    [InlineData("[Reduction(LossReduction.Sum)][Symmetrize]", "Reduction(")]
    public void LD0009_NoTerm_OnTheFirstAttribute(string attributes, string located)
    {
        var result = Run(attributes + " public partial class ContactLoss { }");
        var d = Error(result, "LD0009", located);
        Assert.Contains("'ContactLoss'", Message(d), StringComparison.Ordinal);
    }

    // LD0010 (warning) -----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Focal(Gamma = 2)][SymmetricTranspose]")]
    [InlineData("[SymmetricTranspose][Dice][MinSeparation(3)]")]
    [InlineData("[BinaryCrossEntropy][SymmetricTranspose][TransposeConsistency]")]
    public void LD0010_SymmetricTransposeWithoutMask(string attributes)
    {
        var result = Run(attributes + " public partial class ContactLoss { }");
        Warning(result, "LD0010", "SymmetricTranspose");
    }

    // LD0011 (warning) -----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Focal][Symmetrize][TransposeConsistency]", "TransposeConsistency")]
    [InlineData("[Focal][Symmetrize][TransposeConsistency(Penalty = SymmetryPenalty.Mse, Weight = 0.5)][MaskLower]", "TransposeConsistency(")]
    [InlineData("[Focal][Symmetrize][SymmetricTranspose]", "SymmetricTranspose")]
    [InlineData("[Dice][SymmetricTranspose][MaskUpper][Symmetrize]", "SymmetricTranspose")]
    public void LD0011_Redundant(string attributes, string located)
    {
        var result = Run(attributes + " public partial class ContactLoss { }");
        var d = Warning(result, "LD0011", located);
        Assert.Contains("[Symmetrize]", Message(d), StringComparison.Ordinal);
    }

    [Fact]
    public void LD0011_BothRedundanciesAtOnce()
    {
        var result = Run("[Focal][Symmetrize][SymmetricTranspose][TransposeConsistency] public partial class ContactLoss { }");
        Assert.Equal(2, result.GeneratorDiagnostics.Length);
        Assert.All(result.GeneratorDiagnostics, d => Assert.Equal(("LD0011", DiagnosticSeverity.Warning), (d.Id, d.Severity)));
        Assert.Equal(
            new[] { "SymmetricTranspose", "TransposeConsistency" },
            result.GeneratorDiagnostics.Select(d => GeneratorTestSupport.LocatedText(result, d)).OrderBy(t => t, StringComparer.Ordinal));
        Assert.Single(result.Sources);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
    }

    // LD0012 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Focal] public partial record ContactLoss;")]
    [InlineData("[Focal] public partial record class ContactLoss(double Scale);")]
    [InlineData("[Dice] public partial record ContactLoss { }")]
    public void LD0012_Record(string source)
    {
        var result = Run(source);
        var d = Error(result, "LD0012", "ContactLoss");
        Assert.Equal("ContactLoss", GeneratorTestSupport.LocatedText(result, d));
    }

    // LD0013 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("public class Outer { [Focal] public partial class ContactLoss { } }", "Outer")]
    [InlineData("public partial class Outer { public class Middle { [Dice] public partial class ContactLoss { } } }", "Middle")]
    [InlineData("namespace N { public static class Losses { [Focal][MaskLower] public partial class ContactLoss { } } }", "Losses")]
    public void LD0013_ContainerNotPartial(string source, string container)
    {
        var result = Run(source);
        var d = Error(result, "LD0013", "ContactLoss");
        Assert.Equal("ContactLoss", GeneratorTestSupport.LocatedText(result, d));
        Assert.Contains($"'{container}'", Message(d), StringComparison.Ordinal);
    }

    // LD0014 ---------------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Focal] file partial class ContactLoss { }")]
    [InlineData("[Focal][MaskLower] file sealed partial class ContactLoss { }")]
    public void LD0014_FileLocal(string source)
    {
        var result = Run(source);
        var d = Error(result, "LD0014", "ContactLoss");
        Assert.Equal("ContactLoss", GeneratorTestSupport.LocatedText(result, d));
    }

    // Several misuses at once are all reported ----------------------------------------------------------------------

    [Fact]
    public void EveryClassLevelMisuseIsReported()
    {
        var result = Run("public class Base { } public class Outer { [Focal] public class ContactLoss<T> : Base { } }");
        Assert.Equal(
            new[] { "LD0001", "LD0002", "LD0004", "LD0013" },
            result.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
        Assert.All(result.GeneratorDiagnostics, d => Assert.Equal("ContactLoss", GeneratorTestSupport.LocatedText(result, d)));
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void EveryDescriptorIsCoveredAndDocumented()
    {
        var ids = LossDsl.Generators.DiagnosticDescriptors.All.Select(d => d.Id).ToList();
        Assert.Equal(Enumerable.Range(1, 14).Select(i => $"LD{i:0000}").Append("LD0099"), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var tests = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).ToList();
        foreach (var id in ids.Where(id => id != "LD0099"))
            Assert.Contains(tests, name => name.StartsWith(id + "_", StringComparison.Ordinal));
        Assert.All(LossDsl.Generators.DiagnosticDescriptors.All, d =>
        {
            Assert.Equal("LossDsl", d.Category);
            Assert.True(d.IsEnabledByDefault);
            Assert.False(string.IsNullOrWhiteSpace(d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    // Misuse-free code -----------------------------------------------------------------------------------------------

    [Fact]
    public void ValidClassesWithEveryAttributeGiveNoDiagnosticsAndCompileCleanly()
    {
        var result = Run("""
            namespace Valid
            {
                [Focal(Gamma = 0, Alpha = -1, Weight = 0)]
                [BinaryCrossEntropy(PosWeight = 1e-6, LabelSmoothing = 0, Weight = 1e6)]
                [Dice(Smooth = 0, Batch = true, Weight = 0.5)]
                [Tversky(Alpha = 0, Beta = 1, Gamma = 0, Smooth = 0, Batch = false, Weight = 2)]
                [SymmetricTranspose]
                [MaskLower(IncludeDiagonal = false)]
                [MinSeparation(1)]
                [TransposeConsistency(Penalty = SymmetryPenalty.Huber, Delta = 1e-3, Weight = 0, Space = ConsistencySpace.Logits)]
                [Reduction(LossReduction.Sum)]
                public partial class Everything { }

                [Focal(Gamma = 5, Alpha = 1)]
                [BinaryCrossEntropy(LabelSmoothing = 0.999)]
                [Symmetrize]
                [MaskUpper]
                [MinSeparation(12)]
                [Reduction(LossReduction.Mean)]
                internal sealed partial class SymmetrizedUpper { }

                [Tversky(Alpha = 1, Beta = 0)]
                [TransposeConsistency(Penalty = SymmetryPenalty.L1, Space = ConsistencySpace.Probabilities)]
                [Reduction]
                public partial class TverskyWithPenalty : System.IDisposable { }

                [Dice]
                [TransposeConsistency(Penalty = SymmetryPenalty.Mse)]
                [MaskUpper(IncludeDiagonal = true)]
                [SymmetricTranspose]
                public partial class DiceMse { }

                public partial class Outer
                {
                    internal partial class Inner
                    {
                        [BinaryCrossEntropy(PosWeight = 19)]
                        [FocalAttribute(Weight = 0.25)]
                        [LossDsl.MaskLower]
                        private partial class Nested { }
                    }
                }
            }

            [Focal]
            public partial class GlobalLoss { }

            // Every term at once, each with its own local in the generated code (Tversky and Jaccard side by side).
            [Focal][BinaryCrossEntropy][Dice][Tversky][Jaccard(Smooth = 0, Batch = true)][MatthewsCorrelation(Smooth = 1e-9)][LovaszHinge(Batch = true, Weight = 0.5)]
            [SymmetricTranspose][MaskLower]
            public partial class EveryTerm { }

            [Tversky][Jaccard]
            public partial class TverskyAndJaccard { }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Equal(8, result.Sources.Length);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
    }
}
