using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace LossDsl.Fused;

/// <summary>
/// Asks for cache lines a walk reads next. A pair walk reads 64 short row pieces per tile (the band's rows and the
/// mirrored tile's source rows, 2 KB or more apart): too many streams for the hardware prefetchers, so without these
/// each tile's first touches wait on memory.
/// </summary>
internal static unsafe class Prefetch
{
    private const int Line = 64;

    /// <summary>The lines of <c>[start, start + bytes)</c> into all cache levels (nothing without SSE).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lines(void* start, long bytes) => Sweep(start, bytes, toL2: false);

    /// <summary>The lines of <c>[start, start + bytes)</c> into L2 (nothing without SSE): for more lines than L1 holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LinesToL2(void* start, long bytes) => Sweep(start, bytes, toL2: true);

    /// <summary>
    /// <paramref name="count"/> row pieces of <paramref name="bytes"/> each, <paramref name="stride"/> bytes apart from
    /// <paramref name="first"/>, into L2 one row after the other: the 8×8 transposes read or write eight rows' pieces at a
    /// time, an order the hardware prefetchers do not follow, so the walks ask for the lines in row order just before.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RowPiecesToL2(void* first, long stride, int count, long bytes)
    {
        for (int k = 0; k < count; k++) LinesToL2((byte*)first + k * stride, bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sweep(void* start, long bytes, bool toL2)
    {
        if (!Sse.IsSupported || bytes <= 0) return;
        byte* end = (byte*)start + bytes;
        for (byte* line = (byte*)((nuint)start & ~(nuint)(Line - 1)); line < end; line += Line)
            if (toL2) Sse.Prefetch1(line);
            else Sse.Prefetch0(line);
    }
}
