using System;
using System.Runtime.CompilerServices;

namespace LossDsl.Fused;

/// <summary>
/// One work item of a kernel that visits cells one by one: each row's covered ranges in stretches of at most
/// <see cref="FusedScratch.Chunk"/> cells; with a gradient, the columns outside the region get 0.
/// </summary>
internal static unsafe class CellWalk<TKernel, T, TY, TPass> where TKernel : IFusedKernel where T : unmanaged where TY : unmanaged where TPass : IFusedPass
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Visit(in FusedInput<T, TY> input, int item, FusedScratch scratch, ref FusedSegment segment)
    {
        var (sample, a0, rows) = input.Item(item);
        int m = input.M;
        T* grad = input.Grad + sample * input.SampleSize;
        Span<(int From, int To)> ranges = stackalloc (int, int)[2];
        for (int a = a0; a < a0 + rows; a++)
        {
            int count = RegionGeometry<TKernel>.RowRanges(a, m, ranges);
            int done = 0; // columns of this row whose gradient is written
            for (int r = 0; r < count; r++)
            {
                var (from, to) = ranges[r];
                if (TPass.WritesGradient) new Span<T>(grad + (long)a * m + done, from - done).Clear();
                for (int c = from; c < to; c += FusedScratch.Chunk)
                {
                    int length = Math.Min(FusedScratch.Chunk, to - c);
                    input.LoadRow(sample, a, c, length, scratch);
                    segment.Length = FusedScratch.Padded(length);
                    segment.X = scratch.X; segment.Y = scratch.Y; segment.W = scratch.W; segment.G = scratch.G;
                    TPass.Cells(ref segment);
                    if (TPass.WritesGradient) Elements<T>.Store(scratch.G, grad + (long)a * m + c, length);
                }
                done = to;
            }
            if (TPass.WritesGradient) new Span<T>(grad + (long)a * m + done, m - done).Clear();
        }
    }
}
