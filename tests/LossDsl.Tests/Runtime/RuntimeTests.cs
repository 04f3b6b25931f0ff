using System;
using System.Linq;
using LossDsl.Tests.Losses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

public class RuntimeTests
{
    private static Tensor Map(int n, double[] values) => tensor(values, dtype: ScalarType.Float64).reshape(n, n);

    [Fact]
    public void MirrorUpperCopiesTheUpperHalfOntoTheLower()
    {
        using var x = Map(3, new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        using var mirrored = Symmetry.MirrorUpper(x);
        Assert.Equal(new double[] { 1, 2, 3, 2, 5, 6, 3, 6, 9 }, mirrored.data<double>().ToArray());
    }

    [Fact]
    public void MirrorLowerCopiesTheLowerHalfOntoTheUpper()
    {
        using var x = Map(3, new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        using var mirrored = Symmetry.MirrorLower(x);
        Assert.Equal(new double[] { 1, 4, 7, 4, 5, 8, 7, 8, 9 }, mirrored.data<double>().ToArray());
    }

    [Fact]
    public void SymmetrizeAveragesWithTheTranspose()
    {
        using var x = Map(2, new double[] { 1, 2, 4, 8 });
        using var s = Symmetry.Symmetrize(x);
        Assert.Equal(new double[] { 1, 3, 3, 8 }, s.data<double>().ToArray());
        using var layer = new SymmetrizeLayer();
        using var viaLayer = layer.call(x);
        Assert.Equal(s.data<double>().ToArray(), viaLayer.data<double>().ToArray());
        Assert.Throws<ArgumentException>(() => layer.call(zeros(2, 3)));
    }

    [Fact]
    public void FromLengthsMarksTheTopLeftSquareOfEachSample()
    {
        using var mask = LossMasks.FromLengths(tensor(new long[] { 2, 3 }), 3);
        Assert.Equal(new long[] { 2, 3, 3 }, mask.shape);
        Assert.Equal(ScalarType.Bool, mask.dtype);
        Assert.Equal(new[] { true, true, false, true, true, false, false, false, false, true, true, true, true, true, true, true, true, true },
            mask.data<bool>().ToArray());
        Assert.Throws<ArgumentException>(() => LossMasks.FromLengths(zeros(2, 2, ScalarType.Int64), 3));
    }

    [Fact]
    public void F1IsComputedOverTheWeightedCells()
    {
        // predictions ≥ 0.5: cells 0, 1; targets: cells 1, 2 → TP 1, FP 1, FN 1 → F1 = 2/4.
        using var p = tensor(new double[] { 0.9, 0.6, 0.1, 0.2 });
        using var y = tensor(new double[] { 0, 1, 1, 0 });
        Assert.Equal(0.5, BetterHalf.F1(p, y, ones(4, ScalarType.Float64)), 12);
        // Leaving out cell 0 removes the false positive: TP 1, FP 0, FN 1 → 2/3.
        Assert.Equal(2.0 / 3, BetterHalf.F1(p, y, tensor(new double[] { 0, 1, 1, 1 })), 12);
    }

    [Fact]
    public void BetterHalfKeepsTheTriangleThatScoresBetterAndMirrorsIt()
    {
        // Target contacts (0,2) and (2,0). Upper half predicts (0,2) right; lower half predicts (1,0) wrongly.
        using var y = Map(3, new double[] { 0, 0, 1, 0, 0, 0, 1, 0, 0 });
        using var p = Map(3, new double[] { 0, 0, 0.9, 0.8, 0, 0, 0.1, 0, 0 });
        var choice = BetterHalf.Choose(p, y);
        Assert.Equal(MapHalf.Upper, choice.Keep);
        Assert.Equal(1.0, choice.UpperScore, 12);
        Assert.Equal(0.0, choice.LowerScore, 12);
        using var mirrored = choice.Apply(p);
        Assert.Equal(new double[] { 0, 0, 0.9, 0, 0, 0, 0.9, 0, 0 }, mirrored.data<double>().ToArray());

        var byCustomMetric = BetterHalf.Choose(p, y, metric: (probabilities, targets, weights) => -(probabilities * weights).sum().item<double>());
        Assert.Equal(MapHalf.Upper, byCustomMetric.Keep); // upper sums 0.9, lower 0.9: a tie keeps Upper
        var lowerWins = BetterHalf.Choose(p.transpose(0, 1), y);
        Assert.Equal(MapHalf.Lower, lowerWins.Keep);
    }

    [Fact]
    public void TermValuesAddUpToTheLoss()
    {
        using var loss = new Everything();
        using var scope = NewDisposeScope();
        manual_seed(1);
        var x = randn(2, 7, 7, ScalarType.Float64);
        var y = (rand(2, 7, 7, ScalarType.Float64) < 0.2).to(ScalarType.Float64);
        var terms = loss.TermValues(x, y);
        Assert.Equal(new[] { "Focal", "BinaryCrossEntropy", "Dice", "Tversky", "TransposeConsistency" }, terms.Select(t => t.Name));
        Assert.Equal(new[] { 2, 1, 0.5, 1, 0.25 }, terms.Select(t => t.Weight));
        Assert.Equal(loss.call(x, y).item<double>(), terms.Sum(t => t.Contribution), 12);
    }

    [Fact]
    public void TermValuesNameTheNewTerms()
    {
        using var loss = new IouAndMcc();
        using var scope = NewDisposeScope();
        manual_seed(2);
        var x = randn(2, 6, 6, ScalarType.Float64);
        var y = (rand(2, 6, 6, ScalarType.Float64) < 0.3).to(ScalarType.Float64);
        var terms = loss.TermValues(x, y);
        Assert.Equal(new[] { "Jaccard", "MatthewsCorrelation" }, terms.Select(t => t.Name));
        Assert.Equal(loss.call(x, y).item<double>(), terms.Sum(t => t.Contribution), 12);
    }

    // The fused kernel drops the penalty that [Symmetrize] makes identically 0; the composed path computes it (as 0).
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void SymmetrizeWithAPenaltyGivesThePlainSymmetrizedLossOnBothPaths(ScalarType dtype)
    {
        using var withPenalty = new SymmetrizedWithPenalty();
        using var plain = new SymmetrizedFocal();
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = randn(new long[] { 2, 9, 9 }, dtype).requires_grad_(true);
        var y = (rand(new long[] { 2, 9, 9 }, dtype) < 0.2).to(dtype);
        var valid = LossMasks.FromLengths(tensor(new long[] { 7, 9 }), 9);
        foreach (var fused in new[] { true, false })
        {
            withPenalty.UseFusedKernel = fused;
            x.grad?.zero_();
            var value = withPenalty.call(x, y, valid);
            value.backward();
            var gradient = x.grad!.clone();
            x.grad!.zero_();
            var expected = plain.call(x, y, valid);
            expected.backward();
            Assert.Equal(expected.to(ScalarType.Float64).item<double>(), value.to(ScalarType.Float64).item<double>(), 6);
            Assert.True(allclose(gradient.to(ScalarType.Float64), x.grad!.to(ScalarType.Float64), rtol: 1e-5, atol: 1e-9), $"fused: {fused}");
        }
    }

    [Fact]
    public void GeneratedModulesAreLossModulesNamedAfterTheirClass()
    {
        using LossModule loss = new ContactLoss();
        Assert.Equal("ContactLoss", loss.GetName());
        using var nested = new Outer.NestedDice();
        Assert.Equal("NestedDice", nested.GetName());
    }

    [Fact]
    public void BoolAndFloatValidityMasksAgree()
    {
        using var loss = new Everything();
        using var scope = NewDisposeScope();
        var x = randn(2, 6, 6, ScalarType.Float64);
        var y = (rand(2, 6, 6, ScalarType.Float64) < 0.3).to(ScalarType.Float64);
        var valid = LossMasks.FromLengths(tensor(new long[] { 4, 6 }), 6);
        Assert.Equal(loss.call(x, y, valid.to(ScalarType.Float64)).item<double>(), loss.call(x, y, valid).item<double>(), 12);
    }

    [Fact]
    public void MaskedCellsAreExcludedWhateverTheirLogits()
    {
        using var loss = new Everything();
        using var scope = NewDisposeScope();
        var x = randn(1, 6, 6, ScalarType.Float64);
        var y = (rand(1, 6, 6, ScalarType.Float64) < 0.3).to(ScalarType.Float64);
        var valid = LossMasks.FromLengths(tensor(new long[] { 4 }), 6);
        var padded = x.clone();
        padded[TensorIndex.Ellipsis, TensorIndex.Slice(4, null), TensorIndex.Colon] = 1e4;
        padded[TensorIndex.Ellipsis, TensorIndex.Colon, TensorIndex.Slice(4, null)] = -1e4;
        Assert.Equal(loss.call(x, y, valid).item<double>(), loss.call(padded, y, valid).item<double>(), 12);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void SaturatedLogitsGiveFiniteValuesAndGradients(ScalarType dtype)
    {
        using var loss = new Everything();
        using var focal = new SymmetrizedFocal();
        using var scope = NewDisposeScope();
        var x = (sign(randn(2, 6, 6)) * 1e4).to(dtype).requires_grad_(true);
        var y = (rand(2, 6, 6) < 0.5).to(dtype);
        foreach (var module in new LossModule[] { loss, focal })
        {
            var value = module.call(x, y);
            value.backward();
            Assert.True(double.IsFinite(value.to(ScalarType.Float64).item<double>()));
            Assert.True(x.grad!.isfinite().all().item<bool>());
            x.grad.zero_();
        }
    }

    [Fact]
    public void TheFusedPathRunsExactlyWhereSpecSectionFourSaysItDoes()
    {
        using var loss = new Everything();
        using var scope = NewDisposeScope();
        var y = (rand(2, 6, 6) < 0.3).to(ScalarType.Float32);
        bool Fused(Tensor x, Tensor target, LossModule module)
        {
            var before = LossDsl.Fused.FusedLoss.RunsOnThisThread;
            module.call(x, target);
            return LossDsl.Fused.FusedLoss.RunsOnThisThread == before + 1;
        }
        var x = randn(2, 6, 6).requires_grad_(true);
        Assert.True(Fused(x, y, loss));
        Assert.True(Fused(x.to(ScalarType.Float64).detach().requires_grad_(true), y.to(ScalarType.Float64), loss));
        Assert.True(Fused(x.detach(), y, loss));                                                          // no gradient wanted: the value alone
        Assert.False(Fused(x, y.detach().requires_grad_(true), loss));                                   // a target that wants one
        Assert.False(Fused(x.detach(), y.detach().requires_grad_(true), loss));                          // only the target wants one
        Assert.False(Fused(x.transpose(-1, -2), y.transpose(-1, -2), loss));                             // strided
        Assert.False(Fused(x.to(ScalarType.BFloat16).detach().requires_grad_(true), y.to(ScalarType.BFloat16), loss)); // half precision
        using (no_grad()) Assert.True(Fused(x, y, loss));                                                // no gradient wanted: the value alone
        using (no_grad()) Assert.True(Fused(x, y.detach().requires_grad_(true), loss));
        loss.UseFusedKernel = false;
        Assert.False(Fused(x, y, loss));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BackwardScalesTheGradientByTheIncomingOne(bool fused)
    {
        using var loss = new Everything { UseFusedKernel = fused };
        using var scope = NewDisposeScope();
        var x = randn(2, 6, 6, ScalarType.Float64).requires_grad_(true);
        var y = (rand(2, 6, 6, ScalarType.Float64) < 0.3).to(ScalarType.Float64);
        loss.call(x, y).backward();
        var once = x.grad!.clone();
        x.grad.zero_();
        (loss.call(x, y) * -2.5).backward();
        Assert.True(allclose(x.grad, -2.5 * once, rtol: 1e-12, atol: 0));
    }

    // Tversky with γ < 1 has an infinite slope where it reaches 0: a sample with no valid cell, or a perfect prediction.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TverskyBelowGammaOneStaysFiniteAtItsMinimum(bool fused)
    {
        using var loss = new Everything { UseFusedKernel = fused };
        using var scope = NewDisposeScope();
        var y = (rand(2, 6, 6) < 0.3).to(ScalarType.Float64);
        var perfect = (y * 80 - 40).requires_grad_(true);             // ±40 agreeing with every target
        var emptySample = LossMasks.FromLengths(tensor(new long[] { 0, 6 }), 6);
        foreach (var (x, valid) in new[] { (perfect, (Tensor?)null), (randn(2, 6, 6, ScalarType.Float64).requires_grad_(true), emptySample) })
        {
            var value = loss.call(x, y, valid);
            value.backward();
            Assert.True(double.IsFinite(value.item<double>()));
            Assert.True(x.grad!.isfinite().all().item<bool>());
        }
    }

    // A gradient penalty differentiates the gradient: the fused path must give the composed path's second derivative.
    [Fact]
    public void SecondDerivativesAgreeOnBothPaths()
    {
        using var scope = NewDisposeScope();
        // Soft targets: with 0/1 ones the composed focal term's log-space factor takes log 0, whose second derivative is NaN.
        var y = (rand(2, 7, 7, ScalarType.Float64) < 0.3).to(ScalarType.Float64) * 0.9 + 0.05;
        var start = randn(2, 7, 7, ScalarType.Float64);
        // Focal, [SymmetricTranspose], [MaskLower]: smooth, so its second derivative exists everywhere.
        Tensor PenaltyGradient(bool fused)
        {
            using var loss = new ContactLoss { UseFusedKernel = fused };
            var x = start.clone().requires_grad_(true);
            var runs = LossDsl.Fused.FusedLoss.RunsOnThisThread;
            var value = loss.call(x, y);
            Assert.Equal(fused ? runs + 1 : runs, LossDsl.Fused.FusedLoss.RunsOnThisThread);
            var g = autograd.grad(new[] { value }, new[] { x }, retain_graph: true, create_graph: true)[0];
            (g * g).sum().backward();
            return x.grad!.clone();
        }
        var expected = PenaltyGradient(fused: false);
        Assert.True(expected.abs().max().item<double>() > 0, $"composed second derivative: max {expected.abs().max().item<double>()}");
        var actual = PenaltyGradient(fused: true);
        Assert.True(allclose(actual, expected, rtol: 1e-10, atol: 1e-14), $"max difference {(actual - expected).abs().max().item<double>():E3}, max {expected.abs().max().item<double>():E3}, fused max {actual.abs().max().item<double>():E3}");
    }
}
