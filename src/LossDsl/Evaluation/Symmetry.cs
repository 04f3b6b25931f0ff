using System;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>Symmetry operations on the last two dimensions of <c>(..., N, N)</c> maps.</summary>
public static class Symmetry
{
    /// <summary><c>(x + xᵀ)/2</c>.</summary>
    public static Tensor Symmetrize(Tensor x) => x.Plus(x.transpose(-1, -2)).TimesInPlace(0.5);

    /// <summary>Keeps the upper half (<c>i ≤ j</c>) and copies it onto the lower: <c>out[i, j] = x[min(i,j), max(i,j)]</c>.
    /// The test-time step after training with <see cref="MaskLowerAttribute"/>.</summary>
    public static Tensor MirrorUpper(Tensor x)
    {
        RequireSquare(x);
        using var scope = NewDisposeScope();
        return x.triu().Plus(x.triu(1).transpose(-1, -2)).MoveToOuterDisposeScope();
    }

    /// <summary>Keeps the lower half (<c>i ≥ j</c>) and copies it onto the upper.
    /// The test-time step after training with <see cref="MaskUpperAttribute"/>.</summary>
    public static Tensor MirrorLower(Tensor x)
    {
        RequireSquare(x);
        using var scope = NewDisposeScope();
        return x.tril().Plus(x.tril(-1).transpose(-1, -2)).MoveToOuterDisposeScope();
    }

    /// <summary>Mirrors the kept half of <paramref name="x"/> onto the other.</summary>
    public static Tensor Mirror(Tensor x, MapHalf keep) => keep switch
    {
        MapHalf.Upper => MirrorUpper(x),
        MapHalf.Lower => MirrorLower(x),
        MapHalf.Both => x.alias(),
    };

    internal static void RequireSquare(Tensor x, string name = "x")
    {
        if (x.Dimensions < 2 || x.shape[^1] != x.shape[^2])
            throw new ArgumentException($"{name} must have shape (..., N, N); got {LossInputs.Show(x.shape)}.", name);
    }
}

/// <summary>
/// A layer that makes a network's output symmetric, <c>(x + xᵀ)/2</c> over the last two dimensions: the fifth
/// answer to "my maps are symmetric", built into the model instead of the loss.
/// </summary>
public sealed class SymmetrizeLayer : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    public SymmetrizeLayer(string name = nameof(SymmetrizeLayer)) : base(name) { }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        Symmetry.RequireSquare(input, nameof(input));
        return Symmetry.Symmetrize(input);
    }
}
