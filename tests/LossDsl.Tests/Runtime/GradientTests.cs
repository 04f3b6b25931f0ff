using System;
using System.Linq;
using System.Reflection;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>Autograd gradients of random generated losses against central finite differences, in float64.</summary>
public class GradientTests
{
    private const int Count = 40;
    private static readonly Lazy<(Assembly Assembly, System.Collections.Generic.IReadOnlyList<string> Attributes)> s_losses = new(() =>
    {
        var (source, attributes) = RandomLosses.Source(seed: 2024, Count, allowKinks: false);
        return (GeneratorHarness.Load(source), attributes);
    });

    public static TheoryData<int> Indices() => new(Enumerable.Range(0, Count));

    [Theory]
    [MemberData(nameof(Indices))]
    public void GradientMatchesFiniteDifferences(int index)
    {
        var (assembly, attributes) = s_losses.Value;
        using var loss = GeneratorHarness.Create(assembly, "Random.Loss" + index);
        using var scope = NewDisposeScope();
        var g = new Generator(seed: (ulong)index + 1);
        int n = 4 + index % 3;
        var x = (randn(new long[] { 2, n, n }, ScalarType.Float64, generator: g) * 2).requires_grad_(true);
        var y = (rand(new long[] { 2, n, n }, ScalarType.Float64, generator: g) < 0.2).to(ScalarType.Float64);
        y = (y + y.transpose(-1, -2)).clamp_max(1);
        var valid = index % 2 == 0 ? LossMasks.FromLengths(tensor(new long[] { n - 1, n }), n) : null;

        loss.call(x, y, valid).backward();
        var analytic = x.grad!.data<double>().ToArray();

        const double h = 1e-6;
        var values = x.detach().clone();
        var flat = values.view(-1);
        for (int k = 0; k < flat.shape[0]; k++)
        {
            double original = flat[k].item<double>();
            flat[k] = original + h;
            double up = loss.call(values, y, valid).item<double>();
            flat[k] = original - h;
            double down = loss.call(values, y, valid).item<double>();
            flat[k] = original;
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[k]) <= 1e-6 + 1e-5 * Math.Abs(numeric),
                $"{attributes[index]} element {k}: autograd {analytic[k]:R}, finite difference {numeric:R}");
        }
    }
}
