using System;
using System.Runtime.Intrinsics;

namespace LossDsl.Fused;

/// <summary>
/// The memory a thread loads cells into before a kernel sees them, one <see cref="ScratchMemory{T}"/> per element type
/// the thread has run (float32 lanes for float32 logits, float64 for float64). One per thread, shared by every kernel
/// and kept between calls: no allocation per call, and memory grows with the threads that ever ran a work item, not
/// with the kernels.
/// </summary>
internal sealed class FusedScratch
{
    /// <summary>Band height and tile width: 64×64 tiles still fit in L2 and halve the per-segment and per-tile costs of 32×32 ones.</summary>
    public const int Tile = 64;
    /// <summary>Widest vector in elements (16 float32 lanes): rows and tile rows are padded by it.</summary>
    public const int MaxLanes = 16;
    /// <summary>Tile rows are padded so a segment's last vector never reads into the next row.</summary>
    public const int Pitch = Tile + MaxLanes;
    /// <summary>Longest stretch of a row handed to the kernel at once when cells are visited one by one.</summary>
    public const int Chunk = 256;

    [ThreadStatic] private static FusedScratch? t_scratch;

    /// <summary>This thread's scratch, made on first use.</summary>
    public static FusedScratch ForThisThread => t_scratch ??= new FusedScratch();

    private ScratchMemory<float>? _single;
    private ScratchMemory<double>? _double;

    private FusedScratch() { }

    /// <summary>The memory for kernels computing in <typeparamref name="T"/> (float or double), made on first use.</summary>
    public ScratchMemory<T> Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? (ScratchMemory<T>)(object)(_single ??= new ScratchMemory<float>())
        : (ScratchMemory<T>)(object)(_double ??= new ScratchMemory<double>());
}

/// <summary>
/// Rows of cells in the kernels' element type <typeparamref name="T"/> for cells visited one by one and, once a pair
/// kernel runs on the thread, tiles for the mirrored cells (4 KB of rows, plus 80 KB of tiles in float32, 160 KB in float64).
/// </summary>
internal sealed class ScratchMemory<T> where T : unmanaged
{
    /// <summary>Lanes of one vector of <typeparamref name="T"/>: segments are whole vectors.</summary>
    public static int Lanes => Vector512<T>.Count;

    private MirrorTiles<T>? _tiles;

    /// <summary>Logits, targets, validity and gradient of a stretch of a row.</summary>
    public readonly T[] X = new T[FusedScratch.Chunk + FusedScratch.MaxLanes], Y = new T[FusedScratch.Chunk + FusedScratch.MaxLanes],
        W = new T[FusedScratch.Chunk + FusedScratch.MaxLanes], G = new T[FusedScratch.Chunk + FusedScratch.MaxLanes];

    /// <summary>The mirrors' targets and validity of a stretch's tail, for kernels visiting cells with their mirrors' targets.</summary>
    public readonly T[] YT = new T[FusedScratch.Chunk + FusedScratch.MaxLanes], WT = new T[FusedScratch.Chunk + FusedScratch.MaxLanes];

    private T[] _bandYT = Array.Empty<T>(), _bandWT = Array.Empty<T>();

    /// <summary>
    /// A band's mirrored targets and validity, <c>[r·pitch + b]</c> for band row <c>r</c> and column <c>b</c>, at least
    /// <paramref name="pitch"/> wide (grown on demand, kept: one band per thread).
    /// </summary>
    public (T[] YT, T[] WT) Band(int pitch)
    {
        int size = FusedScratch.Tile * pitch;
        if (_bandYT.Length < size) { _bandYT = new T[size]; _bandWT = new T[size]; }
        return (_bandYT, _bandWT);
    }

    /// <summary>Weights of 1 for a whole chunk: the validity of cells read in place, where there is no mask.</summary>
    public readonly T[] Ones = CreateOnes();

    private static T[] CreateOnes()
    {
        var ones = new T[FusedScratch.Chunk + FusedScratch.MaxLanes];
        ones.AsSpan().Fill(typeof(T) == typeof(float) ? (T)(object)1f : (T)(object)1d);
        return ones;
    }

    /// <summary>The mirrored tiles, made the first time a pair kernel runs on this thread.</summary>
    public MirrorTiles<T> Tiles => _tiles ??= new MirrorTiles<T>();

    /// <summary><paramref name="length"/> rounded up to whole vectors.</summary>
    public static int Padded(int length) => (length + Lanes - 1) & ~(Lanes - 1);

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
/// <c>Tile × Pitch</c> tiles of mirrored cells: <c>XT[r, c]</c> holds cell <c>(b0 + c, a0 + r)</c>. Columns from
/// <see cref="FusedScratch.Tile"/> on are never written, so they stay 0 from allocation.
/// </summary>
internal sealed class MirrorTiles<T> where T : unmanaged
{
    public readonly T[] XT = new T[FusedScratch.Tile * FusedScratch.Pitch], YT = new T[FusedScratch.Tile * FusedScratch.Pitch],
        WT = new T[FusedScratch.Tile * FusedScratch.Pitch], GT = new T[FusedScratch.Tile * FusedScratch.Pitch];
}
