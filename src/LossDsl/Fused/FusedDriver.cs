using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace LossDsl.Fused;

/// <summary>How the validity mask's values are stored.</summary>
internal enum MaskKind { None, Bool, Float32, Float64 }

/// <summary>The validity mask as the kernels read it: raw data, its element type, where each sample starts, and its row and column strides.</summary>
internal readonly unsafe struct MaskView
{
    public MaskView(void* data, MaskKind kind, long[] sampleOffsets, long rowStride, long columnStride)
    {
        Data = data;
        Kind = kind;
        SampleOffsets = sampleOffsets;
        RowStride = rowStride;
        ColumnStride = columnStride;
    }

    public void* Data { get; }
    public MaskKind Kind { get; }
    public long[] SampleOffsets { get; }
    public long RowStride { get; }
    public long ColumnStride { get; }
    public bool IsPresent => Kind != MaskKind.None;

    /// <summary><c>V[s, i, j]</c> as a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double At(int sample, int i, int j)
    {
        var k = SampleOffsets[sample] + i * RowStride + j * ColumnStride;
        return Kind switch
        {
            MaskKind.Bool => ((byte*)Data)[k] != 0 ? 1.0 : 0.0,
            MaskKind.Float32 => ((float*)Data)[k],
            _ => ((double*)Data)[k],
        };
    }
}

/// <summary>
/// Runs a generated kernel over contiguous <c>(samples, n, m)</c> data of element type <typeparamref name="T"/>
/// (float or double): one work item per sample and band of <see cref="Tile"/> rows, spread over threads; values and
/// gradients in one pass, after a first pass for region terms' sums. Compiled once per kernel, so the kernel's
/// constants fold into these loops. Sums are added per work item in a fixed order: results do not depend on threads.
/// </summary>
/// <remarks>
/// Every loop here is marked <see cref="MethodImplOptions.AggressiveOptimization"/>: with tiered compilation they
/// stayed in unoptimized code for many calls (measured: 8×64×64 focal 1.19 ms, 0.09 ms fully optimized).
/// </remarks>
internal static unsafe class FusedDriver<TKernel, T> where TKernel : IFusedKernel where T : unmanaged
{
    /// <summary>
    /// Band height and tile width. 64×64 float64 tiles (36 KB with padding, in L2) halve the per-segment and per-tile
    /// costs of 32×32 ones (one thread: SymmetricTranspose+MaskLower 12.0 → 9.4 ms, Symmetrize 13.0 → 9.2 ms, the other
    /// two pair kernels unchanged).
    /// </summary>
    public const int Tile = 64;
    // Tile rows are padded so a segment's last vector never reads into the next row.
    private const int Pitch = Tile + 8;
    // Longest stretch of a row handed to the kernel at once when cells are visited one by one.
    private const int Chunk = 256;

    /// <summary>Per-thread float64 scratch: rows for the cells, tiles for the mirrored cells.</summary>
    private sealed class Scratch
    {
        public readonly double[] X = new double[Chunk + 8], Y = new double[Chunk + 8], W = new double[Chunk + 8], G = new double[Chunk + 8];
        public readonly double[] XT = new double[Tile * Pitch], YT = new double[Tile * Pitch], WT = new double[Tile * Pitch], GT = new double[Tile * Pitch];
    }

    private readonly struct Job
    {
        public Job(T* x, T* y, T* grad, MaskView mask, int n, int m)
        {
            X = x; Y = y; Grad = grad; Mask = mask; N = n; M = m;
        }
        public T* X { get; }
        public T* Y { get; }
        public T* Grad { get; }
        public MaskView Mask { get; }
        public int N { get; }
        public int M { get; }
        public int Bands => (N + Tile - 1) / Tile;
        public long SampleSize => (long)N * M;
    }

    /// <summary>The loss value; writes the gradient of the loss with respect to the logits into <paramref name="grad"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Run(T* x, T* y, T* grad, MaskView mask, int samples, int n, int m, int threads)
    {
        var job = new Job(x, y, grad, mask, n, m);
        int items = samples * job.Bands;
        if ((long)samples * n * m < 16384) threads = 1; // small inputs: threads cost more than they save

        // Normalizers of Mean: Σw over the region, Σ V·Vᵀ over the penalty's pairs (counted when there is no mask).
        double coverage, pairs;
        if (mask.IsPresent)
        {
            var totals = new double[items * 2];
            ForEach(items, threads, (item, _) => CountMask(job, item, totals.AsSpan(item * 2, 2)));
            coverage = 0; pairs = 0;
            for (int k = 0; k < items; k++) { coverage += totals[2 * k]; pairs += totals[2 * k + 1]; }
        }
        else
        {
            coverage = (double)samples * CoveredCells(n, m);
            pairs = TKernel.ConsistencySeparation == 0 ? 0 : (double)samples * Pairs(n, TKernel.ConsistencySeparation);
        }
        var elementwiseScale = TKernel.SumReduction ? 1 : coverage > 0 ? 1 / coverage : 0;
        var consistencyScale = TKernel.SumReduction ? 1 : pairs > 0 ? 1 / pairs : 0;

        // First pass, region terms only: each sample's confusion sums, then the coefficients of their gradient.
        double regionValue = 0;
        var coefficients = new double[samples * TKernel.CoefficientCount];
        if (TKernel.RegionSumCount > 0)
        {
            int count = TKernel.RegionSumCount;
            var itemSums = new double[items * count];
            ForEach(items, threads, (item, scratch) => Visit(job, item, scratch, firstPass: true, itemSums.AsSpan(item * count, count), default, 0, 0));
            var sampleSums = new double[samples * count];
            for (int k = 0; k < items; k++)
                for (int c = 0; c < count; c++) sampleSums[k / job.Bands * count + c] += itemSums[k * count + c];
            regionValue = TKernel.Coefficients(sampleSums, samples, coefficients);
        }

        // Second pass: values and the gradient.
        int valueCount = TKernel.ValueCount;
        var values = new double[Math.Max(1, items * valueCount)];
        ForEach(items, threads, (item, scratch) =>
        {
            int sample = item / job.Bands;
            Visit(job, item, scratch, firstPass: false, values.AsSpan(item * valueCount, valueCount),
                coefficients.AsSpan(sample * TKernel.CoefficientCount, TKernel.CoefficientCount), elementwiseScale, consistencyScale);
        });
        var totalsPerValue = new double[valueCount];
        for (int k = 0; k < items; k++)
            for (int c = 0; c < valueCount; c++) totalsPerValue[c] += values[k * valueCount + c];
        return TKernel.Total(totalsPerValue, elementwiseScale, consistencyScale) + regionValue;
    }

    private delegate void ItemAction(int item, Scratch scratch);

    // One scratch per thread, kept between calls: O(threads) memory, no allocation per call.
    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>
    /// Runs <paramref name="action"/> for every item on up to <paramref name="threads"/> threads. Items are taken from a
    /// shared counter, so uneven items (bands of a triangle) balance themselves. The calling thread works from the
    /// start and waits only for helpers that are busy with an item: on this project's VM a pool thread took
    /// 0.2–3.4 ms to wake (measured), and Parallel.For waited for it even when the caller had done all the work.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForEach(int items, int threads, ItemAction action)
    {
        var scratch = t_scratch ??= new Scratch();
        if (threads <= 1 || items == 1)
        {
            for (int k = 0; k < items; k++) action(k, scratch);
            return;
        }
        var split = new WorkSplit(items, action);
        for (int h = 1; h < Math.Min(threads, items); h++) ThreadPool.UnsafeQueueUserWorkItem(WorkSplit.Help, split, preferLocal: false);
        split.Work(scratch);
        split.WaitForHelpers();
    }

    /// <summary>One <see cref="ForEach"/>: the next item to take, and how many helpers are inside an item.</summary>
    private sealed class WorkSplit
    {
        private readonly int _items;
        private readonly ItemAction _action;
        private int _next = -1;
        private int _busy;
        private Exception? _failure;

        public WorkSplit(int items, ItemAction action)
        {
            _items = items;
            _action = action;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Work(Scratch scratch)
        {
            int k;
            while ((k = Interlocked.Increment(ref _next)) < _items) _action(k, scratch);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Help(WorkSplit split)
        {
            // Counted busy before taking an item, so the caller, having taken the last one, sees every helper that got one.
            Interlocked.Increment(ref split._busy);
            try { split.Work(t_scratch ??= new Scratch()); }
            catch (Exception e) { split._failure = e; }
            finally { Interlocked.Decrement(ref split._busy); }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void WaitForHelpers()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _busy) > 0) spin.SpinOnce();
            if (_failure is not null) throw new AggregateException(_failure);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Visit(in Job job, int item, Scratch scratch, bool firstPass, Span<double> sums, ReadOnlySpan<double> coefficients,
        double elementwiseScale, double consistencyScale)
    {
        var segment = new FusedSegment
        {
            Sums = sums,
            Coefficients = coefficients,
            ElementwiseScale = elementwiseScale,
            ConsistencyScale = consistencyScale,
        };
        if (TKernel.VisitsPairs) VisitPairs(job, item, scratch, firstPass, ref segment);
        else VisitCells(job, item, scratch, firstPass, ref segment);
    }

    // ---- cells one by one ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VisitCells(in Job job, int item, Scratch scratch, bool firstPass, ref FusedSegment segment)
    {
        int sample = item / job.Bands, a0 = item % job.Bands * Tile, rows = Math.Min(Tile, job.N - a0);
        int m = job.M;
        T* x = job.X + sample * job.SampleSize, y = job.Y + sample * job.SampleSize, grad = job.Grad + sample * job.SampleSize;
        Span<(int From, int To)> ranges = stackalloc (int, int)[2];
        for (int a = a0; a < a0 + rows; a++)
        {
            int count = RowRanges(a, m, ranges);
            int done = 0; // columns of this row whose gradient is written
            for (int r = 0; r < count; r++)
            {
                var (from, to) = ranges[r];
                if (!firstPass) new Span<T>(grad + (long)a * m + done, from - done).Clear();
                for (int c = from; c < to; c += Chunk)
                {
                    int length = Math.Min(Chunk, to - c);
                    LoadRow(job, sample, a, c, length, x, y, scratch);
                    segment.Length = Padded(length);
                    segment.X = scratch.X; segment.Y = scratch.Y; segment.W = scratch.W; segment.G = scratch.G;
                    if (firstPass) TKernel.CellSums(ref segment);
                    else
                    {
                        TKernel.Cells(ref segment);
                        Store(scratch.G, grad + (long)a * m + c, length);
                    }
                }
                done = to;
            }
            if (!firstPass) new Span<T>(grad + (long)a * m + done, m - done).Clear();
        }
    }

    // ---- pairs (i, j)/(j, i), j > i, in square tiles; the diagonal as cells ----

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VisitPairs(in Job job, int item, Scratch scratch, bool firstPass, ref FusedSegment segment)
    {
        int sample = item / job.Bands, a0 = item % job.Bands * Tile, rows = Math.Min(Tile, job.N - a0);
        int m = job.M;
        T* x = job.X + sample * job.SampleSize, y = job.Y + sample * job.SampleSize, grad = job.Grad + sample * job.SampleSize;
        var region = TKernel.Region;
        int first = Math.Max(1, region.MinSeparation); // pairs j − i < first are outside the region and the penalty

        // The diagonal: cells of their own.
        if (DiagonalCovered(region))
        {
            for (int r = 0; r < rows; r++)
            {
                long at = (long)(a0 + r) * m + a0 + r;
                scratch.X[r] = Value(x + at);
                scratch.Y[r] = Value(y + at);
                scratch.W[r] = job.Mask.IsPresent ? job.Mask.At(sample, a0 + r, a0 + r) : 1;
            }
            ClearPadding(scratch, rows);
            segment.Length = Padded(rows);
            segment.X = scratch.X; segment.Y = scratch.Y; segment.W = scratch.W; segment.G = scratch.G;
            if (firstPass) TKernel.CellSums(ref segment);
            else
            {
                TKernel.Cells(ref segment);
                for (int r = 0; r < rows; r++) grad[(long)(a0 + r) * m + a0 + r] = FromDouble(scratch.G[r]);
            }
        }
        else if (!firstPass)
        {
            for (int r = 0; r < rows; r++) grad[(long)(a0 + r) * m + a0 + r] = default;
        }
        if (!firstPass)
        {
            // Upper cells too close to the diagonal to be in any pair: gradient 0 (the lower ones get it from the tiles).
            for (int a = a0; a < a0 + rows; a++)
                new Span<T>(grad + (long)a * m + a + 1, Math.Max(0, Math.Min(m, a + first) - a - 1)).Clear();
        }

        for (int b0 = a0; b0 < m; b0 += Tile)
        {
            int width = Math.Min(Tile, m - b0);
            LoadMirrorTile(job, sample, a0, rows, b0, width, x, y, scratch);
            // Cells of the tile that no pair reaches (near the diagonal) must come back as 0; further out every one is written.
            if (!firstPass && b0 < a0 + rows - 1 + first) Array.Clear(scratch.GT);
            for (int r = 0; r < rows; r++)
            {
                int a = a0 + r;
                int from = Math.Max(b0, a + first);
                if (from >= b0 + width) continue;
                int length = b0 + width - from;
                LoadRow(job, sample, a, from, length, x, y, scratch);
                int offset = r * Pitch + from - b0, padded = Padded(length);
                segment.Length = padded;
                segment.X = scratch.X; segment.Y = scratch.Y; segment.W = scratch.W; segment.G = scratch.G;
                segment.XT = scratch.XT.AsSpan(offset, padded);
                segment.YT = TKernel.ReadsMirroredTargets ? scratch.YT.AsSpan(offset, padded) : scratch.Y;
                // Without a mask every real cell has weight 1 and the padding 0, on both sides alike.
                segment.WT = job.Mask.IsPresent ? scratch.WT.AsSpan(offset, padded) : scratch.W;
                segment.GT = scratch.GT.AsSpan(offset, padded);
                if (firstPass) TKernel.PairSums(ref segment);
                else
                {
                    TKernel.Pairs(ref segment);
                    Store(scratch.G, grad + (long)a * m + from, length);
                }
            }
            if (firstPass) continue;
            // The mirrored cells (b, a), b > a, go back transposed; those no pair reached are 0 from the clear.
            // float32: whole 8×8 blocks below the diagonal by register transposes; the rest element by element, eight
            // columns at a time, so each tile row is read in one piece and eight gradient rows are written in step.
            bool blocks = typeof(T) == typeof(float) && Avx.IsSupported;
            fixed (double* gt = scratch.GT)
                for (int c0 = 0; c0 < width; c0 += 8)
                {
                    int count = Math.Min(8, width - c0);
                    for (int r0 = 0; r0 < rows; r0 += 8)
                    {
                        int last = Math.Min(rows, r0 + 8);
                        if (blocks && count == 8 && last == r0 + 8 && b0 + c0 > a0 + r0 + 7)
                        {
                            TransposeBack(gt + r0 * Pitch + c0, (float*)(grad + (long)(b0 + c0) * m + a0 + r0), m);
                            continue;
                        }
                        for (int r = r0; r < last; r++)
                        {
                            int a = a0 + r;
                            for (int c = c0; c < c0 + count; c++)
                                if (b0 + c > a) grad[(long)(b0 + c) * m + a] = FromDouble(gt[r * Pitch + c]);
                        }
                    }
                }
        }
    }

    /// <summary>Fills the mirrored tile: <c>XT[r, c] = x[b0 + c, a0 + r]</c> (and targets, validity), zero past the tile's width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LoadMirrorTile(in Job job, int sample, int a0, int rows, int b0, int width, T* x, T* y, Scratch scratch)
    {
        int m = job.M;
        // float32 without a mask: whole 8×8 blocks by register transposes (the profile had this copy at ~30% of the
        // pairs kernels' own time when done element by element); the rest element by element.
        int blockColumns = 0, blockRows = 0;
        if (typeof(T) == typeof(float) && Avx.IsSupported && !job.Mask.IsPresent)
        {
            blockColumns = width & ~7;
            blockRows = rows & ~7;
            fixed (double* xt = scratch.XT, yt = scratch.YT)
                for (int c0 = 0; c0 < blockColumns; c0 += 8)
                    for (int r0 = 0; r0 < blockRows; r0 += 8)
                    {
                        long source = (long)(b0 + c0) * m + a0 + r0;
                        TransposeBlock((float*)(x + source), m, xt + r0 * Pitch + c0);
                        if (TKernel.ReadsMirroredTargets) TransposeBlock((float*)(y + source), m, yt + r0 * Pitch + c0);
                    }
        }
        // Eight source rows at a time, so each tile row is written in one piece (the tile is larger than L1).
        for (int c0 = 0; c0 < width; c0 += 8)
        {
            int count = Math.Min(8, width - c0);
            for (int r = c0 < blockColumns ? blockRows : 0; r < rows; r++)
            {
                int at = r * Pitch;
                for (int c = c0; c < c0 + count; c++)
                {
                    long source = (long)(b0 + c) * m + a0 + r;
                    scratch.XT[at + c] = Value(x + source);
                    if (TKernel.ReadsMirroredTargets) scratch.YT[at + c] = Value(y + source);
                    if (job.Mask.IsPresent) scratch.WT[at + c] = job.Mask.At(sample, b0 + c, a0 + r);
                }
            }
        }
        // Lanes past the tile's width must read 0. Columns from Tile on are never written (zero since allocation);
        // only a narrower last tile leaves older values in between.
        if (width < Tile)
            for (int r = 0; r < rows; r++)
            {
                scratch.XT.AsSpan(r * Pitch + width, Tile - width).Clear();
                scratch.YT.AsSpan(r * Pitch + width, Tile - width).Clear();
                scratch.WT.AsSpan(r * Pitch + width, Tile - width).Clear();
            }
    }

    /// <summary>
    /// <c>target[i·Pitch + j] = source[j·stride + i]</c> for an 8×8 block of floats, widened to float64.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeBlock(float* source, long stride, double* target)
    {
        Transpose8(Avx.LoadVector256(source), Avx.LoadVector256(source + stride),
            Avx.LoadVector256(source + 2 * stride), Avx.LoadVector256(source + 3 * stride),
            Avx.LoadVector256(source + 4 * stride), Avx.LoadVector256(source + 5 * stride),
            Avx.LoadVector256(source + 6 * stride), Avx.LoadVector256(source + 7 * stride),
            out var w0, out var w1, out var w2, out var w3, out var w4, out var w5, out var w6, out var w7);
        StoreWidened(target, w0);
        StoreWidened(target + Pitch, w1);
        StoreWidened(target + 2 * Pitch, w2);
        StoreWidened(target + 3 * Pitch, w3);
        StoreWidened(target + 4 * Pitch, w4);
        StoreWidened(target + 5 * Pitch, w5);
        StoreWidened(target + 6 * Pitch, w6);
        StoreWidened(target + 7 * Pitch, w7);
    }

    /// <summary>The way back: <c>target[j·stride + i] = source[i·Pitch + j]</c> for an 8×8 block, narrowed to float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeBack(double* source, float* target, long stride)
    {
        Transpose8(LoadNarrowed(source), LoadNarrowed(source + Pitch),
            LoadNarrowed(source + 2 * Pitch), LoadNarrowed(source + 3 * Pitch),
            LoadNarrowed(source + 4 * Pitch), LoadNarrowed(source + 5 * Pitch),
            LoadNarrowed(source + 6 * Pitch), LoadNarrowed(source + 7 * Pitch),
            out var w0, out var w1, out var w2, out var w3, out var w4, out var w5, out var w6, out var w7);
        Avx.Store(target, w0);
        Avx.Store(target + stride, w1);
        Avx.Store(target + 2 * stride, w2);
        Avx.Store(target + 3 * stride, w3);
        Avx.Store(target + 4 * stride, w4);
        Avx.Store(target + 5 * stride, w5);
        Avx.Store(target + 6 * stride, w6);
        Avx.Store(target + 7 * stride, w7);
    }

    /// <summary>The 8×8 float transpose in registers: <c>w_i[j] = v_j[i]</c> (unpack, shuffle, swap 128-bit halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3,
        Vector256<float> v4, Vector256<float> v5, Vector256<float> v6, Vector256<float> v7,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2, out Vector256<float> w3,
        out Vector256<float> w4, out Vector256<float> w5, out Vector256<float> w6, out Vector256<float> w7)
    {
        var t0 = Avx.UnpackLow(v0, v1); var t1 = Avx.UnpackHigh(v0, v1);
        var t2 = Avx.UnpackLow(v2, v3); var t3 = Avx.UnpackHigh(v2, v3);
        var t4 = Avx.UnpackLow(v4, v5); var t5 = Avx.UnpackHigh(v4, v5);
        var t6 = Avx.UnpackLow(v6, v7); var t7 = Avx.UnpackHigh(v6, v7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        w0 = Avx.Permute2x128(u0, u4, 0x20); w1 = Avx.Permute2x128(u1, u5, 0x20);
        w2 = Avx.Permute2x128(u2, u6, 0x20); w3 = Avx.Permute2x128(u3, u7, 0x20);
        w4 = Avx.Permute2x128(u0, u4, 0x31); w5 = Avx.Permute2x128(u1, u5, 0x31);
        w6 = Avx.Permute2x128(u2, u6, 0x31); w7 = Avx.Permute2x128(u3, u7, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LoadNarrowed(double* source) =>
        Vector256.Narrow(Vector256.Load(source), Vector256.Load(source + 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreWidened(double* target, Vector256<float> row)
    {
        var (lower, upper) = Vector256.Widen(row);
        lower.Store(target);
        upper.Store(target + 4);
    }

    /// <summary>Row <paramref name="a"/>, columns <c>[from, from + length)</c>, into the row scratch as float64, padding zeroed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LoadRow(in Job job, int sample, int a, int from, int length, T* x, T* y, Scratch scratch)
    {
        long at = (long)a * job.M + from;
        Load(x + at, scratch.X, length);
        Load(y + at, scratch.Y, length);
        if (job.Mask.IsPresent)
            for (int k = 0; k < length; k++) scratch.W[k] = job.Mask.At(sample, a, from + k);
        else
            scratch.W.AsSpan(0, length).Fill(1);
        ClearPadding(scratch, length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ClearPadding(Scratch scratch, int length)
    {
        int pad = Padded(length) - length;
        scratch.X.AsSpan(length, pad).Clear();
        scratch.Y.AsSpan(length, pad).Clear();
        scratch.W.AsSpan(length, pad).Clear();
    }

    // ---- regions and normalizers ----

    private static bool DiagonalCovered(Region region) =>
        region.MinSeparation == 0 && (region.Half == MapHalf.Both || region.IncludeDiagonal);

    /// <summary>The columns of row <paramref name="a"/> the region covers, as at most two ranges <c>[From, To)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RowRanges(int a, int m, Span<(int From, int To)> ranges)
    {
        var region = TKernel.Region;
        if (region.Half == MapHalf.Both && region.MinSeparation == 0)
        {
            ranges[0] = (0, m);
            return 1;
        }
        int apart = Math.Max(1, region.MinSeparation);
        bool left = region.Half != MapHalf.Upper, right = region.Half != MapHalf.Lower, diagonal = DiagonalCovered(region);
        int count = 0;
        // Left of the diagonal: columns [0, a − apart]; the diagonal; right of it: [a + apart, m).
        int leftTo = left ? Math.Max(0, a - apart + 1) : 0;
        int rightFrom = right ? Math.Min(m, a + apart) : m;
        if (diagonal)
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
    private static long CoveredCells(int n, int m)
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
    private static long Pairs(int n, int apart)
    {
        long total = 0;
        for (int a = 0; a < n; a++) total += Math.Max(0, n - a - apart);
        return total;
    }

    /// <summary>With a mask: <c>Σ V</c> over the region and <c>Σ V[i, j]·V[j, i]</c> over the penalty's pairs, for one work item.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountMask(in Job job, int item, Span<double> totals)
    {
        int sample = item / job.Bands, a0 = item % job.Bands * Tile, rows = Math.Min(Tile, job.N - a0);
        Span<(int From, int To)> ranges = stackalloc (int, int)[2];
        double coverage = 0, pairs = 0;
        for (int a = a0; a < a0 + rows; a++)
        {
            int count = RowRanges(a, job.M, ranges);
            for (int r = 0; r < count; r++)
                for (int b = ranges[r].From; b < ranges[r].To; b++) coverage += job.Mask.At(sample, a, b);
        }
        int apart = TKernel.ConsistencySeparation;
        if (apart > 0)
        {
            // Tile by tile, so the mirrored reads stay in cache.
            for (int b0 = a0; b0 < job.M; b0 += Tile)
                for (int b = b0; b < Math.Min(job.M, b0 + Tile); b++)
                    for (int a = a0; a < a0 + rows && a + apart <= b; a++)
                        pairs += job.Mask.At(sample, a, b) * job.Mask.At(sample, b, a);
        }
        totals[0] = coverage;
        totals[1] = pairs;
    }

    // ---- element conversions ----

    private static int Padded(int length) => (length + 7) & ~7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Value(T* p) => typeof(T) == typeof(float) ? *(float*)p : *(double*)p;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromDouble(double value)
    {
        if (typeof(T) == typeof(float)) { float f = (float)value; return *(T*)&f; }
        return *(T*)&value;
    }

    /// <summary><paramref name="length"/> elements from <paramref name="source"/> into float64 <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Load(T* source, Span<double> target, int length)
    {
        if (typeof(T) == typeof(double)) { new ReadOnlySpan<double>(source, length).CopyTo(target); return; }
        var f = (float*)source;
        int k = 0;
        fixed (double* d = target)
        {
            for (; k + 8 <= length; k += 8)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Load(f + k));
                lower.Store(d + k);
                upper.Store(d + k + 4);
            }
            for (; k < length; k++) d[k] = f[k];
        }
    }

    /// <summary><paramref name="length"/> float64 values back into <paramref name="target"/>'s element type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Store(Span<double> source, T* target, int length)
    {
        if (typeof(T) == typeof(double)) { source[..length].CopyTo(new Span<double>(target, length)); return; }
        var f = (float*)target;
        int k = 0;
        fixed (double* d = source)
        {
            for (; k + 8 <= length; k += 8)
                Vector256.Narrow(Vector256.Load(d + k), Vector256.Load(d + k + 4)).Store(f + k);
            for (; k < length; k++) f[k] = (float)d[k];
        }
    }
}
