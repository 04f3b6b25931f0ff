using System;
using System.Runtime.Intrinsics;
using LossDsl.Fused;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// The fused kernels' float32 lanes against their float64 lanes on the same (float32-representable) inputs: exp,
/// log1p, the activation and each elementwise term, value and derivative, from saturated logits to zero.
/// </summary>
public class LaneMathTests
{
    public LaneMathTests() => NarrowLaneTests.RequireTheSwitchTookInTheChildRun();

    /// <summary>Logits from −1e4 to 1e4: dense near 0, then geometric out to the saturated range; both signs and 0.</summary>
    private static float[] Logits()
    {
        var xs = new System.Collections.Generic.List<float> { 0f };
        for (double m = 1e-6; m <= 1e4; m *= 1.07)
        {
            xs.Add((float)m);
            xs.Add((float)-m);
        }
        for (int k = -400; k <= 400; k++) xs.Add(k * 0.05f);
        while (xs.Count % 16 != 0) xs.Add(1f);
        return xs.ToArray();
    }

    private delegate void Lanes<T>(Vector512<T> x, Span<T> outputs);

    /// <summary>Runs <paramref name="single"/> and <paramref name="double"/> lane by lane over the logits and compares each output.</summary>
    private static void Compare(int outputs, Lanes<float> single, Lanes<double> @double, Func<int, double, double, bool> close, string what)
    {
        var xs = Logits();
        var s = new float[16 * outputs];
        var d = new double[8 * outputs];
        for (int k = 0; k < xs.Length; k += 16)
        {
            single(Vector512.Create(xs.AsSpan(k, 16)), s);
            for (int half = 0; half < 2; half++)
            {
                var x = new double[8];
                for (int l = 0; l < 8; l++) x[l] = xs[k + 8 * half + l];
                @double(Vector512.Create(x), d);
                for (int o = 0; o < outputs; o++)
                    for (int l = 0; l < 8; l++)
                    {
                        double expected = d[o * 8 + l], actual = s[o * 16 + 8 * half + l];
                        Assert.True(double.IsFinite(actual), $"{what}[{o}] at x = {x[l]:R}: not finite ({actual})");
                        Assert.True(close(o, expected, actual), $"{what}[{o}] at x = {x[l]:R}: float32 {actual:R}, float64 {expected:R}");
                    }
            }
        }
    }

    /// <summary>Relative error within <paramref name="ulps"/> float32 ulps, or absolute within 1e-37 (float32's normal range ends there).</summary>
    private static bool Relative(double expected, double actual, double ulps) =>
        Math.Abs(actual - expected) <= ulps * 5.96e-8 * Math.Abs(expected) + 1e-37;

    /// <summary>Error within <paramref name="ulps"/> ulps of <paramref name="scale"/>: for values that are differences of larger ones.</summary>
    private static bool Absolute(double expected, double actual, double ulps, double scale) =>
        Math.Abs(actual - expected) <= ulps * 5.96e-8 * scale + 1e-37;

    private static void Put<T>(Span<T> outputs, int index, Vector512<T> v) => v.CopyTo(outputs.Slice(index * Vector512<T>.Count));

    [Fact]
    public void ExpAndLog1pMatchFloat64()
    {
        Compare(2,
            (x, o) => { var e = FusedMath.Exp(-Vector512.Abs(x)); Put(o, 0, e); Put(o, 1, FusedMath.Log1pUnit(e)); },
            (x, o) => { var e = FusedMath.Exp(-Vector512.Abs(x)); Put(o, 0, e); Put(o, 1, FusedMath.Log1pUnit(e)); },
            (o, expected, actual) => Relative(expected, actual, o == 0 ? 4 : 8), "exp(−|x|), log1p");
    }

    [Fact]
    public void ActivationMatchesFloat64()
    {
        Compare(5,
            (x, o) => { var a = FusedMath.Activate(x); Put(o, 0, a.P); Put(o, 1, a.Q); Put(o, 2, a.NegLogP); Put(o, 3, a.NegLogQ); Put(o, 4, a.Slope); },
            (x, o) => { var a = FusedMath.Activate(x); Put(o, 0, a.P); Put(o, 1, a.Q); Put(o, 2, a.NegLogP); Put(o, 3, a.NegLogQ); Put(o, 4, a.Slope); },
            (o, expected, actual) => o is 2 or 3 ? Absolute(expected, actual, 8, Math.Max(1, Math.Abs(expected))) : Relative(expected, actual, 8),
            "σ(x), σ(−x), −log σ(x), −log σ(−x), slope");
    }

    [Theory]
    [InlineData(0.0, 2.0, 0.25)]
    [InlineData(1.0, 0.0, -1.0)]
    [InlineData(0.05, 1.5, 0.25)]
    [InlineData(0.95, 3.0, 0.9)]
    [InlineData(1.0, 4.0, 0.25)]
    [InlineData(0.0, 1.0, -1.0)]
    public void FocalMatchesFloat64(double target, double gamma, double alpha)
    {
        var (positive, negative) = alpha < 0 ? (1.0, 1.0) : (alpha, 1 - alpha);
        Compare(2,
            (x, o) =>
            {
                FusedMath.Focal(FusedMath.Activate(x), FusedMath.Splat<float>(target), gamma, positive, negative, out var value, out var derivative);
                Put(o, 0, value); Put(o, 1, derivative);
            },
            (x, o) =>
            {
                FusedMath.Focal(FusedMath.Activate(x), FusedMath.Splat<double>((float)target), gamma, positive, negative, out var value, out var derivative);
                Put(o, 0, value); Put(o, 1, derivative);
            },
            // The derivative is a difference of products (p − y cancels for soft targets): held to its scale, 1.
            (o, expected, actual) => o == 0 ? Absolute(expected, actual, 16, Math.Max(1e-3, Math.Abs(expected))) : Absolute(expected, actual, 16, 1),
            $"focal(y = {target}, γ = {gamma}, α = {alpha})");
    }

    [Theory]
    [InlineData(2.0, 0.25)]
    [InlineData(0.0, -1.0)]
    [InlineData(1.5, 0.25)]
    [InlineData(3.0, 0.9)]
    [InlineData(4.0, 0.25)]
    [InlineData(1.0, -1.0)]
    public void FocalBinaryMatchesFocalAtBothTargets(double gamma, double alpha)
    {
        var (positive, negative) = alpha < 0 ? (1.0, 1.0) : (alpha, 1 - alpha);
        Compare(4,
            (x, o) =>
            {
                FusedMath.FocalBinary(FusedMath.Activate(x), gamma, positive, negative, out var valueOne, out var derivativeOne, out var valueZero, out var derivativeZero);
                Put(o, 0, valueOne); Put(o, 1, derivativeOne); Put(o, 2, valueZero); Put(o, 3, derivativeZero);
            },
            (x, o) =>
            {
                var a = FusedMath.Activate(x);
                FusedMath.Focal(a, Vector512<double>.One, gamma, positive, negative, out var valueOne, out var derivativeOne);
                FusedMath.Focal(a, Vector512<double>.Zero, gamma, positive, negative, out var valueZero, out var derivativeZero);
                Put(o, 0, valueOne); Put(o, 1, derivativeOne); Put(o, 2, valueZero); Put(o, 3, derivativeZero);
            },
            (o, expected, actual) => o % 2 == 0 ? Absolute(expected, actual, 16, Math.Max(1e-3, Math.Abs(expected))) : Absolute(expected, actual, 16, 1),
            $"focal at y = 1 and y = 0 (γ = {gamma}, α = {alpha})");
    }

    [Fact]
    public void BinaryTargetsTellZerosAndOnesFromAnyOtherTarget()
    {
        var y = new float[64];
        var yT = new float[64];
        for (int i = 0; i < 64; i++)
        {
            y[i] = i % 3 == 0 ? 1 : 0;
            yT[i] = i % 5 == 0 ? 1 : -0f;
        }
        Assert.True(FusedMath.BinaryTargets<float>(y, yT, 64));
        Assert.True(FusedMath.BinaryTargets<double>(Array.ConvertAll(y, v => (double)v), Array.ConvertAll(yT, v => (double)v), 64));
        foreach (var other in new[] { 0.5f, 1e-30f, 1 - 1e-7f, 2f, -1f, float.NaN })
        {
            y[37] = other;
            Assert.False(FusedMath.BinaryTargets<float>(y, yT, 64), $"{other} among the targets");
            Assert.False(FusedMath.BinaryTargets<double>(Array.ConvertAll(y, v => (double)v), Array.ConvertAll(yT, v => (double)v), 64), $"{other} among the float64 targets");
            y[37] = 0;
            yT[50] = other;
            Assert.False(FusedMath.BinaryTargets<float>(y, yT, 64), $"{other} among the mirrors' targets");
            yT[50] = 0;
        }
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.0)]
    [InlineData(1.0, 19.0, 0.0)]
    [InlineData(0.05, 3.0, 0.1)]
    public void BinaryCrossEntropyMatchesFloat64(double target, double posWeight, double smoothing)
    {
        double scale = 1 - smoothing, shift = 0.5 * smoothing;
        Compare(2,
            (x, o) =>
            {
                FusedMath.BinaryCrossEntropy(FusedMath.Activate(x), FusedMath.Splat<float>(target), posWeight, scale, shift, out var value, out var derivative);
                Put(o, 0, value); Put(o, 1, derivative);
            },
            (x, o) =>
            {
                FusedMath.BinaryCrossEntropy(FusedMath.Activate(x), FusedMath.Splat<double>((float)target), posWeight, scale, shift, out var value, out var derivative);
                Put(o, 0, value); Put(o, 1, derivative);
            },
            (o, expected, actual) => Absolute(expected, actual, 16, Math.Max(posWeight, Math.Abs(expected))),
            $"BCE(y = {target}, w₊ = {posWeight}, ε = {smoothing})");
    }

    [Theory]
    [InlineData(SymmetryPenalty.L1)]
    [InlineData(SymmetryPenalty.Mse)]
    [InlineData(SymmetryPenalty.Huber)]
    public void PenaltyMatchesFloat64(SymmetryPenalty penalty)
    {
        Compare(2,
            (x, o) => { FusedMath.Penalty(x, penalty, 0.5, out var value, out var derivative); Put(o, 0, value); Put(o, 1, derivative); },
            (x, o) => { FusedMath.Penalty(x, penalty, 0.5, out var value, out var derivative); Put(o, 0, value); Put(o, 1, derivative); },
            (o, expected, actual) => Relative(expected, actual, 2), $"penalty {penalty}");
    }

    // Saturated logits can make a whole gradient subnormal: exp must not flush those results to 0.
    [Theory]
    [InlineData(-87.0)]
    [InlineData(-90.0)]
    [InlineData(-95.5)]
    [InlineData(-100.0)]
    [InlineData(-103.5)]
    public void Float32ExpKeepsSubnormalResults(double x)
    {
        var actual = FusedMath.Exp(Vector512.Create((float)x)).GetElement(0);
        var expected = Math.Exp((float)x);
        Assert.True(actual > 0, $"exp({x}) flushed to 0");
        Assert.True(Math.Abs(actual - expected) <= 2 * 5.96e-8 * expected + 1.5e-45, $"exp({x}): {actual:R}, expected {expected:R}");
    }

    [Theory]
    [InlineData(-709.0)]
    [InlineData(-720.0)]
    [InlineData(-744.0)]
    public void Float64ExpKeepsSubnormalResults(double x)
    {
        var actual = FusedMath.Exp(Vector512.Create(x)).GetElement(0);
        var expected = Math.Exp(x);
        Assert.True(actual > 0, $"exp({x}) flushed to 0");
        Assert.True(Math.Abs(actual - expected) <= 2 * 1.12e-16 * expected + 5e-324, $"exp({x}): {actual:R}, expected {expected:R}");
    }

    [Fact]
    public void Float32LanesWidenExactlyForFloat64Sums()
    {
        var lanes = new float[16];
        for (int l = 0; l < 16; l++) lanes[l] = 1 + l * 1e-7f;
        double expected = 0;
        foreach (var v in lanes) expected += v;
        Assert.Equal(expected, Vector512.Sum(FusedMath.Wide(Vector512.Create(lanes))));
    }
}
