using System;
using System.Linq;
using Xunit;

namespace LossDsl.Tests;

/// <summary>SPEC §3's numerics: the value relative to itself, the gradient relative to its largest element.</summary>
internal static class Numerics
{
    /// <summary><c>|v − r| ≤ rtol·|r|</c>, or <c>≤ 1e-12</c> where <c>r = 0</c>.</summary>
    public static void AssertClose(double expected, double actual, double rtol, string what)
    {
        Assert.True(double.IsFinite(actual), $"{what}: not finite ({actual})");
        var error = Math.Abs(actual - expected);
        var bound = expected == 0 ? 1e-12 : rtol * Math.Abs(expected);
        Assert.True(error <= bound,
            $"{what}: expected {expected:R}, got {actual:R} (relative error {error / Math.Abs(expected):E2} > {rtol:E0})");
    }

    /// <summary>Norm-relative check of a gradient: <c>max|g − r| ≤ rtol·max|r|</c>, every element finite.</summary>
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
