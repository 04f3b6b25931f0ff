using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LossDsl.Fused;

/// <summary>
/// One work item of a kernel that visits cells one by one: each row's covered ranges in stretches of at most
/// <see cref="FusedScratch.Chunk"/> cells; with a gradient, the columns outside the region get 0.
/// </summary>
internal static unsafe class CellWalk<TKernel, T, TY, TPass> where TKernel : IFusedKernel where T : unmanaged, IBinaryFloatingPointIeee754<T> where TY : unmanaged where TPass : IFusedPass
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Visit(in FusedInput<T, TY> input, int item, ScratchMemory<T> scratch, ref FusedSegment<T> segment)
    {
        var (sample, a0, rows) = input.Item(item);
        int m = input.M;
        T* grad = input.Grad + sample * input.SampleSize;
        Span<(int From, int To)> ranges = stackalloc (int, int)[2];
        for (int a = a0; a < a0 + rows; a++)
        {
            int count = RegionGeometry<TKernel>.RowRanges(a, m, ranges);
            int done = 0; // columns of this row whose gradient is written
            int bits = 0; // the OR of the target bytes converted: the row's 0/1 check when the region covers it whole
            for (int r = 0; r < count; r++)
            {
                var (from, to) = ranges[r];
                if (TPass.WritesGradient) new Span<T>(grad + (long)a * m + done, from - done).Clear();
                for (int c = from; c < to; c += FusedScratch.Chunk)
                {
                    int length = Math.Min(FusedScratch.Chunk, to - c);
                    T* g = grad + (long)a * m + c;
                    // Whole vectors where the cells lie, then the rest (if any) through the scratch.
                    int inPlace = input.InPlaceLength(length);
                    if (inPlace > 0)
                    {
                        segment.Length = inPlace;
                        bits |= input.InPlace(sample, a, c, inPlace, TPass.WritesGradient ? g : null, scratch, ref segment);
                        TPass.Cells<T, WeightsAllOne>(ref segment);
                        if (inPlace == length) continue;
                    }
                    int rest = length - inPlace;
                    bits |= input.LoadRest(sample, a, c + inPlace, rest, scratch, ref segment);
                    TPass.Cells<T, WeightsGiven>(ref segment);
                    if (TPass.WritesGradient) input.StoreRest(scratch, g + inPlace, rest);
                }
                done = to;
            }
            if (TPass.WritesGradient) new Span<T>(grad + (long)a * m + done, m - done).Clear();
            if (!TPass.ChecksTargetBytes) continue;
            if (count == 1 && ranges[0] == (0, m)) input.CheckBits(bits);
            else input.CheckRow(sample, a); // after the row: its bytes are in L1
        }
    }
}
