using LossDsl.Tests.Losses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>docs/attributes.md, "Order of operations": repeated calls leave no tensors behind, on the fused and on the composed path.</summary>
public class LeakTests
{
    [Theory]
    [InlineData(true, nameof(Everything))]
    [InlineData(false, nameof(Everything))]
    [InlineData(true, nameof(IouAndMcc))]
    [InlineData(false, nameof(IouAndMcc))]
    [InlineData(true, nameof(LovaszAndFocal))]
    public void AThousandCallsLeaveNoLiveTensors(bool fused, string name)
    {
        using var loss = TestLoss.Named(name, fused);
        using var inputs = NewDisposeScope();
        var x = randn(2, 8, 8).requires_grad_(true);
        var y = (rand(2, 8, 8) < 0.1).to(ScalarType.Float32);
        var valid = LossMasks.FromLengths(tensor(new long[] { 6, 8 }), 8);
        // The composed path builds and caches the region masks, which the module keeps by design.
        foreach (var _ in loss.TermValues(x, y, valid)) { }
        // The fused path keeps one handle per thread: the last gradient handed to autograd, freed by the next call. One
        // call before counting makes that handle exist at the start as at the end (this thread may have run other tests).
        using (var first = loss.call(x, y, valid)) first.backward();

        DisposeScopeManager.Statistics.Reset();
        for (int k = 0; k < 1000; k++)
        {
            using var value = loss.call(x, y, k % 2 == 0 ? valid : null);
            value.backward();
        }
        foreach (var _ in loss.TermValues(x, y, valid)) { }
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    /// <summary>The value-only fused path: under <c>no_grad</c>, and with logits that do not require grad.</summary>
    [Fact]
    public void AThousandValueOnlyCallsLeaveNoLiveTensors()
    {
        using var loss = new Everything();
        using var inputs = NewDisposeScope();
        var x = randn(2, 8, 8).requires_grad_(true);
        var detached = x.detach();
        var y = rand(2, 8, 8) < 0.1; // a bool target, read in place
        var labels = y.to(ScalarType.Int64); // an integer one, converted inside each call
        var valid = LossMasks.FromLengths(tensor(new long[] { 6, 8 }), 8);
        var runs = Fused.FusedLoss.RunsOnThisThread;

        DisposeScopeManager.Statistics.Reset();
        for (int k = 0; k < 1000; k++)
        {
            var mask = k % 2 == 0 ? valid : null;
            if (k % 4 < 2)
            {
                using (no_grad())
                using (var value = loss.call(x, y, mask)) { }
            }
            else
            {
                using var value = loss.call(detached, labels, mask);
            }
        }
        Assert.Equal(runs + 1000, Fused.FusedLoss.RunsOnThisThread);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
