using System;
using System.Linq;
using Xunit;

namespace LossDsl.Tests;

internal static class Numerics
{
    public static void AssertClose(double expected, double actual, double rtol, string what)
    {
        Assert.True(double.IsFinite(actual), $"{what}: not finite ({actual})");
        var error = Math.Abs(actual - expected);
        Assert.True(error <= rtol * Math.Abs(expected) + 1e-300,
            $"{what}: expected {expected:R}, got {actual:R} (relative error {error / Math.Abs(expected):E2} > {rtol:E0})");
    }

    /// <summary>Elementwise relative check of a gradient: every element within <paramref name="rtol"/> of its own size.</summary>
    public static void AssertGradClose(double[] expected, double[] actual, double rtol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(double.IsFinite(actual[k]), $"{what}[{k}]: not finite ({actual[k]})");
            var error = Math.Abs(actual[k] - expected[k]);
            Assert.True(error <= rtol * Math.Abs(expected[k]) + 1e-300,
                $"{what}[{k}]: expected {expected[k]:R}, got {actual[k]:R} (error {error:E2}, max |grad| {scale:E2})");
        }
    }
}
