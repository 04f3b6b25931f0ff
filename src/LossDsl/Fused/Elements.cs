using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LossDsl.Fused;

/// <summary>
/// Tensor elements of type <typeparamref name="T"/> to and from the float64 scratch: float or double both ways, bytes
/// (bool and uint8 targets) one way.
/// </summary>
internal static unsafe class Elements<T> where T : unmanaged
{
    /// <summary><c>*p</c> as a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Value(T* p) =>
        typeof(T) == typeof(float) ? *(float*)p : typeof(T) == typeof(byte) ? *(byte*)p : *(double*)p;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromDouble(double value)
    {
        if (typeof(T) == typeof(float)) { float f = (float)value; return *(T*)&f; }
        return *(T*)&value;
    }

    /// <summary><paramref name="length"/> elements from <paramref name="source"/> into float64 <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Load(T* source, Span<double> target, int length)
    {
        if (typeof(T) == typeof(double)) { new ReadOnlySpan<double>(source, length).CopyTo(target); return; }
        if (typeof(T) == typeof(byte)) { LoadBytes((byte*)source, target, length); return; }
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LoadBytes(byte* source, Span<double> target, int length)
    {
        int k = 0;
        fixed (double* d = target)
        {
            if (Avx2.IsSupported)
                for (; k + 8 <= length; k += 8)
                {
                    var wide = Avx2.ConvertToVector256Int32(source + k);
                    Avx.ConvertToVector256Double(wide.GetLower()).Store(d + k);
                    Avx.ConvertToVector256Double(wide.GetUpper()).Store(d + k + 4);
                }
            for (; k < length; k++) d[k] = source[k];
        }
    }

    /// <summary><paramref name="length"/> float64 values back into <paramref name="target"/>'s element type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Store(Span<double> source, T* target, int length)
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
