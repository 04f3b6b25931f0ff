using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LossDsl.Fused;

/// <summary>
/// One call's contiguous <c>(samples, n, m)</c> data: logits and the gradient to write (unused by passes that write none)
/// of element type <typeparamref name="T"/>, targets of <typeparamref name="TY"/> (<typeparamref name="T"/>, or bytes
/// for bool and uint8 targets) and the mask; work item <c>k</c> is sample <c>k / Bands</c>, rows
/// <c>[k % Bands · Tile, + Tile)</c>.
/// </summary>
internal readonly unsafe struct FusedInput<T, TY> where T : unmanaged, IBinaryFloatingPointIeee754<T> where TY : unmanaged
{
    public FusedInput(T* x, TY* y, T* grad, MaskView mask, int samples, int n, int m, int* byteBreach = null)
    {
        X = x; Y = y; Grad = grad; Mask = mask; Samples = samples; N = n; M = m; ByteBreach = byteBreach;
    }

    public T* X { get; }
    public TY* Y { get; }
    public T* Grad { get; }
    public MaskView Mask { get; }

    /// <summary>Set to 1 when a target byte is neither 0 nor 1 (<see cref="CheckRow"/>); null when the bytes need no check.</summary>
    public int* ByteBreach { get; }

    /// <summary>Records a breach when target bytes whose OR is <paramref name="bits"/> (as the conversions return it) were not all 0 or 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CheckBits(int bits)
    {
        if (typeof(TY) == typeof(byte) && ByteBreach is not null && !ValueScan.BitsAreBinary(bits)) *ByteBreach = 1;
    }

    /// <summary>
    /// Row <paramref name="a"/>'s target bytes checked 0/1, all <c>M</c> of them, by the first pass as it leaves the row:
    /// the lines are then in L1, not read in a pass of their own, and the rows of all items cover every cell, whatever
    /// the walk and region read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CheckRow(int sample, int a) => CheckPiece(sample, a, 0, M);

    /// <summary>Columns <c>[from, from + length)</c> of row <paramref name="a"/>, as <see cref="CheckRow"/> (a pair walk checks the pieces it loads).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CheckPiece(int sample, int a, int from, int length)
    {
        if (typeof(TY) == typeof(byte) && ByteBreach is not null && !ValueScan.BytesAreBinaryPart((byte*)Y + (sample * SampleSize + (long)a * M + from) * sizeof(TY), length))
            *ByteBreach = 1;
    }
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

    /// <summary>
    /// How many of <paramref name="length"/> cells can be handed to the kernel where they lie: the whole vectors, without
    /// a mask (the weights are ones); byte targets still go through the scratch as <typeparamref name="T"/>.
    /// </summary>
    public int InPlaceLength(int length) => Mask.IsPresent ? 0 : length & ~(ScratchMemory<T>.Lanes - 1);

    /// <summary>
    /// Points <paramref name="segment"/>'s cells at row <paramref name="a"/> of <paramref name="sample"/>, columns
    /// <c>[from, from + length)</c>, where they lie (whole vectors, see <see cref="InPlaceLength"/>): logits and float targets in the
    /// tensors, byte targets converted into the row scratch, weights of 1, and the gradient written to
    /// <paramref name="gradient"/> (to the scratch when null: no gradient wanted). Returns the OR of the target bytes
    /// converted (0 for float targets), for their 0/1 check.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int InPlace(int sample, int a, int from, int length, T* gradient, ScratchMemory<T> scratch, ref FusedSegment<T> segment)
    {
        long at = sample * SampleSize + (long)a * M + from;
        segment.X = new Span<T>(X + at, length);
        int bits = 0;
        if (typeof(TY) == typeof(T)) segment.Y = new Span<T>((T*)Y + at, length);
        else
        {
            bits = Elements<T>.Load(Y + at, scratch.Y, length);
            segment.Y = scratch.Y;
        }
        segment.W = scratch.Ones;
        segment.G = gradient is null ? scratch.G : new Span<T>(gradient, length);
        return bits;
    }

    /// <summary>
    /// Row <paramref name="a"/> of <paramref name="sample"/>, columns <c>[from, from + length)</c>, into the row scratch,
    /// padding zeroed; returns the OR of the target bytes (0 for float targets), as <see cref="InPlace"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int LoadRow(int sample, int a, int from, int length, ScratchMemory<T> scratch)
    {
        long at = sample * SampleSize + (long)a * M + from;
        Elements<T>.Load(X + at, scratch.X, length);
        int bits = Elements<T>.Load(Y + at, scratch.Y, length);
        if (Mask.IsPresent)
            Mask.LoadRow(sample, a, from, length, scratch.W);
        else
            scratch.W.AsSpan(0, length).Fill(T.One);
        scratch.ClearPadding(length);
        return bits;
    }

    /// <summary>
    /// Whether a stretch's rest (fewer cells than one vector, what is left after <see cref="InPlaceLength"/>) goes by
    /// AVX-512 masked loads and stores (a few instructions instead of copies and fills): with AVX-512 and no mask.
    /// </summary>
    public bool TailsMasked => Avx512F.IsSupported && !Mask.IsPresent;

    /// <summary>Lanes below <paramref name="count"/> set: the cells of a tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> TailLanes(int count) => Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(count)));

    /// <summary>
    /// The <paramref name="rest"/> cells of row <paramref name="a"/> from column <paramref name="from"/> that are not
    /// handed over in place, into the row scratch (padding zeroed, weight 0), and <paramref name="segment"/> pointed at
    /// it: by masked loads where <see cref="TailsMasked"/>, else copied (<see cref="LoadRow"/>). Returns the OR of the
    /// target bytes, as <see cref="InPlace"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LoadRest(int sample, int a, int from, int rest, ScratchMemory<T> scratch, ref FusedSegment<T> segment)
    {
        int bits = TailsMasked ? LoadTail(sample, a, from, rest, scratch) : LoadRow(sample, a, from, rest, scratch);
        segment.Length = ScratchMemory<T>.Padded(rest);
        segment.X = scratch.X; segment.Y = scratch.Y; segment.W = scratch.W; segment.G = scratch.G;
        return bits;
    }

    /// <summary>The first <paramref name="rest"/> gradient values of the row scratch back to <paramref name="target"/>, as <see cref="LoadRest"/> loaded them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StoreRest(ScratchMemory<T> scratch, T* target, int rest)
    {
        if (!TailsMasked)
        {
            Elements<T>.Store(scratch.G, target, rest);
            return;
        }
        var lanes = TailLanes(rest);
        var g = FusedMath.Load(scratch.G, 0);
        if (typeof(T) == typeof(float)) Avx512F.MaskStore((float*)target, lanes.AsSingle(), g.AsSingle());
        else Avx512F.MaskStore((double*)target, lanes.AsDouble(), g.AsDouble());
    }

    /// <summary>A rest of fewer cells than one vector into the scratch's first vector by masked loads: lanes past them are 0, weight 0; returns the OR of the target bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int LoadTail(int sample, int a, int from, int rest, ScratchMemory<T> scratch)
    {
        long at = sample * SampleSize + (long)a * M + from;
        var lanes = TailLanes(rest);
        FusedMath.Store(scratch.X, 0, MaskLoad(X + at, lanes));
        int bits = 0;
        if (typeof(TY) == typeof(T)) FusedMath.Store(scratch.Y, 0, MaskLoad((T*)Y + at, lanes));
        else
        {
            bits = Elements<T>.Load(Y + at, scratch.Y, rest);
            scratch.Y.AsSpan(rest, ScratchMemory<T>.Lanes - rest).Clear();
        }
        FusedMath.Store(scratch.W, 0, Vector512<T>.One & lanes);
        return bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MaskLoad(T* source, Vector512<T> lanes) =>
        typeof(T) == typeof(float)
            ? Avx512F.MaskLoad((float*)source, lanes.AsSingle(), Vector512<float>.Zero).As<float, T>()
            : Avx512F.MaskLoad((double*)source, lanes.AsDouble(), Vector512<double>.Zero).As<double, T>();
}
