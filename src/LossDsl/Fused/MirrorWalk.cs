using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LossDsl.Fused;

/// <summary>
/// One work item of a kernel that visits cells one by one with their mirrors' targets (<see cref="FusedWalk.MirroredTargets"/>):
/// the band's diagonal as in <see cref="PairWalk{TKernel, T, TY, TPass}"/>, the targets (and validity) of the cells
/// <c>(b, a)</c> mirroring the band's rows gathered once, then each row in place, its lower cells and its upper cells in
/// long stretches. Logits and gradient are read and written where they are: nothing goes back transposed.
/// </summary>
internal static unsafe class MirrorWalk<TKernel, T, TY, TPass> where TKernel : IFusedKernel where T : unmanaged, IBinaryFloatingPointIeee754<T> where TY : unmanaged where TPass : IFusedPass
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Visit(in FusedInput<T, TY> input, int item, ScratchMemory<T> scratch, ref FusedSegment<T> segment)
    {
        var (sample, a0, rows) = input.Item(item);
        int m = input.M, first = RegionGeometry<TKernel>.FirstPairSeparation;
        int pitch = ScratchMemory<T>.Padded(m) + FusedScratch.MaxLanes;
        var band = scratch.Band(pitch);
        PairWalk<TKernel, T, TY, TPass>.VisitDiagonal(input, sample, a0, rows, scratch, ref segment);
        LoadMirrors(input, sample, a0, rows, pitch, band.YT, band.WT);
        T* grad = input.Grad + sample * input.SampleSize;
        for (int r = 0; r < rows; r++)
        {
            int a = a0 + r;
            int lowerTo = Math.Clamp(a - first + 1, 0, m), upperFrom = Math.Min(m, a + first);
            if (TPass.WritesGradient)
            {
                // Cells too close to the diagonal for any pair (the diagonal itself is done): gradient 0.
                new Span<T>(grad + (long)a * m + lowerTo, Math.Max(0, a - lowerTo)).Clear();
                new Span<T>(grad + (long)a * m + a + 1, Math.Max(0, upperFrom - a - 1)).Clear();
            }
            var mirrors = new Mirrors(band.YT, band.WT, r * pitch);
            Stretch(input, sample, a, 0, lowerTo, lower: true, mirrors, scratch, ref segment);
            Stretch(input, sample, a, upperFrom, m, lower: false, mirrors, scratch, ref segment);
            if (TPass.ChecksTargetBytes) input.CheckRow(sample, a); // after the row: its bytes are in L1
        }
    }

    /// <summary>A row's band row in the gathered mirrors: targets and validity from <c>Start</c> on.</summary>
    private readonly struct Mirrors(T[] targets, T[] validity, int start)
    {
        public readonly T[] Targets = targets, Validity = validity;
        public readonly int Start = start;
    }

    /// <summary>Columns <c>[from, to)</c> of row <paramref name="a"/>, all lower or all upper cells, in chunks: whole vectors in place, the rest through the scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Stretch(in FusedInput<T, TY> input, int sample, int a, int from, int to, bool lower, in Mirrors mirrors,
        ScratchMemory<T> scratch, ref FusedSegment<T> segment)
    {
        T* grad = input.Grad + sample * input.SampleSize + (long)a * input.M;
        for (int c = from; c < to; c += FusedScratch.Chunk)
        {
            int length = Math.Min(FusedScratch.Chunk, to - c);
            int inPlace = input.InPlaceLength(length);
            if (inPlace > 0)
            {
                segment.Length = inPlace;
                input.InPlace(sample, a, c, inPlace, TPass.WritesGradient ? grad + c : null, scratch, ref segment);
                segment.YT = mirrors.Targets.AsSpan(mirrors.Start + c, inPlace);
                segment.WT = segment.W; // in place only without a mask: every weight is 1
                Run<WeightsAllOne>(lower, ref segment);
                if (inPlace == length) continue;
            }
            int rest = length - inPlace, at = c + inPlace;
            input.LoadRest(sample, a, at, rest, scratch, ref segment);
            LoadMirrorRest(input, mirrors, at, rest, scratch);
            segment.YT = scratch.YT;
            segment.WT = input.Mask.IsPresent ? scratch.WT : scratch.W; // without a mask: 1 on real cells, 0 past them
            Run<WeightsGiven>(lower, ref segment);
            if (TPass.WritesGradient) input.StoreRest(scratch, grad + at, rest);
        }
    }

    /// <summary>The mirrors' targets (and validity, with a mask) of a stretch's rest into the scratch, padding zeroed, as <see cref="FusedInput{T, TY}.LoadRest"/> loads the cells.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadMirrorRest(in FusedInput<T, TY> input, in Mirrors mirrors, int at, int rest, ScratchMemory<T> scratch)
    {
        if (input.TailsMasked)
        {
            // The band row has a vector of slack past m: a whole load, its lanes past the rest zeroed.
            var targets = FusedMath.Load(mirrors.Targets.AsSpan(mirrors.Start + at, ScratchMemory<T>.Lanes), 0);
            FusedMath.Store(scratch.YT, 0, targets & FusedInput<T, TY>.TailLanes(rest));
            return;
        }
        int padded = ScratchMemory<T>.Padded(rest);
        mirrors.Targets.AsSpan(mirrors.Start + at, rest).CopyTo(scratch.YT);
        scratch.YT.AsSpan(rest, padded - rest).Clear();
        if (!input.Mask.IsPresent) return;
        mirrors.Validity.AsSpan(mirrors.Start + at, rest).CopyTo(scratch.WT);
        scratch.WT.AsSpan(rest, padded - rest).Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<TWeights>(bool lower, ref FusedSegment<T> segment) where TWeights : IWeightChoice
    {
        if (lower) TPass.LowerCells<T, TWeights>(ref segment);
        else TPass.UpperCells<T, TWeights>(ref segment);
    }

    /// <summary>
    /// <c>YT[r·pitch + b] = y[b, a0 + r]</c> (and the validity likewise with a mask): the targets of the cells mirroring the
    /// band's, for the columns whose cells read them (lower cells do unless <c>[MaskUpper]</c>, upper ones unless
    /// <c>[MaskLower]</c>): whole blocks by <see cref="GatherBlocks"/>, the rest element by element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LoadMirrors(in FusedInput<T, TY> input, int sample, int a0, int rows, int pitch, T[] targets, T[] validity)
    {
        int m = input.M;
        var half = TKernel.Region.Half;
        int from = half == MapHalf.Lower ? a0 : 0, to = half == MapHalf.Upper ? Math.Min(m, a0 + rows) : m;
        TY* y = input.Y + sample * input.SampleSize;
        // The gather reads eight rows' pieces at a time, an order the hardware prefetchers do not follow.
        Prefetch.RowPiecesToL2(y + (long)from * m + a0, (long)m * sizeof(TY), to - from, rows * sizeof(TY));
        var (blockTo, blockRows) = GatherBlocks(y, m, a0, rows, from, to, pitch, targets);
        for (int b = from; b < to; b++)
            for (int r = b < blockTo ? blockRows : 0; r < rows; r++)
                targets[r * pitch + b] = Elements<T>.Value(y + (long)b * m + a0 + r);
        if (input.Mask.IsPresent)
            for (int b = from; b < to; b++)
                for (int r = 0; r < rows; r++)
                    validity[r * pitch + b] = T.CreateTruncating(input.Mask.At(sample, b, a0 + r));
    }

    /// <summary>
    /// float32: the mirrors' targets of columns <c>[from, to)</c> in whole 8×8 blocks by register transposes, which read
    /// eight source rows a vector at a time instead of one value per row; returns the column and row they reached.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int BlockTo, int BlockRows) GatherBlocks(TY* y, int m, int a0, int rows, int from, int to, int pitch, T[] targets)
    {
        if (typeof(T) != typeof(float) || !TileTranspose.GathersTargets<TY>()) return (from, 0);
        int blockTo = from + ((to - from) & ~7), blockRows = rows & ~7;
        var seen = Vector256<int>.Zero; // unused: this walk checks whole rows (CheckRow)
        fixed (T* yt = targets)
            for (int b0 = from; b0 < blockTo; b0 += 8)
                for (int r0 = 0; r0 < blockRows; r0 += 8)
                    TileTranspose.GatherTargets(y + (long)b0 * m + a0 + r0, m, (float*)(yt + r0 * pitch + b0), ref seen, pitch);
        return (blockTo, blockRows);
    }
}
