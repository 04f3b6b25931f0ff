using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LossDsl.Fused;
using LossDsl.Tests.Losses;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// The fused path lends its gradients from kept memory: a block comes back once libtorch lets go of it, is lent again,
/// and every cell of a lent block is written, whatever it held.
/// </summary>
[CollectionDefinition(nameof(GradientMemoryTests), DisableParallelization = true)]
public class GradientMemoryCollection { }

// Alone: these tests watch which blocks are lent, and another test's fused call could take a returned one.
[Collection(nameof(GradientMemoryTests))]
public class GradientMemoryTests
{
    // 520 = 8 tiles of 64 and 8 more: row tails and partial tiles; 1,081,600 bytes of float32, above the smallest block.
    private const int N = 520;

    public static TheoryData<string> Losses => new() { nameof(PlainFocal), nameof(ContactLoss), nameof(Everything), nameof(SymmetrizedFocal), nameof(IouAndMcc), nameof(SymmetrizedWithPenalty) };

    private static nint Address(Tensor t) => Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref MemoryMarshal.GetReference(t.bytes));

    // The loss value goes with its graph, which holds the gradient until then.
    private static Tensor Gradient(LossModule loss, Tensor logits, Tensor target, Tensor? wrt = null)
    {
        using var value = loss.call(logits, target);
        return autograd.grad(new[] { value }, new[] { wrt ?? logits })[0];
    }

    // A small fused call: the block the last call handed to autograd comes back to the kept ones.
    private static void LetGoOfHandedOver(LossModule loss) => Gradient(loss, randn(1, 1, 16, 16).requires_grad_(true), rand(1, 1, 16, 16) < 0.05).Dispose();

    [Fact]
    public void TorchSharpsNativeConstructorIsFound() =>
        // Without it every gradient is a fresh empty_like again: a TorchSharp upgrade that changes it must be noticed here.
        Assert.True(GradientMemory.Available);

    [Theory]
    [MemberData(nameof(Losses))]
    public void AReturnedBlockIsLentAgainAndFullyOverwritten(string name)
    {
        using var loss = TestLoss.Named(name);
        using var scope = NewDisposeScope();
        manual_seed(7);
        var x = randn(1, 1, N, N).requires_grad_(true);
        var y = (rand(1, 1, N, N) < 0.05).to(ScalarType.Float32);

        var first = Gradient(loss, x, y);
        var expected = first.clone();
        var block = Address(first);
        first.fill_(double.NaN); // what a reused block may hold
        first.Dispose();

        var second = Gradient(loss, x, y);
        Assert.Equal(block, Address(second));
        Assert.True(second.eq(expected).all().item<bool>());
    }

    [Theory]
    [InlineData(600, true)]  // 1.44 MB kept, 1.08 MB wanted: within twice, lent again
    [InlineData(800, false)] // 2.56 MB kept: more than twice, a new block
    public void ASmallerMapTakesAKeptBlockUpToTwiceItsSize(int kept, bool lentAgain)
    {
        using var loss = new PlainFocal();
        using var scope = NewDisposeScope();
        LetGoOfHandedOver(loss);
        GradientMemory.FreeKept(); // only this test's blocks to choose from
        var big = randn(1, 1, kept, kept).requires_grad_(true);
        var first = Gradient(loss, big, rand(1, 1, kept, kept) < 0.05);
        var block = Address(first);
        first.Dispose();
        LetGoOfHandedOver(loss);

        var x = randn(1, 1, N, N).requires_grad_(true);
        var second = Gradient(loss, x, rand(1, 1, N, N) < 0.05);
        Assert.Equal(lentAgain, block == Address(second));
    }

    [Fact]
    public void AHeldGradientIsNotLentAgain()
    {
        using var loss = new ContactLoss();
        using var scope = NewDisposeScope();
        var x = randn(1, 1, N, N).requires_grad_(true);
        var y = (rand(1, 1, N, N) < 0.05).to(ScalarType.Float32);

        var held = Gradient(loss, x, y);
        var copy = held.clone();
        for (int k = 0; k < 3; k++)
        {
            var next = Gradient(loss, x + k, y, x);
            Assert.NotEqual(Address(held), Address(next));
            next.Dispose();
        }
        Assert.True(held.eq(copy).all().item<bool>());
    }

    [Fact]
    public void ManyCallsKeepAtMostTheLastGradientLent()
    {
        using var loss = new PlainFocal();
        using var scope = NewDisposeScope();
        var x = randn(1, 1, N, N).requires_grad_(true);
        var y = rand(1, 1, N, N) < 0.05;
        int before = GradientMemory.Lent;
        for (int k = 0; k < 200; k++)
        {
            using var value = loss.call(x, y);
            value.backward(); // autograd keeps a copy as x.grad; the fused gradient is let go of at the next call
            x.grad!.Dispose();
            x.grad = null!;
        }
        // The last call's gradient is still handed over (freed by this thread's next fused call), nothing else.
        Assert.InRange(GradientMemory.Lent, 0, before + 1);
    }
}
