using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LossDsl.Fused;

/// <summary>
/// 8×8 transposes of float32 blocks in AVX registers between a map and a float32 mirror tile (rows
/// <see cref="FusedScratch.Pitch"/> apart): eight vector loads and stores where an element copy touches 64 floats one
/// by one, each in another row. Callers check <see cref="IsSupported"/>.
/// </summary>
internal static unsafe class TileTranspose
{
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>Whether the byte <see cref="Gather(byte*, long, float*, ref Vector256{int}, int)"/> can run (it widens with AVX2).</summary>
    public static bool GathersBytes => Avx2.IsSupported;

    /// <summary><c>target[i·pitch + j] = source[j·stride + i]</c> for an 8×8 block of floats (<paramref name="pitch"/>: the tile's by default).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gather(float* source, long stride, float* target, int pitch = FusedScratch.Pitch) =>
        StoreTransposed(Avx.LoadVector256(source), Avx.LoadVector256(source + stride),
            Avx.LoadVector256(source + 2 * stride), Avx.LoadVector256(source + 3 * stride),
            Avx.LoadVector256(source + 4 * stride), Avx.LoadVector256(source + 5 * stride),
            Avx.LoadVector256(source + 6 * stride), Avx.LoadVector256(source + 7 * stride), target, pitch);

    /// <summary><c>target[i·pitch + j] = source[j·stride + i]</c> for an 8×8 block of bytes (bool or uint8 targets), as floats; the bytes OR-ed into <paramref name="seen"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gather(byte* source, long stride, float* target, ref Vector256<int> seen, int pitch = FusedScratch.Pitch)
    {
        var v0 = Widen(source); var v1 = Widen(source + stride); var v2 = Widen(source + 2 * stride); var v3 = Widen(source + 3 * stride);
        var v4 = Widen(source + 4 * stride); var v5 = Widen(source + 5 * stride); var v6 = Widen(source + 6 * stride); var v7 = Widen(source + 7 * stride);
        seen |= (v0 | v1) | (v2 | v3) | (v4 | v5) | (v6 | v7);
        StoreTransposed(Avx.ConvertToVector256Single(v0), Avx.ConvertToVector256Single(v1), Avx.ConvertToVector256Single(v2),
            Avx.ConvertToVector256Single(v3), Avx.ConvertToVector256Single(v4), Avx.ConvertToVector256Single(v5),
            Avx.ConvertToVector256Single(v6), Avx.ConvertToVector256Single(v7), target, pitch);
    }

    /// <summary>Whether targets of <typeparamref name="TY"/> (float32, or bool/uint8 bytes) go by <see cref="GatherTargets"/>.</summary>
    public static bool GathersTargets<TY>() where TY : unmanaged =>
        IsSupported && (typeof(TY) == typeof(float) || typeof(TY) == typeof(byte) && GathersBytes);

    /// <summary>
    /// An 8×8 block of targets, float32 or bytes, transposed into float32 (callers check <see cref="GathersTargets"/>);
    /// bytes are OR-ed into <paramref name="seen"/> (for their 0/1 check, see <see cref="ValueScan.OrOfLanes"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GatherTargets<TY>(TY* source, long stride, float* target, ref Vector256<int> seen, int pitch = FusedScratch.Pitch) where TY : unmanaged
    {
        if (typeof(TY) == typeof(float)) Gather((float*)source, stride, target, pitch);
        else Gather((byte*)source, stride, target, ref seen, pitch);
    }

    /// <summary>Rows <c>v_j</c> into the target as columns: <c>target[i·P + j] = v_j[i]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTransposed(Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3,
        Vector256<float> v4, Vector256<float> v5, Vector256<float> v6, Vector256<float> v7, float* target, int P)
    {
        Transpose8(v0, v1, v2, v3, v4, v5, v6, v7, out var w0, out var w1, out var w2, out var w3, out var w4, out var w5, out var w6, out var w7);
        Avx.Store(target, w0);
        Avx.Store(target + P, w1);
        Avx.Store(target + 2 * P, w2);
        Avx.Store(target + 3 * P, w3);
        Avx.Store(target + 4 * P, w4);
        Avx.Store(target + 5 * P, w5);
        Avx.Store(target + 6 * P, w6);
        Avx.Store(target + 7 * P, w7);
    }

    /// <summary>Eight bytes as eight ints.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Widen(byte* source) => Avx2.ConvertToVector256Int32(source);

    /// <summary>The way back: <c>target[j·stride + i] = source[i·Pitch + j]</c> for an 8×8 block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scatter(float* source, float* target, long stride)
    {
        const int P = FusedScratch.Pitch;
        Transpose8(Avx.LoadVector256(source), Avx.LoadVector256(source + P),
            Avx.LoadVector256(source + 2 * P), Avx.LoadVector256(source + 3 * P),
            Avx.LoadVector256(source + 4 * P), Avx.LoadVector256(source + 5 * P),
            Avx.LoadVector256(source + 6 * P), Avx.LoadVector256(source + 7 * P),
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
}
