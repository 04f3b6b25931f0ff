using System;
using System.Linq;
using LossDsl.Tests.Losses;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// Targets and masks as users hold them (docs/runtime.md, "Targets and masks"): integer values other than 0 and 1, and
/// negative or non-finite float weights, are refused with the argument, the first offending value and the likely fix,
/// the same on the fused and on the composed path; a uint8 mask works as the bool one does.
/// </summary>
public class InputValueTests
{
    /// <summary>The cell walk, the mirrored walk, the pair walk, region terms with a penalty and a narrowed region, a Sum, and a composed-only class.</summary>
    public static readonly string[] LossNames =
    {
        nameof(PlainFocal), nameof(LowerFocal), nameof(ContactLoss), nameof(SymmetrizedFocal), nameof(Everything),
        nameof(IouAndMcc), nameof(Outer.NestedDice), nameof(LovaszAndFocal),
    };

    public static TheoryData<string> Losses() => new(LossNames);

    /// <summary>The two paths' exception for one call; asserts that the fused path was the one taken where it exists.</summary>
    private static (ArgumentException Fused, ArgumentException Composed) BothPaths(string lossName, Tensor logits, Tensor target, Tensor? valid)
    {
        using var fused = TestLoss.Named(lossName, fused: true);
        using var composed = TestLoss.Named(lossName, fused: false);
        var runs = Fused.FusedLoss.RunsOnThisThread;
        var a = Assert.ThrowsAny<ArgumentException>(() => fused.call(logits, target, valid));
        if (lossName != nameof(LovaszAndFocal)) Assert.Equal(runs + 1, Fused.FusedLoss.RunsOnThisThread);
        var b = Assert.ThrowsAny<ArgumentException>(() => composed.call(logits, target, valid));
        Assert.Equal(a.GetType(), b.GetType());
        Assert.Equal(a.Message, b.Message);
        Assert.Equal(a.ParamName, b.ParamName);
        // With a gradient (the autograd function's forward): the same exception, and the module works after it.
        var leaf = logits.detach().requires_grad_();
        var withGradient = Assert.ThrowsAny<ArgumentException>(() => fused.call(leaf, target, valid));
        Assert.Equal(a.Message, withGradient.Message);
        fused.call(leaf, zeros_like(logits), null).backward();
        Assert.Equal(0, leaf.grad!.isfinite().logical_not().sum().item<long>());
        return (a, b);
    }

    private static Tensor Labels(ScalarType dtype, long row, long column, long value)
    {
        var y = (rand(2, 1, 9, 9) < 0.3).to(dtype);
        y[1, 0, row, column] = tensor(value, dtype);
        return y;
    }

    public static TheoryData<string, ScalarType, long, string> BadTargets()
    {
        var data = new TheoryData<string, ScalarType, long, string>();
        foreach (var loss in LossNames)
        {
            data.Add(loss, ScalarType.Byte, 255, "a 0/255 image mask? pass `target > 0`");
            data.Add(loss, ScalarType.Int64, -1, "an ignore label? pass those cells as 0 in `validMask`");
            data.Add(loss, ScalarType.Int64, 2, "a class id? pass `target == 2` for that class");
            data.Add(loss, ScalarType.Int32, -1, "an ignore label?");
            data.Add(loss, ScalarType.Int16, 3, "a class id?");
            data.Add(loss, ScalarType.Int8, -1, "an ignore label?");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadTargets))]
    public void AnIntegerTargetHoldingAnotherValueIsRefusedAlikeOnBothPaths(string lossName, ScalarType dtype, long value, string hint)
    {
        using var scope = NewDisposeScope();
        var logits = randn(2, 1, 9, 9);
        // (2, 7): in the lower half, (1, 8): in the upper one, which [MaskLower] leaves out; the rule is the whole tensor's.
        foreach (var (row, column) in new[] { (7L, 2L), (1L, 8L) })
        {
            var (e, _) = BothPaths(lossName, logits, Labels(dtype, row, column, value), null);
            Assert.Equal("target", e.ParamName);
            Assert.Contains($"target ({dtype}) must hold only 0 and 1; it holds {value} at [1, 0, {row}, {column}]", e.Message);
            Assert.Contains(hint, e.Message);
        }
    }

    [Fact]
    public void TheFirstOffendingValueIsReported()
    {
        using var scope = NewDisposeScope();
        var y = zeros(2, 1, 9, 9, ScalarType.Int64);
        y[1, 0, 3, 3] = tensor(-1L);
        y[0, 0, 5, 1] = tensor(255L);
        var (e, _) = BothPaths(nameof(ContactLoss), randn(2, 1, 9, 9), y, null);
        Assert.Contains("it holds 255 at [0, 0, 5, 1]: a 0/255 image mask? pass `target > 0`", e.Message);
    }

    public static TheoryData<string, ScalarType, double, string> BadMasks()
    {
        var data = new TheoryData<string, ScalarType, double, string>();
        foreach (var loss in LossNames)
        {
            data.Add(loss, ScalarType.Byte, 255, "only 0 and 1; it holds 255 at [0, 0, 4, 2]: a 0/255 image mask? pass `validMask > 0`");
            data.Add(loss, ScalarType.Int64, -1, "only 0 and 1; it holds -1 at [0, 0, 4, 2]: an ignore label? pass `validMask > 0`");
            data.Add(loss, ScalarType.Int32, 2, "only 0 and 1; it holds 2 at [0, 0, 4, 2]");
            data.Add(loss, ScalarType.Float32, -1, "finite weights ≥ 0; it holds -1 at [0, 0, 4, 2]: a negative weight");
            data.Add(loss, ScalarType.Float32, double.NaN, "finite weights ≥ 0; it holds nan at [0, 0, 4, 2]");
            data.Add(loss, ScalarType.Float64, double.PositiveInfinity, "finite weights ≥ 0; it holds inf at [0, 0, 4, 2]");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadMasks))]
    public void AMaskBreakingItsDtypesRuleIsRefusedAlikeOnBothPaths(string lossName, ScalarType dtype, double value, string message)
    {
        using var scope = NewDisposeScope();
        var valid = ones(2, 1, 9, 9, dtype);
        valid[0, 0, 4, 2] = tensor(value).to(dtype);
        var (e, _) = BothPaths(lossName, randn(2, 1, 9, 9), rand(2, 1, 9, 9) < 0.3, valid);
        Assert.Equal("validMask", e.ParamName);
        Assert.Contains($"validMask ({dtype}) must hold " + message, e.Message);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void IntegerMasksWorkAsTheBoolMaskDoes(string lossName)
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 1, 9, 9);
        var y = rand(2, 1, 9, 9) < 0.3;
        var valid = LossMasks.FromLengths(tensor(new long[] { 9, 6 }), 9).unsqueeze(1);
        foreach (var fused in new[] { true, false })
        {
            using var loss = TestLoss.Named(lossName, fused);
            var (expected, expectedGrad) = ValueAndGradient(loss, x, y, valid);
            foreach (var dtype in new[] { ScalarType.Byte, ScalarType.Int8, ScalarType.Int16, ScalarType.Int32, ScalarType.Int64, ScalarType.Float32 })
            {
                var (value, grad) = ValueAndGradient(loss, x, y, valid.to(dtype));
                Assert.True(expected == value, $"{lossName}, fused {fused}, {dtype} mask: {value:R}, bool mask {expected:R}");
                Assert.True(expectedGrad.SequenceEqual(grad), $"{lossName}, fused {fused}, {dtype} mask: gradients differ");
            }
        }
    }

    [Fact]
    public void FloatMasksKeepTheirWeightsAndFloatTargetsTheirSoftValues()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 1, 9, 9);
        var y = rand(2, 1, 9, 9); // soft targets
        var valid = rand(2, 1, 9, 9) * 2; // weights in [0, 2)
        using var fused = new PlainFocal();
        using var composed = new PlainFocal { UseFusedKernel = false };
        var a = fused.call(x, y, valid).item<float>();
        var b = composed.call(x, y, valid).item<float>();
        Assert.True(float.IsFinite(a) && Math.Abs(a - b) <= 1e-5 * Math.Abs(b), $"fused {a}, composed {b}");
    }

    private static (double Value, float[] Grad) ValueAndGradient(LossModule loss, Tensor x, Tensor y, Tensor valid)
    {
        var logits = x.detach().requires_grad_(true);
        var value = loss.call(logits, y, valid);
        value.backward();
        return (value.item<float>(), logits.grad!.data<float>().ToArray());
    }

    [Fact]
    public void AMaskMissingTheChannelDimensionIsToldTheUnsqueeze()
    {
        using var scope = NewDisposeScope();
        using var loss = new ContactLoss();
        var e = Assert.Throws<ArgumentException>(() => loss.call(randn(3, 1, 8, 8), zeros(3, 1, 8, 8), ones(3, 8, 8, ScalarType.Bool)));
        Assert.Equal("validMask", e.ParamName);
        Assert.Contains("validMask of shape (3, 8, 8) does not broadcast to logits of shape (3, 1, 8, 8); did you mean `validMask.unsqueeze(1)`?", e.Message);
        var other = Assert.Throws<ArgumentException>(() => loss.call(randn(3, 1, 8, 8), zeros(3, 1, 8, 8), ones(2, 8, 8, ScalarType.Bool)));
        Assert.DoesNotContain("did you mean", other.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ADisposedModuleSaysSo(bool fusedPath)
    {
        using var scope = NewDisposeScope();
        var loss = new ContactLoss { UseFusedKernel = fusedPath };
        var (x, y) = (randn(2, 8, 8), zeros(2, 8, 8));
        loss.call(x, y).Dispose();
        loss.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => loss.call(x, y));
        Assert.Contains(nameof(ContactLoss), e.ObjectName);
        Assert.Throws<ObjectDisposedException>(() => loss.call(x, y, ones(2, 8, 8)));
        Assert.Throws<ObjectDisposedException>(() => loss.TermValues(x, y));
    }

    /// <summary>
    /// The fused walks check uint8 bytes in the pieces they load (rows, tiles, mirrored tiles of 64 × 64): a bad byte in
    /// any tile, above, on or below the diagonal tile, is found.
    /// </summary>
    [Theory]
    [MemberData(nameof(Losses))]
    public void ABadByteInAnyTileOfALargeMapIsFound(string lossName)
    {
        using var scope = NewDisposeScope();
        var logits = randn(2, 1, 150, 150);
        foreach (var (row, column) in new[] { (140L, 3L), (3L, 140L), (70L, 65L), (65L, 70L), (149L, 149L), (100L, 0L), (10L, 100L) })
        {
            var target = (rand(2, 1, 150, 150) < 0.05).to(ScalarType.Byte);
            target[1, 0, row, column] = tensor((byte)255);
            var (fused, _) = BothPaths(lossName, logits, target, null);
            Assert.Contains($"it holds 255 at [1, 0, {row}, {column}]", fused.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Large tensors are scanned in parts on several threads: a bad value in the last part is found too, on both paths.</summary>
    [Theory]
    [InlineData(ScalarType.Byte, false)]
    [InlineData(ScalarType.Int64, false)]
    [InlineData(ScalarType.Int32, false)]
    [InlineData(ScalarType.Float32, true)]
    public void ABadValueInTheLastPartOfALargeTensorIsFound(ScalarType dtype, bool inMask)
    {
        using var scope = NewDisposeScope();
        var logits = randn(4, 1, 256, 256);
        var target = (rand(4, 1, 256, 256) < 0.05).to(inMask ? ScalarType.Float32 : dtype);
        var valid = inMask ? ones(4, 1, 256, 256, dtype: dtype) : null;
        (inMask ? valid! : target)[3, 0, 255, 255] = tensor(inMask ? -1 : 2, dtype);
        var (fused, _) = BothPaths(nameof(PlainFocal), logits, target, valid);
        Assert.Contains(inMask ? "it holds -1 at [3, 0, 255, 255]" : "it holds 2 at [3, 0, 255, 255]", fused.Message, StringComparison.Ordinal);
    }
}
