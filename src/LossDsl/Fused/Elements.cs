using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LossDsl.Fused;

/// <summary>
/// Tensor elements into the kernels' scratch of element type <typeparamref name="T"/> (the logits' float or double) and
/// back: elements of <typeparamref name="T"/> itself both ways, bytes (bool and uint8 targets) one way.
/// </summary>
internal static unsafe class Elements<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary><c>*p</c> as a <typeparamref name="T"/>; <typeparamref name="TSource"/> is <typeparamref name="T"/> or byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Value<TSource>(TSource* p) where TSource : unmanaged =>
        typeof(TSource) == typeof(byte) ? T.CreateTruncating(*(byte*)p) : *(T*)p;

    /// <summary>
    /// <paramref name="length"/> elements from <paramref name="source"/> (<typeparamref name="T"/> or byte) into
    /// <paramref name="target"/>; returns the OR of the bytes (0 for elements of <typeparamref name="T"/>), so a 0/1 check
    /// of byte targets costs one OR per vector of bytes already in a register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Load<TSource>(TSource* source, Span<T> target, int length) where TSource : unmanaged
    {
        if (typeof(TSource) != typeof(byte)) { new ReadOnlySpan<T>(source, length).CopyTo(target); return 0; }
        var bytes = (byte*)source;
        var seen = Vector256<int>.Zero;
        int k = 0, rest = 0;
        fixed (T* t = target)
        {
            if (Avx2.IsSupported)
                for (; k + 8 <= length; k += 8)
                {
                    var wide = Avx2.ConvertToVector256Int32(bytes + k);
                    seen |= wide;
                    if (typeof(T) == typeof(float)) Avx.ConvertToVector256Single(wide).Store((float*)t + k);
                    else
                    {
                        Avx.ConvertToVector256Double(wide.GetLower()).Store((double*)t + k);
                        Avx.ConvertToVector256Double(wide.GetUpper()).Store((double*)t + k + 4);
                    }
                }
            for (; k < length; k++)
            {
                rest |= bytes[k];
                t[k] = T.CreateTruncating(bytes[k]);
            }
        }
        return rest | ValueScan.OrOfLanes(seen);
    }

    /// <summary><paramref name="length"/> values back into the tensor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(ReadOnlySpan<T> source, T* target, int length) => source[..length].CopyTo(new Span<T>(target, length));
}
