using System;
using System.Linq;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// The reference tolerances of docs/attributes.md, "Accuracy": value <c>|v − r| ≤ tol·|r|</c> (≤ 1e-12 where r = 0),
/// gradient <c>max|g − r| ≤ tol·max|r|</c>.
/// </summary>
internal static class Numerics
{
    /// <summary><c>tol</c>: 1e-5 for float32 logits, 1e-10 for float64.</summary>
    public static double Tolerance(TorchSharp.torch.ScalarType dtype) => dtype == TorchSharp.torch.ScalarType.Float32 ? 1e-5 : 1e-10;

    /// <summary><c>|v − r| ≤ rtol·|r|</c>, or <c>≤ 1e-12</c> where <c>r = 0</c>.</summary>
    public static void AssertClose(double expected, double actual, double rtol, string what)
    {
        Assert.True(double.IsFinite(actual), $"{what}: not finite ({actual})");
        var error = Math.Abs(actual - expected);
        var bound = expected == 0 ? 1e-12 : rtol * Math.Abs(expected);
        Assert.True(error <= bound,
            $"{what}: expected {expected:R}, got {actual:R} (error {error:E2} > {bound:E2})");
    }

    /// <summary>Norm-relative check of a gradient: every element within <paramref name="rtol"/> times the largest |element| of the reference.</summary>
    public static void AssertGradClose(double[] expected, double[] actual, double rtol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Length == 0 ? 0 : expected.Max(Math.Abs);
        var bound = scale == 0 ? 1e-12 : rtol * scale;
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(double.IsFinite(actual[k]), $"{what}[{k}]: not finite ({actual[k]})");
            var error = Math.Abs(actual[k] - expected[k]);
            Assert.True(error <= bound,
                $"{what}[{k}]: expected {expected[k]:R}, got {actual[k]:R} (error {error:E2} > {rtol:E0} × max |grad| {scale:E2})");
        }
    }
}
