using System;

namespace LossDsl.Fused;

/// <summary>
/// The float64 memory a thread loads cells into before a kernel sees them: rows for cells visited one by one and, once
/// a pair kernel runs on the thread, tiles for the mirrored cells. One per thread, shared by every kernel and element
/// type and kept between calls: no allocation per call, and memory grows with the threads that ever ran a work item
/// (8 KB of rows each, plus 147 KB of tiles on threads that ran pairs), not with the kernels.
/// </summary>
internal sealed class FusedScratch
{
    /// <summary>
    /// Band height and tile width. 64×64 float64 tiles (36 KB with padding, in L2) halve the per-segment and per-tile
    /// costs of 32×32 ones (one thread: SymmetricTranspose+MaskLower 12.0 → 9.4 ms, Symmetrize 13.0 → 9.2 ms, the other
    /// two pair kernels unchanged).
    /// </summary>
    public const int Tile = 64;
    /// <summary>Tile rows are padded so a segment's last vector never reads into the next row.</summary>
    public const int Pitch = Tile + 8;
    /// <summary>Longest stretch of a row handed to the kernel at once when cells are visited one by one.</summary>
    public const int Chunk = 256;

    [ThreadStatic] private static FusedScratch? t_scratch;

    /// <summary>This thread's scratch, made on first use.</summary>
    public static FusedScratch ForThisThread => t_scratch ??= new FusedScratch();

    private MirrorTiles? _tiles;

    private FusedScratch() { }

    /// <summary>Logits, targets, validity and gradient of a stretch of a row.</summary>
    public readonly double[] X = new double[Chunk + 8], Y = new double[Chunk + 8], W = new double[Chunk + 8], G = new double[Chunk + 8];

    /// <summary>The mirrored tiles, made the first time a pair kernel runs on this thread.</summary>
    public MirrorTiles Tiles => _tiles ??= new MirrorTiles();

    /// <summary><paramref name="length"/> rounded up to whole vectors of eight doubles.</summary>
    public static int Padded(int length) => (length + 7) & ~7;

    /// <summary>Zeroes the row scratch from <paramref name="length"/> to the end of its last vector: padding has weight 0.</summary>
    public void ClearPadding(int length)
    {
        int pad = Padded(length) - length;
        X.AsSpan(length, pad).Clear();
        Y.AsSpan(length, pad).Clear();
        W.AsSpan(length, pad).Clear();
    }
}

/// <summary>
/// <c>Tile × Pitch</c> float64 tiles of mirrored cells: <c>XT[r, c]</c> holds cell <c>(b0 + c, a0 + r)</c>. Columns from
/// <see cref="FusedScratch.Tile"/> on are never written, so they stay 0 from allocation.
/// </summary>
internal sealed class MirrorTiles
{
    public readonly double[] XT = new double[FusedScratch.Tile * FusedScratch.Pitch], YT = new double[FusedScratch.Tile * FusedScratch.Pitch],
        WT = new double[FusedScratch.Tile * FusedScratch.Pitch], GT = new double[FusedScratch.Tile * FusedScratch.Pitch];
}
