using System;
using System.IO;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// Every reference case, value and gradient, at the reference tolerance (tol = 1e-5 for float32 input, 1e-10 for float64;
/// value relative, gradient relative to its largest element); contiguous input through the fused kernel when the class
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

    [Fact]
    public void AllNinetyFiveCasesAreThere() => Assert.Equal(95, ReferenceVectors.Cases.Count);

    [Fact]
    public void CopyMatchesSharedVectors()
    {
        var shared = Path.Combine(ReferenceVectors.RepositoryRoot, "..", "shared", "vectors");
        if (!Directory.Exists(shared)) return; // a clone without shared/ beside it has only the committed copy
        var names = Directory.GetFiles(shared, "*.json").Select(Path.GetFileName).OrderBy(n => n).ToList();
        Assert.Equal(names, Directory.GetFiles(ReferenceVectors.Folder, "*.json").Select(Path.GetFileName).OrderBy(n => n));
        foreach (var n in names)
            Assert.True(File.ReadAllBytes(Path.Combine(shared, n!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(ReferenceVectors.Folder, n!))), n + " differs from shared/vectors");
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
        double rtol = dtype == ScalarType.Float32 ? 1e-5 : 1e-10;
        Numerics.AssertClose(c.Loss, value.to(ScalarType.Float64).item<double>(), rtol, $"{c.Name} {c.Attributes} loss");
        var grad = x.grad!.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        Numerics.AssertGradClose(c.Grad, grad, rtol, $"{c.Name} {c.Attributes} grad");
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
