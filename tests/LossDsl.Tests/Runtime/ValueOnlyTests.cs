using LossDsl.Tests.Losses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// When no gradient is wanted (<c>no_grad</c>, or logits that do not require grad) the fused kernel computes the value
/// alone: the same number as with the gradient, the composed path's within tolerance, and a result without a gradient
/// function.
/// </summary>
public class ValueOnlyTests
{
    public static TheoryData<string, ScalarType, bool> Cases()
    {
        var data = new TheoryData<string, ScalarType, bool>();
        foreach (var loss in TargetDtypeTests.LossNames)
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
                foreach (var underNoGrad in new[] { true, false })
                    data.Add(loss, dtype, underNoGrad);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheValueAloneIsTheValueWithTheGradient(string lossName, ScalarType dtype, bool underNoGrad)
    {
        using var loss = TargetDtypeTests.Make(lossName);
        using var scope = NewDisposeScope();
        var y = (rand(4, 72, 72) < 0.2).to(dtype);
        var x = (3 * randn(4, 72, 72)).to(dtype);
        foreach (var valid in new[] { null, LossMasks.FromLengths(tensor(new long[] { 70, 61, 72, 9 }), 72) })
        {
            var withGradient = loss.call(x.detach().requires_grad_(true), y, valid);
            Assert.False(withGradient.is_leaf);
            var logits = underNoGrad ? x.detach().requires_grad_(true) : x.detach();
            var runs = Fused.FusedLoss.RunsOnThisThread;
            Tensor value;
            using (underNoGrad ? no_grad() : enable_grad()) value = loss.call(logits, y, valid);
            Assert.Equal(runs + 1, Fused.FusedLoss.RunsOnThisThread);
            Assert.False(value.requires_grad);
            Assert.True(value.is_leaf); // no gradient function
            Assert.Equal(dtype, value.dtype);
            Assert.Equal(withGradient.to(ScalarType.Float64).item<double>(), value.to(ScalarType.Float64).item<double>());
            Assert.Null(logits.grad);

            loss.UseFusedKernel = false;
            var composed = loss.call(x, y, valid).to(ScalarType.Float64).item<double>();
            loss.UseFusedKernel = true;
            Numerics.AssertClose(composed, value.to(ScalarType.Float64).item<double>(), dtype == ScalarType.Float32 ? 1e-5 : 1e-10,
                $"{lossName} {dtype} mask {valid is not null}: value alone against the composed path");
        }
    }
}
