using System;
using LossDsl.Tests.Losses;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// A non-finite logit (±∞ or NaN) makes the value NaN on the fused and on the composed path, for every term and walk,
/// with and without a gradient, in every cell the loss reads; one outside (a region left out, and not mirrored by a
/// symmetry attribute or the penalty) changes nothing on either path (docs/runtime.md, "Non-finite logits").
/// </summary>
public class NonFiniteLogitTests
{
    public static TheoryData<string> Losses() => new(new[]
    {
        nameof(PlainFocal), nameof(LowerFocal), nameof(ContactLoss), nameof(SymmetrizedFocal), nameof(Everything),
        nameof(IouAndMcc), nameof(Outer.NestedDice), nameof(SymmetrizedWithPenalty), nameof(LogitPenaltyDice), nameof(LovaszAndFocal),
    });

    [Theory]
    [MemberData(nameof(Losses))]
    public void ANonFiniteLogitMakesTheValueNaNOnBothPaths(string lossName)
    {
        using var fused = TestLoss.Named(lossName, fused: true);
        using var composed = TestLoss.Named(lossName, fused: false);
        const int n = 6;
        var x = randn(2, n, n);
        var y = (rand(2, n, n) < 0.3).to(ScalarType.Float32);
        var valid = LossMasks.FromLengths(tensor(new long[] { n, 4 }), n);
        var reference = Value(composed, x, y, null, false);
        foreach (var bad in new[] { double.PositiveInfinity, double.NegativeInfinity, double.NaN })
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    using var scope = NewDisposeScope();
                    var logits = x.clone();
                    logits[1, i, j] = tensor((float)bad);
                    foreach (var mask in new[] { null, valid })
                        foreach (var grad in new[] { false, true })
                        {
                            var what = $"{lossName}: x[1, {i}, {j}] = {bad}, mask {mask is not null}, grad {grad}";
                            double a = Value(fused, logits, y, mask, grad), b = Value(composed, logits, y, mask, grad);
                            if (Reads(lossName, i, j))
                            {
                                Assert.True(double.IsNaN(a), $"fused {a}, " + what);
                                Assert.True(double.IsNaN(b), $"composed {b}, " + what);
                            }
                            else
                            {
                                Assert.True(double.IsFinite(a) && double.IsFinite(b), $"fused {a}, composed {b}, " + what);
                                if (mask is null) Assert.True(Math.Abs(b - reference) <= 1e-6 * Math.Abs(reference), $"composed {b}, not {reference}, " + what);
                            }
                        }
                }
    }

    /// <summary>Whether <paramref name="lossName"/> reads the logit of cell (i, j): its region, mirrored under symmetry attributes and the penalty.</summary>
    private static bool Reads(string lossName, int i, int j) => lossName switch
    {
        nameof(LowerFocal) or nameof(LovaszAndFocal) => j >= i,        // [MaskLower] leaves the cells below the diagonal out
        nameof(Everything) => Math.Abs(i - j) >= 2,                    // [MinSeparation(2)], the half mirrored by the penalty
        nameof(LogitPenaltyDice) => i != j,                            // the diagonal is left out, the half mirrored by the penalty
        _ => true,
    };

    private static double Value(LossModule loss, Tensor x, Tensor y, Tensor? valid, bool grad)
    {
        var logits = x.detach().requires_grad_(grad);
        var value = loss.call(logits, y, valid);
        if (grad) value.backward();
        return value.item<float>();
    }
}
