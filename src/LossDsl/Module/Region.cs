using static TorchSharp.torch;

namespace LossDsl;

/// <summary>
/// The cells of an <c>N × N</c> map that a loss covers: a half (with or without the diagonal) and a
/// minimum separation <c>|i − j| ≥ k</c>: the region <c>R[i, j]</c> of docs/attributes.md, "Order of operations".
/// </summary>
/// <param name="Half">Which half is kept.</param>
/// <param name="IncludeDiagonal">Whether <c>i = j</c> stays when <paramref name="Half"/> is not <see cref="MapHalf.Both"/>.</param>
/// <param name="MinSeparation">Cells with <c>|i − j| &lt; MinSeparation</c> are dropped; 0 keeps all.</param>
public readonly record struct Region(MapHalf Half, bool IncludeDiagonal = true, int MinSeparation = 0)
{
    /// <summary>The <c>(n, n)</c> mask of this region as 0/1 values of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public Tensor ToMask(long n, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var i = KeptScalars.Range(n, device).unsqueeze(1);
        var j = KeptScalars.Range(n, device).unsqueeze(0);
        var keep = ones(n, n, ScalarType.Bool, device);
        if (Half == MapHalf.Upper) keep = IncludeDiagonal ? i <= j : i < j;
        if (Half == MapHalf.Lower) keep = IncludeDiagonal ? i >= j : i > j;
        if (MinSeparation > 0) keep = keep.logical_and((i - j).abs().AtLeast(MinSeparation));
        return keep.to(dtype).MoveToOuterDisposeScope();
    }
}
