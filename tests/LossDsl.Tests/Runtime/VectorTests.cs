using System;
using System.IO;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// Every reference case, value and gradient, at the tolerance of docs/attributes.md, "Accuracy" (<see cref="Numerics"/>); contiguous input through the fused kernel when the class
/// has one, a strided view of the same values through the composed path.
/// </summary>
public class VectorTests
{
    public static TheoryData<string> Names() => new(ReferenceVectors.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesOracleInItsOwnDtype(string name)
    {
        var c = ReferenceVectors.Case(name);
        Check(c, c.Dtype == "float32" ? ScalarType.Float32 : ScalarType.Float64, contiguous: true);
    }

    // float32 cases hold float32-representable inputs, so they can be run exactly in float64 too.
    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesOracleInFloat64(string name)
    {
        var c = ReferenceVectors.Case(name);
        Check(c, ScalarType.Float64, contiguous: true);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesOracleOnNonContiguousInput(string name)
    {
        var c = ReferenceVectors.Case(name);
        Check(c, c.Dtype == "float32" ? ScalarType.Float32 : ScalarType.Float64, contiguous: false);
    }

    /// <summary>Every file is a case named as its file, the files are case000 up without a gap, and tests/oracle/README.md's ranges cover them.</summary>
    [Fact]
    public void EveryVectorFileIsACase()
    {
        var files = Directory.GetFiles(ReferenceVectors.Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        Assert.Equal(files, ReferenceVectors.Cases.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal));
        // The oracle's README gives the command of each range: together they write exactly these files.
        var readme = File.ReadAllText(Path.Combine(ReferenceVectors.RepositoryRoot, "tests", "oracle", "README.md"));
        var documented = System.Text.RegularExpressions.Regex.Matches(readme, @"^\| case(\d{3})–(\d{3})", System.Text.RegularExpressions.RegexOptions.Multiline)
            .SelectMany(m => Enumerable.Range(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value) - int.Parse(m.Groups[1].Value) + 1))
            .Select(k => $"case{k:000}").OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(files, documented);
    }

    /// <summary>One case through the fused (contiguous) or composed path; <paramref name="boolTarget"/>: its 0/1 target as bool.</summary>
    internal static void Check(VectorCase c, ScalarType dtype, bool contiguous, bool boolTarget = false)
    {
        using var scope = NewDisposeScope();
        using var loss = ReferenceVectors.Loss(c);
        var x = Make(c.Logits, c.Shape, dtype, contiguous).requires_grad_(true);
        var y = boolTarget ? Make(c.Target, c.Shape, ScalarType.Float64, contiguous) > 0.5 : Make(c.Target, c.Shape, dtype, contiguous);
        // The mask stays float64 whatever the logits' dtype: any float (or bool) mask is accepted.
        var valid = c.Valid is null ? null : tensor(c.Valid, dtype: ScalarType.Float64).reshape(c.ValidShape!);
        var fusedRuns = Fused.FusedLoss.RunsOnThisThread;
        var value = loss.call(x, y, valid);
        // A class with a term that cannot be fused has no kernel and always runs composed.
        bool fused = contiguous && GeneratorHarness.HasFusedKernel(loss);
        Assert.Equal(fused ? fusedRuns + 1 : fusedRuns, Fused.FusedLoss.RunsOnThisThread);
        value.backward();
        double rtol = Numerics.Tolerance(dtype);
        Numerics.AssertClose(c.Loss, value.to(ScalarType.Float64).item<double>(), rtol, $"{c.Name} {c.Attributes} loss");
        var grad = x.grad!.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        Numerics.AssertGradClose(c.Grad, grad, rtol, $"{c.Name} {c.Attributes} grad");
    }

    // TermValues comes from the fused kernel's value pass where the class has one: each term as the composed path has it.
    [Theory]
    [MemberData(nameof(Names))]
    public void TermValuesOfTheFusedKernelMatchTheComposedPath(string name)
    {
        var c = ReferenceVectors.Case(name);
        var dtype = c.Dtype == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        using var scope = NewDisposeScope();
        using var fused = ReferenceVectors.Loss(c);
        using var composed = ReferenceVectors.Loss(c);
        composed.UseFusedKernel = false;
        var x = Make(c.Logits, c.Shape, dtype, contiguous: true);
        var y = Make(c.Target, c.Shape, dtype, contiguous: true);
        var valid = c.Valid is null ? null : tensor(c.Valid, dtype: ScalarType.Float64).reshape(c.ValidShape!);
        var fusedRuns = Fused.FusedLoss.RunsOnThisThread;
        var fromKernel = fused.TermValues(x, y, valid);
        Assert.Equal(GeneratorHarness.HasFusedKernel(fused) ? fusedRuns + 1 : fusedRuns, Fused.FusedLoss.RunsOnThisThread);
        var expected = composed.TermValues(x, y, valid);
        Assert.Equal(expected.Select(t => (t.Name, t.Weight)), fromKernel.Select(t => (t.Name, t.Weight)));
        double rtol = Numerics.Tolerance(dtype), total = expected.Sum(t => Math.Abs(t.Contribution));
        for (int k = 0; k < expected.Count; k++)
            Assert.True(Math.Abs(fromKernel[k].Value - expected[k].Value) <= rtol * Math.Abs(expected[k].Value) + 1e-12 * (1 + total),
                $"{c.Name} {c.Attributes} {expected[k].Name}: kernel {fromKernel[k].Value:R}, composed {expected[k].Value:R}");
        Numerics.AssertClose(c.Loss, fromKernel.Sum(t => t.Contribution), rtol, $"{c.Name} {c.Attributes} sum of the term values");
    }

    /// <summary>The values in a tensor of <paramref name="shape"/>; non-contiguous: a transposed view of the transposed values.</summary>
    internal static Tensor Make(double[] values, long[] shape, ScalarType dtype, bool contiguous)
    {
        var t = tensor(values, dtype: ScalarType.Float64).reshape(shape).to(dtype);
        if (contiguous) return t.detach();
        var view = t.transpose(-1, -2).contiguous().transpose(-1, -2).detach();
        Assert.False(view.is_contiguous());
        return view;
    }
}
