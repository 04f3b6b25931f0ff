using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// The generator never throws (docs/diagnostics/LD0099.md: an internal error is a diagnostic, not a crash). Broken, half-typed and odd code goes through the real generator;
/// <see cref="GeneratorHarness.Run"/> throws when the generator crashed (CS8785 for a user), and LD0099 would
/// mean the generator caught its own bug.
/// </summary>
public class GeneratorRobustnessTests
{
    private const string Usings = "using LossDsl;\n";

    private static GeneratorHarness.Result RunSafely(string source)
    {
        var result = GeneratorHarness.Run(Usings + source);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "LD0099");
        return result;
    }

    private static string[] Ids(GeneratorHarness.Result result) =>
        result.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToArray();

    public static TheoryData<string, string> BrokenSources() => new()
    {
        { "empty named argument", "[Focal(Gamma = )] public partial class A { }" },
        { "string for a double", "[Focal(Gamma = \"x\")] public partial class A { }" },
        { "null for a double", "[Focal(Gamma = null)] public partial class A { }" },
        { "unknown named argument", "[Focal(Gama = 3)] public partial class A { }" },
        { "positional argument on a term", "[Focal(3)] public partial class A { }" },
        { "unterminated attribute", "[Focal(Gamma = 1 public partial class A { }" },
        { "unterminated argument list, nothing after", "[Focal(Gamma = 1" },
        { "attribute and nothing else", "[Focal]" },
        { "class keyword without a name", "[Focal] public partial class" },
        { "class without a name, with a body", "[Focal] public partial class { }" },
        { "two nameless classes", "[Focal] public partial class { } [Dice] public partial class { }" },
        { "class without a body", "[Focal] public partial class A" },
        { "unclosed body", "[Focal] public partial class A {" },
        { "unclosed body with a nested loss", "public partial class Outer { [Dice] public partial class A {" },
        { "on a struct", "[Focal] public partial struct S { }" },
        { "on a record struct", "[Focal] public partial record struct S;" },
        { "on an interface", "[Focal] public partial interface I { }" },
        { "on an enum", "[Focal] public enum E { A }" },
        { "on a delegate", "[Focal] public delegate void D();" },
        { "on a method", "public partial class A { [Focal] public void M() { } }" },
        { "on a property", "public partial class A { [MaskLower] public int P { get; set; } }" },
        { "on a parameter", "public partial class A { public void M([Dice] int x) { } }" },
        { "on the assembly", "[assembly: Focal] public partial class A { }" },
        { "MinSeparation without its argument", "[Focal][MinSeparation] public partial class A { }" },
        { "MinSeparation with a string", "[Focal][MinSeparation(\"3\")] public partial class A { }" },
        { "MinSeparation with a double", "[Focal][MinSeparation(2.5)] public partial class A { }" },
        { "MinSeparation with int.MinValue", "[Focal][MinSeparation(int.MinValue)] public partial class A { }" },
        { "MinSeparation with int.MaxValue", "[Focal][MinSeparation(int.MaxValue)] public partial class A { }" },
        { "Reduction out of the enum", "[Focal][Reduction((LossReduction)7)] public partial class A { }" },
        { "Reduction negative", "[Focal][Reduction((LossReduction)(-1))] public partial class A { }" },
        { "Reduction with an int", "[Focal][Reduction(1)] public partial class A { }" },
        { "Penalty out of the enum", "[Focal][TransposeConsistency(Penalty = (SymmetryPenalty)9)] public partial class A { }" },
        { "Space out of the enum", "[Focal][TransposeConsistency(Space = (ConsistencySpace)5)] public partial class A { }" },
        { "undefined attribute", "[Focal][NoSuchThing(3)] public partial class A { }" },
        { "undefined attribute only", "[NoSuchThing] public partial class A { }" },
        { "undefined LossDsl-like attribute", "[LossDsl.Focall] public partial class A { }" },
        { "huge Gamma", "[Focal(Gamma = 1e308)] public partial class A { }" },
        { "Gamma overflowing double", "[Focal(Gamma = 1e309)] public partial class A { }" },
        { "Gamma double.MaxValue", "[Focal(Gamma = double.MaxValue, Weight = double.MaxValue)] public partial class A { }" },
        { "Gamma double.Epsilon", "[Focal(Gamma = double.Epsilon, Alpha = -double.MaxValue)] public partial class A { }" },
        { "Gamma integer literal too large", "[Focal(Gamma = 123456789012345678901234567890)] public partial class A { }" },
        { "Gamma ulong.MaxValue", "[Focal(Gamma = 18446744073709551615)] public partial class A { }" },
        { "Gamma as a char", "[Focal(Gamma = 'c')] public partial class A { }" },
        { "Gamma as a non-constant", "[Focal(Gamma = System.Math.PI * System.Environment.TickCount)] public partial class A { }" },
        { "Batch as an int", "[Dice(Batch = 1)] public partial class A { }" },
        { "IncludeDiagonal as a string", "[Focal][MaskLower(IncludeDiagonal = \"no\")] public partial class A { }" },
        { "base class that does not exist", "[Focal] public partial class A : NoSuchBase { }" },
        { "base list of an interface only", "[Focal] public partial class A : System.IComparable { public int CompareTo(object? o) => 0; }" },
        { "derives from LossModule itself", "[Focal] public partial class A : LossModule { }" },
        { "sealed loss", "[Focal] public sealed partial class A { }" },
        { "abstract loss", "[Focal] public abstract partial class A { }" },
        { "file-local loss", "[Focal] file partial class A { }" },
        { "nested in a generic partial class", "public partial class Outer<T> { [Focal] public partial class A { } }" },
        { "nested in a partial struct", "public partial struct Outer { [Focal] public partial class A { } }" },
        { "nested in a partial record", "public partial record Outer { [Focal] public partial class A { } }" },
        { "nested in a partial interface", "public partial interface IOuter { [Focal] public partial class A { } }" },
        { "nested in a static partial class", "public static partial class Outer { [Focal] public partial class A { } }" },
        { "nested loss in a loss", "[Focal] public partial class Outer { [Dice] public partial class Inner { } }" },
        { "loss in a method body (not C#)", "public partial class A { void M() { [Focal] partial class B { } } }" },
        { "loss class named like a keyword", "[Focal] public partial class @class { }" },
        { "loss namespace named like a keyword", "namespace @namespace { [Focal] public partial class A { } }" },
        { "loss class named record", "[Focal] public partial class record { }" },
        { "unicode names", "namespace Données { [Focal] public partial class Perte\u00e9 { } }" },
        { "escaped unicode identifier", "[Focal] public partial class \\u0041Loss { }" },
        { "same attribute via alias", "using F = LossDsl.FocalAttribute;\n[F(Gamma = 1)] public partial class A { }" },
        { "attribute with full name", "[LossDsl.FocalAttribute(Gamma = 1)][global::LossDsl.MaskLower] public partial class A { }" },
        { "every attribute twice", "[Focal][Focal][BinaryCrossEntropy][BinaryCrossEntropy][Dice][Dice][Tversky][Tversky][Symmetrize][Symmetrize][SymmetricTranspose][SymmetricTranspose][MaskLower][MaskLower][MaskUpper][MaskUpper][MinSeparation(1)][MinSeparation(2)][TransposeConsistency][TransposeConsistency][Reduction][Reduction] public partial class A { }" },
        { "user-defined constructor", "[Focal] public partial class A { public A() { } }" },
        { "user-defined forward", "[Focal] public partial class A { public TorchSharp.torch.Tensor forward(TorchSharp.torch.Tensor a, TorchSharp.torch.Tensor b) => a; }" },
        { "member named like a generated local", "[Focal][Dice] public partial class A { private int focal, dice, total, x, y, w, n; }" },
        { "attribute list split by a directive", "[Focal]\n#if DEBUG\n[MaskLower]\n#endif\npublic partial class A { }" },
        { "conflicting user LossDsl namespace type", "namespace LossDsl { public class Extra { } } [Focal] public partial class A { }" },
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public void GeneratorNeverThrows(string description, string source)
    {
        _ = description;
        RunSafely(source);
    }

    [Fact]
    public void LookAlikeAttributesOutsideTheLossDslNamespaceAreIgnored()
    {
        // Only attributes in the namespace LossDsl itself count: not Other.LossDsl's namesakes (which, being first
        // on the class, would otherwise own it, add a second Dice term, or pass for a term on their own).
        var result = RunSafely("""
            namespace Other.LossDsl { public class DiceAttribute : System.Attribute { } public class MaskLowerAttribute : System.Attribute { } }
            [Other.LossDsl.Dice][Focal][Dice] public partial class A { }
            [Other.LossDsl.Dice][Other.LossDsl.MaskLower] public partial class NotALoss { }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        var (hintName, source) = Assert.Single(result.Sources);
        Assert.Equal("A.g.cs", hintName);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
        Assert.Contains("Dice", source, StringComparison.Ordinal);
    }

    [Fact]
    public void UnterminatedAttributeStillDoesNotThrowWhenAttributesFollow()
    {
        RunSafely("[Focal(Gamma = 1\n[MaskLower]\npublic partial class A { }\n[Dice] public partial class B { }");
    }

    [Theory]
    [InlineData("[Focal][Reduction((LossReduction)7)] public partial class A { }", "Reduction(")]
    [InlineData("[Focal][TransposeConsistency(Penalty = (SymmetryPenalty)9)] public partial class A { }", "TransposeConsistency(")]
    [InlineData("[Focal][TransposeConsistency(Space = (ConsistencySpace)5)] public partial class A { }", "TransposeConsistency(")]
    [InlineData("[Focal][MinSeparation(int.MinValue)] public partial class A { }", "MinSeparation(")]
    public void OutOfRangeEnumsAndSeparationsAreDiagnosedNotEmitted(string source, string located)
    {
        var result = RunSafely(source);
        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("LD0006", diagnostic.Id);
        Assert.StartsWith(located, GeneratorTestSupport.LocatedText(result, diagnostic), StringComparison.Ordinal);
        Assert.Empty(result.Sources);
    }

    [Theory]
    [InlineData("[Focal][MinSeparation] public partial class A { }", "CS7036")]
    [InlineData("[Focal][MinSeparation(\"3\")] public partial class A { }", "CS1503")]
    [InlineData("[Focal][MinSeparation(2.5)] public partial class A { }", "CS1503")]
    public void UnusableSeparationIsLeftToTheCompiler(string source, string compilerError)
    {
        // No usable constructor argument: the compiler says why; "MinSeparation must be ≥ 1; got 0" would be made up.
        var result = RunSafely(source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains(result.Input.GetDiagnostics(), d => d.Id == compilerError);
    }

    [Theory]
    [InlineData("[Focal(Gamma = 1e308)] public partial class A { }")]
    [InlineData("[Focal(Gamma = double.MaxValue, Weight = double.MaxValue)] public partial class A { }")]
    [InlineData("[Focal(Gamma = double.Epsilon, Alpha = -double.MaxValue)] public partial class A { }")]
    [InlineData("[Focal(Gamma = 'c')] public partial class A { }")]
    [InlineData("[Tversky(Gamma = 1e300, Smooth = 4.9e-324)] public partial class A { }")]
    [InlineData("[Focal][MinSeparation(int.MaxValue)] public partial class A { }")]
    public void ExtremeButValidLiteralsGenerateCompilableCode(string source)
    {
        var result = RunSafely(source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Single(result.Sources);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
    }

    [Fact]
    public void PartialClassSplitAcrossTwoDeclarationsIsOneLoss()
    {
        var result = RunSafely("""
            [Focal(Gamma = 1)]
            public partial class Split { }

            [MaskLower]
            [SymmetricTranspose]
            public partial class Split { public int Extra => 1; }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Single(result.Sources);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
        // Attributes from the second part count: the mask silences LD0010 and reaches the generated region.
        Assert.Contains("MapHalf.Upper", result.Sources[0].Source, StringComparison.Ordinal);
        Assert.Contains("Focal(a, yT, cellsT", result.Sources[0].Source, StringComparison.Ordinal);
    }

    [Fact]
    public void PartialClassSplitAcrossTwoFilesIsOneLoss()
    {
        // The second part comes without LossDsl attributes, as a user's hand-written half would.
        var result = RunSafely("""
            [Dice]
            public partial class Split { }
            public partial class Split { public int Extra => 1; }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Single(result.Sources);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
    }

    [Fact]
    public void DuplicateTermAcrossTwoPartsIsReportedOnce()
    {
        var result = RunSafely("""
            [Focal]
            public partial class Split { }
            [Focal(Gamma = 1)]
            public partial class Split { }
            """);
        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("LD0008", diagnostic.Id);
        Assert.Equal("Focal(Gamma = 1)", GeneratorTestSupport.LocatedText(result, diagnostic));
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void OnePartNotPartialIsReportedOnceAndNotGenerated()
    {
        var result = RunSafely("""
            [Focal]
            public partial class Split { }
            [MaskLower]
            public class Split { }
            """);
        Assert.Equal(new[] { "LD0001" }, Ids(result));
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void SameClassNameInTwoNamespacesGivesTwoUniquelyNamedSources()
    {
        var result = RunSafely("""
            namespace First { [Focal] public partial class Loss { } }
            namespace Second { [Focal] public partial class Loss { } }
            namespace First.Inner { [Focal] public partial class Loss { } }
            [Focal] public partial class Loss { }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Equal(4, result.Sources.Length);
        Assert.Equal(4, result.Sources.Select(s => s.HintName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Empty(GeneratorTestSupport.Warnings(result));
    }

    [Fact]
    public void SameClassNameNestedInDifferentTypesGivesUniquelyNamedSources()
    {
        var result = RunSafely("""
            namespace N
            {
                public partial class A { [Focal] public partial class Loss { } }
                public partial class B { [Focal] public partial class Loss { } }
                public partial class A { public partial class B { [Focal] public partial class Loss { } } }
                [Focal] public partial class Loss { }
            }
            namespace N.A { [Dice] public partial class Loss2 { } }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Equal(5, result.Sources.Length);
        Assert.Equal(5, result.Sources.Select(s => s.HintName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void ClassNamesDifferingOnlyInCaseGiveDistinctSources()
    {
        // Roslyn compares hint names case-insensitively; two sources must not collide.
        var result = RunSafely("""
            namespace N { [Focal] public partial class Loss { } [Dice] public partial class loss { } }
            namespace n { [Focal] public partial class Loss { } }
            """);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Equal(3, result.Sources.Length);
        Assert.Equal(3, result.Sources.Select(s => s.HintName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Empty(GeneratorTestSupport.Warnings(result));
    }

    [Theory]
    [InlineData("[Focal] public partial class @class { }")]
    [InlineData("[Focal] public partial class @record { }")]
    [InlineData("namespace @event.@var { public partial class @partial { [Focal] public partial class @async { } } }")]
    [InlineData("namespace @namespace { [Focal] public partial class A { } }")]
    [InlineData("namespace N { public partial class @for { [Focal] public partial class @int { } } }")]
    [InlineData("namespace Données { [Focal] public partial class Perteé { } }")]
    [InlineData("[Focal] public partial class \\u0041Loss { }")]
    [InlineData("public partial struct Outer { [Focal] public partial class A { } }")]
    [InlineData("public partial record Outer { [Focal] public partial class A { } }")]
    [InlineData("public partial record struct Outer { [Focal] public partial class A { } }")]
    [InlineData("public partial interface IOuter { [Focal] public partial class A { } }")]
    [InlineData("public static partial class Outer { [Focal] public partial class A { } }")]
    [InlineData("[Focal] public partial class Outer { [Dice] public partial class Inner { } }")]
    [InlineData("[Focal] internal sealed partial class A { }")]
    [InlineData("namespace N; [Focal] public partial class A { }")]
    [InlineData("[Focal][Dice][MaskLower][TransposeConsistency] public partial class A { public int focal = 0, dice = 0, consistency = 0, total = 0, x = 0, y = 0, w = 0, wTotal = 0, n = 0, p = 0, logP = 0, scope = 0, dtype = 0, logits = 0, target = 0, validMask = 0, terms = 0; }")]
    public void UnusualButLegalDeclarationsCompile(string source)
    {
        var result = RunSafely(source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.NotEmpty(result.Sources);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
    }

    [Theory]
    [InlineData("[Focal] public partial struct S { }")]
    [InlineData("[Focal] public partial record struct S;")]
    [InlineData("[Focal] public partial interface I { }")]
    public void NonClassTargetsAreLeftToTheCompiler(string source)
    {
        // [AttributeUsage(Class)] makes this CS0592 already; the generator must neither add a clashing 'partial class'
        // nor pile a misleading LossDsl error on top (e.g. LD0004 "derives from System.ValueType" for a struct).
        var result = RunSafely(source);
        Assert.Contains(result.Input.GetDiagnostics(), d => d.Id == "CS0592");
        Assert.Empty(result.Sources);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id is not "LD0012");
        Assert.DoesNotContain(GeneratorTestSupport.Warnings(result), d => d.Id is "CS0261" or "CS0260" or "CS0101");
    }

    [Fact]
    public void GeneratedClassWithoutNameIsNotEmitted()
    {
        var result = RunSafely("[Focal] public partial class { }");
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void SameNamedFileLocalLossesInTwoFilesAreDiagnosedNotEmitted()
    {
        // Both files declare a file-local 'Loss': two symbols with the very same name and the same plain hint name.
        var first = GeneratorHarness.Compilation(Usings + "[Focal] file partial class Loss { }");
        var second = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
            Usings + "[Dice] file partial class Loss { }",
            (Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)first.SyntaxTrees[0].Options, path: "Other.cs");
        var input = first.AddSyntaxTrees(second);
        GeneratorDriver driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(new LossDsl.Generators.LossGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out _, out var diagnostics);
        var run = driver.GetRunResult();
        Assert.All(run.Results, r => Assert.Null(r.Exception));
        Assert.Equal(new[] { "LD0014", "LD0014" }, diagnostics.Select(d => d.Id));
        Assert.Empty(run.Results.SelectMany(r => r.GeneratedSources));
    }

    [Fact]
    public void HintNamesAreReadableUnlessCaseMakesThemAmbiguous()
    {
        var result = RunSafely("""
            namespace N { public partial class Outer { [Focal] public partial class Loss { } } }
            namespace @event { [Focal] public partial class @class { } }
            [Focal] public partial class Plain { }
            namespace M { [Focal] public partial class Loss { } [Dice] public partial class loss { } }
            """);
        var hints = result.Sources.Select(s => s.HintName).ToList();
        Assert.Contains("N.Outer+Loss.g.cs", hints);
        Assert.Contains("event.class.g.cs", hints);
        Assert.Contains("Plain.g.cs", hints);
        Assert.Contains(hints, h => h.StartsWith("M.Loss.", StringComparison.Ordinal) && h != "M.Loss.g.cs");
        Assert.Contains(hints, h => h.StartsWith("M.loss.", StringComparison.Ordinal) && h != "M.loss.g.cs");
        Assert.Empty(GeneratorTestSupport.Warnings(result));
    }

    [Fact]
    public void ManyLossesInOneCompilation()
    {
        var source = string.Join("\n", Enumerable.Range(0, 200).Select(i =>
            $"[Focal(Gamma = {i % 5}, Weight = {i}.5)][MinSeparation({1 + i % 7})]{(i % 2 == 0 ? "[MaskLower]" : "[MaskUpper]")} public partial class Loss{i} {{ }}"));
        var result = RunSafely(source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Equal(200, result.Sources.Length);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
    }
}
