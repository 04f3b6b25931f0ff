using System;
using System.Linq;
using LossDsl.Tests.Losses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// Targets as users hold them: bool or any integer dtype holding 0/1 gives exactly what the same 0/1 target in the
/// logits' float dtype gives, value and gradient, on the fused and on the composed path.
/// </summary>
public class TargetDtypeTests
{
    public static readonly ScalarType[] LabelDtypes =
        { ScalarType.Bool, ScalarType.Byte, ScalarType.Int8, ScalarType.Int16, ScalarType.Int32, ScalarType.Int64 };

    /// <summary>Cells; pairs; pairs that read the mirrored targets; region terms, a penalty and a region; a Sum.</summary>
    public static readonly string[] LossNames =
        { nameof(PlainFocal), nameof(ContactLoss), nameof(SymmetrizedFocal), nameof(Everything), nameof(Outer.NestedDice) };

    public static TheoryData<string, ScalarType, bool> Cases()
    {
        var data = new TheoryData<string, ScalarType, bool>();
        foreach (var loss in LossNames)
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
                foreach (var fused in new[] { true, false })
                    data.Add(loss, dtype, fused);
        return data;
    }

    public static LossModule Make(string name) => name switch
    {
        nameof(PlainFocal) => new PlainFocal(),
        nameof(ContactLoss) => new ContactLoss(),
        nameof(SymmetrizedFocal) => new SymmetrizedFocal(),
        nameof(Everything) => new Everything(),
        nameof(Outer.NestedDice) => new Outer.NestedDice(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LabelTargetsGiveTheFloatTargetsResult(string lossName, ScalarType dtype, bool fused)
    {
        using var loss = Make(lossName);
        loss.UseFusedKernel = fused;
        using var scope = NewDisposeScope();
        // 72 = a full 64-wide tile and a narrow one; eight-row blocks and a remainder; 4 × 72 × 72 cells run on threads.
        var labels = rand(4, 72, 72) < 0.2;
        var x = (3 * randn(4, 72, 72)).to(dtype);
        foreach (var valid in new[] { null, LossMasks.FromLengths(tensor(new long[] { 70, 61, 72, 9 }), 72) })
        {
            var (expectedValue, expectedGrad) = Run(loss, x, labels.to(dtype), valid, fused);
            Assert.True(expectedValue != 0 && double.IsFinite(expectedValue), $"float target: {expectedValue}");
            foreach (var labelDtype in LabelDtypes)
            {
                var (value, grad) = Run(loss, x, labels.to(labelDtype), valid, fused);
                var what = $"{lossName}, {dtype} logits, {labelDtype} target, mask {valid is not null}, fused {fused}";
                Assert.True(expectedValue == value, $"{what}: value {value:R}, float target {expectedValue:R}");
                Assert.True(expectedGrad.SequenceEqual(grad), $"{what}: gradients differ");
            }
        }
    }

    private static (double Value, double[] Grad) Run(LossModule loss, Tensor x, Tensor target, Tensor? valid, bool fused)
    {
        var logits = x.detach().requires_grad_(true);
        var runs = Fused.FusedLoss.RunsOnThisThread;
        var value = loss.call(logits, target, valid);
        Assert.Equal(fused ? runs + 1 : runs, Fused.FusedLoss.RunsOnThisThread);
        value.backward();
        return (value.to(ScalarType.Float64).item<double>(), logits.grad!.to(ScalarType.Float64).data<double>().ToArray());
    }

    [Fact]
    public void AFloatTargetOfAnotherFloatDtypeIsRefused()
    {
        using var loss = new PlainFocal();
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => loss.call(zeros(2, 4, 4), zeros(2, 4, 4, ScalarType.Float64)));
        Assert.Equal("target", e.ParamName);
        Assert.Throws<ArgumentException>(() => loss.call(zeros(2, 4, 4, ScalarType.Float64), zeros(2, 4, 4, ScalarType.Float32)));
        Assert.Throws<ArgumentException>(() => loss.call(zeros(2, 4, 4), zeros(2, 4, 4, ScalarType.BFloat16)));
    }
}
