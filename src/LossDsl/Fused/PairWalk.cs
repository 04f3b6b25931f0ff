using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LossDsl.Fused;

/// <summary>
/// One work item of a kernel that visits pairs <c>(i, j)</c>/<c>(j, i)</c>, <c>j &gt; i</c>: the band's diagonal cells as
/// cells of their own, then square tiles to the right of it, each row of a tile against the mirrored tile's row. With a
/// gradient, the mirrored cells' gradient goes back transposed and cells no pair reaches get 0.
/// </summary>
internal static unsafe class PairWalk<TKernel, T, TY, TPass> where TKernel : IFusedKernel where T : unmanaged, IBinaryFloatingPointIeee754<T> where TY : unmanaged where TPass : IFusedPass
{
    private const int Tile = FusedScratch.Tile, Pitch = FusedScratch.Pitch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Visit(in FusedInput<T, TY> input, int item, ScratchMemory<T> scratch, ref FusedSegment<T> segment)
    {
        var (sample, a0, rows) = input.Item(item);
        int m = input.M;
        var tiles = scratch.Tiles;
        int rowBits = 0; // the ORs of the target bytes the conversions read: the 0/1 check of tiles they cover
        var blockBits = Vector256<int>.Zero;
        PrefetchDiagonalTile(input, sample, a0, rows);
        VisitDiagonal(input, sample, a0, rows, scratch, ref segment);
        if (TPass.WritesGradient) ClearUnpairedUpper(input, sample, a0, rows);
        for (int b0 = a0; b0 < m; b0 += Tile)
        {
            int width = Math.Min(Tile, m - b0);
            LoadMirrorTile(input, sample, a0, rows, b0, width, tiles, ref blockBits);
            if (TPass.ChecksTargetBytes && !ConversionsCoverTile(input, rows, width)) CheckTile(input, sample, a0, rows, b0, width);
            // Cells of the tile that no pair reaches (near the diagonal) must come back as 0; further out every one is written.
            if (TPass.WritesGradient && b0 < a0 + rows - 1 + RegionGeometry<TKernel>.FirstPairSeparation) Array.Clear(tiles.GT);
            for (int r = 0; r < rows; r++)
            {
                rowBits |= VisitTileRow(input, sample, a0 + r, r * Pitch, b0, width, tiles, scratch, ref segment);
                if (b0 + Tile < m) PrefetchNextTile(input, sample, a0, rows, r, b0 + Tile);
            }
            if (TPass.WritesGradient) StoreMirrored(input.Grad + sample * input.SampleSize, m, a0, rows, b0, width, tiles);
        }
        if (TPass.ChecksTargetBytes) input.CheckBits(rowBits | ValueScan.OrOfLanes(blockBits));
    }

    /// <summary>
    /// Whether the tile's conversions read every target byte of its pieces, so their ORs are its 0/1 check: a whole tile,
    /// its rows from the first off-diagonal on (the diagonal tile's other cells are its own mirrored sources), and its
    /// mirrored targets in 8×8 blocks (<see cref="GatherBlocks"/>). Otherwise <see cref="CheckTile"/> reads the pieces again.
    /// </summary>
    private static bool ConversionsCoverTile(in FusedInput<T, TY> input, int rows, int width) =>
        rows == Tile && width == Tile && RegionGeometry<TKernel>.FirstPairSeparation == 1 && TKernel.ReadsMirroredTargets && GathersBlocks(input);

    /// <summary>
    /// The target bytes of the tile's rows and, below the diagonal tile, of its mirrored tile's sources, checked 0/1 where
    /// they were just loaded: over all items these pieces hold every cell once.
    /// </summary>
    /// <remarks>
    /// A whole tile's pieces are one vector each, OR-ed in one loop; not inlined, so the tile loop's code stays as it is
    /// without the check.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void CheckTile(in FusedInput<T, TY> input, int sample, int a0, int rows, int b0, int width)
    {
        if (typeof(TY) != typeof(byte) || input.ByteBreach is null) return; // compiled out for float targets
        int m = input.M;
        byte* y = (byte*)input.Y + sample * input.SampleSize; // bytes: only byte targets are checked
        var bits = Vector512<byte>.Zero;
        if (width == Tile)
            for (int r = 0; r < rows; r++) bits |= Vector512.Load(y + (long)(a0 + r) * m + b0);
        else
            for (int r = 0; r < rows; r++) input.CheckPiece(sample, a0 + r, b0, width);
        if (b0 != a0 && rows == Tile)
            for (int c = 0; c < width; c++) bits |= Vector512.Load(y + (long)(b0 + c) * m + a0);
        else if (b0 != a0)
            for (int c = 0; c < width; c++) input.CheckPiece(sample, b0 + c, a0, rows);
        if ((bits & Vector512.Create((byte)0xFE)) != Vector512<byte>.Zero) *input.ByteBreach = 1;
    }

    /// <summary>Upper cells of the band's rows too close to the diagonal to be in any pair: gradient 0 (the lower ones get it from the tiles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ClearUnpairedUpper(in FusedInput<T, TY> input, int sample, int a0, int rows)
    {
        int m = input.M, first = RegionGeometry<TKernel>.FirstPairSeparation;
        T* grad = input.Grad + sample * input.SampleSize;
        for (int a = a0; a < a0 + rows; a++)
            new Span<T>(grad + (long)a * m + a + 1, Math.Max(0, Math.Min(m, a + first) - a - 1)).Clear();
    }

    /// <summary>
    /// Row <paramref name="a"/>'s pairs in the tile from column <paramref name="b0"/>: its cells (in place when whole
    /// vectors without a mask, else through the row scratch) against the mirrored tile's row at <paramref name="offset"/>;
    /// returns the OR of the target bytes it converted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VisitTileRow(in FusedInput<T, TY> input, int sample, int a, int offset, int b0, int width, MirrorTiles<T> tiles,
        ScratchMemory<T> scratch, ref FusedSegment<T> segment)
    {
        int from = Math.Max(b0, a + RegionGeometry<TKernel>.FirstPairSeparation);
        if (from >= b0 + width) return 0;
        int length = b0 + width - from;
        T* g = input.Grad + sample * input.SampleSize + (long)a * input.M + from;
        bool inPlace = input.InPlaceLength(length) == length; // a tile row is one segment: in place whole or not at all
        int bits;
        if (inPlace) bits = input.InPlace(sample, a, from, length, TPass.WritesGradient ? g : null, scratch, ref segment);
        else
        {
            bits = input.LoadRow(sample, a, from, length, scratch);
            segment.X = scratch.X; segment.Y = scratch.Y; segment.W = scratch.W; segment.G = scratch.G;
        }
        offset += from - b0;
        int padded = ScratchMemory<T>.Padded(length);
        segment.Length = padded;
        segment.XT = tiles.XT.AsSpan(offset, padded);
        segment.YT = TKernel.ReadsMirroredTargets ? tiles.YT.AsSpan(offset, padded) : segment.Y;
        // Without a mask every real cell has weight 1 and the padding 0, on both sides alike.
        segment.WT = input.Mask.IsPresent ? tiles.WT.AsSpan(offset, padded) : segment.W;
        segment.GT = tiles.GT.AsSpan(offset, padded);
        // In place means no mask and whole vectors of real cells: every weight on both sides is 1.
        if (inPlace) TPass.Pairs<T, WeightsAllOne>(ref segment);
        else TPass.Pairs<T, WeightsGiven>(ref segment);
        if (TPass.WritesGradient && !inPlace) Elements<T>.Store(scratch.G, g, length);
        return bits;
    }

    /// <summary>
    /// While row <paramref name="r"/> of a tile is done, the next tile's lines that go with it: that row's cells (logits,
    /// targets, gradient) and one source row of the next mirrored tile (logits, targets). A tile reads 64 short row pieces
    /// 2 KB or more apart, too many streams for the hardware prefetchers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchNextTile(in FusedInput<T, TY> input, int sample, int a0, int rows, int r, int b0)
    {
        int m = input.M, width = Math.Min(Tile, m - b0);
        long start = sample * input.SampleSize;
        long row = start + (long)(a0 + r) * m + b0;
        if (TPass.WritesGradient)
        {
            Prefetch.Lines(input.X + row, width * sizeof(T));
            Prefetch.Lines(input.Y + row, width * sizeof(TY));
            Prefetch.Lines(input.Grad + row, width * sizeof(T));
        }
        else
        {
            // The value pass reads its rows once, between other lines it wants in L1: L2 is near enough.
            Prefetch.LinesToL2(input.X + row, width * sizeof(T));
            Prefetch.LinesToL2(input.Y + row, width * sizeof(TY));
        }
        for (int c = r; c < width; c += rows)
        {
            long source = start + (long)(b0 + c) * m + a0;
            Prefetch.Lines(input.X + source, rows * sizeof(T));
            if (TKernel.ReadsMirroredTargets) Prefetch.Lines(input.Y + source, rows * sizeof(TY));
        }
    }

    /// <summary>
    /// The band's first tile, which no earlier tile prefetched: its rows' cells (logits, targets, gradient) into L2, while
    /// the diagonal is done. It is its own mirrored tile, so these are its mirrored sources too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchDiagonalTile(in FusedInput<T, TY> input, int sample, int a0, int rows)
    {
        int m = input.M, width = Math.Min(Tile, m - a0);
        long first = sample * input.SampleSize + (long)a0 * m + a0;
        Prefetch.RowPiecesToL2(input.X + first, (long)m * sizeof(T), rows, width * sizeof(T));
        Prefetch.RowPiecesToL2(input.Y + first, (long)m * sizeof(TY), rows, width * sizeof(TY));
        if (TPass.WritesGradient) Prefetch.RowPiecesToL2(input.Grad + first, (long)m * sizeof(T), rows, width * sizeof(T));
    }

    /// <summary>
    /// With a gradient, the mirrored tile's source pieces into L2 again just before the copy: the gradient pass touches
    /// more lines per tile than L1 holds, so not all of the previous tile's prefetches are still there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchMirrorSources(in FusedInput<T, TY> input, int sample, int a0, int rows, int b0, int width)
    {
        if (!TPass.WritesGradient) return;
        int m = input.M;
        long source = sample * input.SampleSize + (long)b0 * m + a0;
        Prefetch.RowPiecesToL2(input.X + source, (long)m * sizeof(T), width, rows * sizeof(T));
        if (TKernel.ReadsMirroredTargets) Prefetch.RowPiecesToL2(input.Y + source, (long)m * sizeof(TY), width, rows * sizeof(TY));
    }

    /// <summary>The band's diagonal cells, each its own mirror; with a gradient, 0 there when the region leaves them out (also <see cref="MirrorWalk{TKernel, T, TY, TPass}"/>'s).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void VisitDiagonal(in FusedInput<T, TY> input, int sample, int a0, int rows, ScratchMemory<T> scratch, ref FusedSegment<T> segment)
    {
        int m = input.M;
        long start = sample * input.SampleSize;
        if (!RegionGeometry<TKernel>.DiagonalCovered)
        {
            if (TPass.WritesGradient)
                for (int r = 0; r < rows; r++) input.Grad[start + (long)(a0 + r) * m + a0 + r] = default;
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            long at = start + (long)(a0 + r) * m + a0 + r;
            scratch.X[r] = Elements<T>.Value(input.X + at);
            scratch.Y[r] = Elements<T>.Value(input.Y + at);
            scratch.W[r] = input.Mask.IsPresent ? T.CreateTruncating(input.Mask.At(sample, a0 + r, a0 + r)) : T.One;
        }
        scratch.ClearPadding(rows);
        segment.Length = ScratchMemory<T>.Padded(rows);
        segment.X = scratch.X; segment.Y = scratch.Y; segment.W = scratch.W; segment.G = scratch.G;
        TPass.Cells<T, WeightsGiven>(ref segment);
        if (TPass.WritesGradient)
            for (int r = 0; r < rows; r++) input.Grad[start + (long)(a0 + r) * m + a0 + r] = scratch.G[r];
    }

    /// <summary>Fills the mirrored tile: <c>XT[r, c] = x[b0 + c, a0 + r]</c> (and targets, validity), zero past the tile's width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LoadMirrorTile(in FusedInput<T, TY> input, int sample, int a0, int rows, int b0, int width, MirrorTiles<T> tiles, ref Vector256<int> bits)
    {
        PrefetchMirrorSources(input, sample, a0, rows, b0, width);
        var (blockColumns, blockRows) = GatherBlocks(input, sample, a0, rows, b0, width, tiles, ref bits);
        int m = input.M;
        T* x = input.X + sample * input.SampleSize;
        TY* y = input.Y + sample * input.SampleSize;
        // The cells no block took, eight source rows at a time, so each tile row is written in one piece (the tile is larger than L1).
        for (int c0 = 0; c0 < width; c0 += 8)
        {
            int count = Math.Min(8, width - c0);
            for (int r = c0 < blockColumns ? blockRows : 0; r < rows; r++)
                for (int c = c0; c < c0 + count; c++)
                {
                    long source = (long)(b0 + c) * m + a0 + r;
                    tiles.XT[r * Pitch + c] = Elements<T>.Value(x + source);
                    if (TKernel.ReadsMirroredTargets) tiles.YT[r * Pitch + c] = Elements<T>.Value(y + source);
                    if (input.Mask.IsPresent) tiles.WT[r * Pitch + c] = T.CreateTruncating(input.Mask.At(sample, b0 + c, a0 + r));
                }
        }
        // Lanes past the tile's width must read 0. Columns from Tile on are never written (zero since allocation);
        // only a narrower last tile leaves older values in between.
        if (width < Tile)
            for (int r = 0; r < rows; r++)
            {
                tiles.XT.AsSpan(r * Pitch + width, Tile - width).Clear();
                tiles.YT.AsSpan(r * Pitch + width, Tile - width).Clear();
                tiles.WT.AsSpan(r * Pitch + width, Tile - width).Clear();
            }
    }

    /// <summary>
    /// float32 without a mask: the mirrored tile's whole 8×8 blocks (logits and targets) by register transposes, which
    /// read eight source rows a vector at a time instead of one float per row; returns the columns and rows they covered,
    /// and ORs the target bytes into <paramref name="bits"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Columns, int Rows) GatherBlocks(in FusedInput<T, TY> input, int sample, int a0, int rows, int b0, int width, MirrorTiles<T> tiles, ref Vector256<int> bits)
    {
        if (!GathersBlocks(input)) return (0, 0);
        int m = input.M, blockColumns = width & ~7, blockRows = rows & ~7;
        T* x = input.X + sample * input.SampleSize;
        TY* y = input.Y + sample * input.SampleSize;
        fixed (T* xt = tiles.XT, yt = tiles.YT)
            for (int c0 = 0; c0 < blockColumns; c0 += 8)
                for (int r0 = 0; r0 < blockRows; r0 += 8)
                {
                    long source = (long)(b0 + c0) * m + a0 + r0;
                    TileTranspose.Gather((float*)(x + source), m, (float*)(xt + r0 * Pitch + c0));
                    if (TKernel.ReadsMirroredTargets) TileTranspose.GatherTargets(y + source, m, (float*)(yt + r0 * Pitch + c0), ref bits);
                }
        return (blockColumns, blockRows);
    }

    /// <summary>Whether <see cref="GatherBlocks"/> runs: float32 logits, the targets it reads gathered too, no mask.</summary>
    private static bool GathersBlocks(in FusedInput<T, TY> input) =>
        typeof(T) == typeof(float) && TileTranspose.IsSupported && (!TKernel.ReadsMirroredTargets || TileTranspose.GathersTargets<TY>()) && !input.Mask.IsPresent;

    /// <summary>
    /// The mirrored cells <c>(b, a)</c>, <c>b &gt; a</c>, back from the tile's gradient, transposed; those no pair reached
    /// are 0 from the clear. Eight columns at a time, so each tile row is read in one piece and eight gradient rows are
    /// written in step; whole blocks below the diagonal by <see cref="ScatterBlock"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StoreMirrored(T* grad, int m, int a0, int rows, int b0, int width, MirrorTiles<T> tiles)
    {
        // The transposed writes go to 64 rows at once, an order the hardware prefetchers do not follow.
        Prefetch.RowPiecesToL2(grad + (long)b0 * m + a0, (long)m * sizeof(T), width, rows * sizeof(T));
        fixed (T* gt = tiles.GT)
            for (int c0 = 0; c0 < width; c0 += 8)
            {
                int count = Math.Min(8, width - c0);
                for (int r0 = 0; r0 < rows; r0 += 8)
                {
                    int last = Math.Min(rows, r0 + 8);
                    if (count == 8 && last == r0 + 8 && b0 + c0 > a0 + r0 + 7 && ScatterBlock(gt + r0 * Pitch + c0, grad + (long)(b0 + c0) * m + a0 + r0, m))
                        continue;
                    for (int r = r0; r < last; r++)
                        for (int c = c0; c < c0 + count; c++)
                            if (b0 + c > a0 + r) grad[(long)(b0 + c) * m + a0 + r] = gt[r * Pitch + c];
                }
            }
    }

    /// <summary>float32: one whole 8×8 block back by a register transpose (eight vector stores instead of 64 scattered floats); false otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ScatterBlock(T* source, T* target, int m)
    {
        if (typeof(T) != typeof(float) || !TileTranspose.IsSupported) return false;
        TileTranspose.Scatter((float*)source, (float*)target, m);
        return true;
    }
}
