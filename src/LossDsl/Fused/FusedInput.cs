using System;
using System.Runtime.CompilerServices;

namespace LossDsl.Fused;

/// <summary>
/// One call's contiguous <c>(samples, n, m)</c> data: logits and the gradient to write (unused by passes that write none)
/// of element type <typeparamref name="T"/>, targets of <typeparamref name="TY"/> (<typeparamref name="T"/>, or bytes
/// for bool and uint8 targets) and the mask; work item <c>k</c> is sample <c>k / Bands</c>, rows
/// <c>[k % Bands · Tile, + Tile)</c>.
/// </summary>
internal readonly unsafe struct FusedInput<T, TY> where T : unmanaged where TY : unmanaged
{
    public FusedInput(T* x, TY* y, T* grad, MaskView mask, int samples, int n, int m)
    {
        X = x; Y = y; Grad = grad; Mask = mask; Samples = samples; N = n; M = m;
    }

    public T* X { get; }
    public TY* Y { get; }
    public T* Grad { get; }
    public MaskView Mask { get; }
    public int Samples { get; }
    public int N { get; }
    public int M { get; }
    public int Bands => (N + FusedScratch.Tile - 1) / FusedScratch.Tile;
    public int Items => Samples * Bands;
    public long SampleSize => (long)N * M;

    /// <summary>Work item <paramref name="item"/>'s sample, first row and number of rows.</summary>
    public (int Sample, int FirstRow, int Rows) Item(int item)
    {
        int a0 = item % Bands * FusedScratch.Tile;
        return (item / Bands, a0, Math.Min(FusedScratch.Tile, N - a0));
    }

    /// <summary>Row <paramref name="a"/> of <paramref name="sample"/>, columns <c>[from, from + length)</c>, into the row scratch as float64, padding zeroed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void LoadRow(int sample, int a, int from, int length, FusedScratch scratch)
    {
        long at = sample * SampleSize + (long)a * M + from;
        Elements<T>.Load(X + at, scratch.X, length);
        Elements<TY>.Load(Y + at, scratch.Y, length);
        if (Mask.IsPresent)
            for (int k = 0; k < length; k++) scratch.W[k] = Mask.At(sample, a, from + k);
        else
            scratch.W.AsSpan(0, length).Fill(1);
        scratch.ClearPadding(length);
    }
}
