using LossDsl.Tests.Losses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>SPEC §4: repeated calls leave no tensors behind.</summary>
public class LeakTests
{
    [Fact]
    public void AThousandCallsLeaveNoLiveTensors()
    {
        using var loss = new Everything();
        using var inputs = NewDisposeScope();
        var x = randn(2, 8, 8).requires_grad_(true);
        var y = (rand(2, 8, 8) < 0.1).to(ScalarType.Float32);
        var valid = LossMasks.FromLengths(tensor(new long[] { 6, 8 }), 8);
        loss.call(x, y, valid).Dispose(); // builds and caches the region masks, which the module keeps by design

        DisposeScopeManager.Statistics.Reset();
        for (int k = 0; k < 1000; k++)
        {
            using var value = loss.call(x, y, k % 2 == 0 ? valid : null);
            value.backward();
        }
        foreach (var _ in loss.TermValues(x, y, valid)) { }
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
