using System;
using System.Runtime.CompilerServices;

namespace LossDsl.Fused;

/// <summary>
/// Which cells and pairs <typeparamref name="TKernel"/>'s region covers, row by row, and the Mean normalizers counted from
/// them. Generic over the kernel so its region's constants fold into these loops.
/// </summary>
internal static class RegionGeometry<TKernel> where TKernel : IFusedKernel
{
    /// <summary>Whether the diagonal cells <c>(i, i)</c> are in the region.</summary>
    public static bool DiagonalCovered
    {
        get
        {
            var region = TKernel.Region;
            return region.MinSeparation == 0 && (region.Half == MapHalf.Both || region.IncludeDiagonal);
        }
    }

    /// <summary>Pairs <c>(i, j)</c>/<c>(j, i)</c> with <c>j − i</c> below this are outside the region and the penalty.</summary>
    public static int FirstPairSeparation => Math.Max(1, TKernel.Region.MinSeparation);

    /// <summary>The columns of row <paramref name="a"/> the region covers, as at most two ranges <c>[From, To)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int RowRanges(int a, int m, Span<(int From, int To)> ranges)
    {
        var region = TKernel.Region;
        if (region.Half == MapHalf.Both && region.MinSeparation == 0)
        {
            ranges[0] = (0, m);
            return 1;
        }
        int apart = Math.Max(1, region.MinSeparation);
        bool left = region.Half != MapHalf.Upper, right = region.Half != MapHalf.Lower;
        int count = 0;
        // Left of the diagonal: columns [0, a − apart]; the diagonal; right of it: [a + apart, m).
        int leftTo = left ? Math.Max(0, a - apart + 1) : 0;
        int rightFrom = right ? Math.Min(m, a + apart) : m;
        if (DiagonalCovered)
        {
            // The diagonal joins whichever side is there (apart = 1 then, so the ranges touch it).
            int from = left ? 0 : a, to = right ? m : a + 1;
            ranges[count++] = (from, to);
            return count;
        }
        if (leftTo > 0) ranges[count++] = (0, leftTo);
        if (rightFrom < m) ranges[count++] = (rightFrom, m);
        return count;
    }

    /// <summary>Cells of one <c>n × m</c> map in the region.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long CoveredCells(int n, int m)
    {
        Span<(int From, int To)> ranges = stackalloc (int, int)[2];
        long total = 0;
        for (int a = 0; a < n; a++)
        {
            int count = RowRanges(a, m, ranges);
            for (int r = 0; r < count; r++) total += ranges[r].To - ranges[r].From;
        }
        return total;
    }

    /// <summary>Pairs <c>j − i ≥ apart</c> in one <c>n × n</c> map.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long Pairs(int n, int apart)
    {
        long total = 0;
        for (int a = 0; a < n; a++) total += Math.Max(0, n - a - apart);
        return total;
    }

    /// <summary>
    /// With a mask, for rows <c>[a0, a0 + rows)</c> of one sample: <c>Σ V</c> over the region and <c>Σ V[i, j]·V[j, i]</c>
    /// over the penalty's pairs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Coverage, double Pairs) MaskTotals(in MaskView mask, int sample, int a0, int rows, int m)
    {
        Span<(int From, int To)> ranges = stackalloc (int, int)[2];
        double coverage = 0, pairs = 0;
        for (int a = a0; a < a0 + rows; a++)
        {
            int count = RowRanges(a, m, ranges);
            for (int r = 0; r < count; r++) coverage += mask.RowSum(sample, a, ranges[r].From, ranges[r].To);
        }
        int apart = TKernel.ConsistencySeparation;
        if (apart > 0)
        {
            // Tile by tile, so the mirrored reads stay in cache.
            for (int b0 = a0; b0 < m; b0 += FusedScratch.Tile)
                for (int b = b0; b < Math.Min(m, b0 + FusedScratch.Tile); b++)
                    for (int a = a0; a < a0 + rows && a + apart <= b; a++)
                        pairs += mask.At(sample, a, b) * mask.At(sample, b, a);
        }
        return (coverage, pairs);
    }
}
