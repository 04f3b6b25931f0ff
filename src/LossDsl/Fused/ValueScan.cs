using System.Threading;
using System;
using System.Numerics;
using TorchSharp;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LossDsl.Fused;

/// <summary>
/// The fused path's side of <see cref="InputValues"/>' rule, folded into the loops that read or convert the values:
/// each returns false on a breach, and the caller throws <see cref="InputValues.Breach"/>.
/// </summary>
internal static unsafe class ValueScan
{
    /// <summary>Whether every one of <paramref name="count"/> bytes is 0 or 1, on this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool BytesAreBinaryPart(byte* p, long count)
    {
        var high = Vector512<byte>.Zero;
        long k = 0;
        for (; k + 64 <= count; k += 64) high |= Vector512.Load(p + k);
        int rest = 0;
        for (; k < count; k++) rest |= p[k];
        return ((high & Vector512.Create((byte)0xFE)) == Vector512<byte>.Zero) && BitsAreBinary(rest);
    }

    /// <summary>Whether bytes whose OR is <paramref name="bits"/> (as conversions return it, <see cref="Elements{T}.Load"/>) were all 0 or 1.</summary>
    public static bool BitsAreBinary(int bits) => (bits & ~1) == 0;

    /// <summary>The OR of a vector's lanes (bytes widened to ints).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int OrOfLanes(Vector256<int> v)
    {
        var half = v.GetLower() | v.GetUpper();
        half |= Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1));
        half |= Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2));
        return half.ToScalar();
    }

    /// <summary>One part of <see cref="WeightsValid{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool WeightsValidPart<T>(T* p, long count) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var infinity = Vector512.Create(T.PositiveInfinity);
        var ok = Vector512<T>.AllBitsSet;
        long k = 0;
        for (; k + Vector512<T>.Count <= count; k += Vector512<T>.Count)
        {
            var v = Vector512.Load(p + k);
            ok &= Vector512.GreaterThanOrEqual(v, Vector512<T>.Zero) & Vector512.LessThan(v, infinity);
        }
        bool all = ok.AsByte() == Vector512<byte>.AllBitsSet; // bitwise: a float compare would see the set lanes as NaN
        for (; k < count; k++) all &= p[k] >= T.Zero && p[k] < T.PositiveInfinity;
        return all;
    }

    /// <summary>
    /// The int16, int32 or int64 <paramref name="source"/> into <paramref name="converted"/> (float32 or float64, both
    /// contiguous, of one size); whether all values were 0 or 1.
    /// </summary>
    public static bool ConvertBinary(torch.Tensor source, torch.Tensor converted)
    {
        nint s = (nint)FusedJob.Pointer(source), d = (nint)FusedJob.Pointer(converted);
        long sourceSize = source.ElementSize, targetSize = converted.ElementSize;
        var (dtype, single) = (source.dtype, converted.dtype == torch.ScalarType.Float32);
        return InParts(source.numel(), (start, length) =>
        {
            void* from = (void*)(s + (nint)(start * sourceSize)), to = (void*)(d + (nint)(start * targetSize));
            return (dtype, single) switch
            {
                (torch.ScalarType.Int64, true) => ConvertBinary((long*)from, (float*)to, length),
                (torch.ScalarType.Int64, false) => ConvertBinary((long*)from, (double*)to, length),
                (torch.ScalarType.Int32, true) => ConvertBinary((int*)from, (float*)to, length),
                (torch.ScalarType.Int32, false) => ConvertBinary((int*)from, (double*)to, length),
                (_, true) => ConvertBinary((short*)from, (float*)to, length),
                (_, false) => ConvertBinary((short*)from, (double*)to, length),
            };
        });
    }

    /// <summary>Whether every one of <paramref name="count"/> bytes (uint8 or int8 data) is 0 or 1.</summary>
    public static bool BytesAreBinary(byte* p, long count)
    {
        nint at = (nint)p;
        return InParts(count, (start, length) => BytesAreBinaryPart((byte*)at + start, length));
    }

    /// <summary>Whether every one of <paramref name="count"/> weights is finite and ≥ 0 (a NaN is neither).</summary>
    public static bool WeightsValid<T>(T* p, long count) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        nint at = (nint)p;
        return InParts(count, (start, length) => WeightsValidPart((T*)at + start, length));
    }

    /// <summary>
    /// Whether <paramref name="part"/> holds for every part of <paramref name="count"/> elements. A large scan is bound
    /// by memory, which one core does not saturate: its parts run on the kernels' threads.
    /// </summary>
    private static bool InParts(long count, Func<long, long, bool> part)
    {
        int parts = count < ParallelFrom ? 1 : FusedLoss.MaxThreads;
        if (parts <= 1) return part(0, count);
        long step = (count / parts + 63) & ~63L;
        int breaches = 0;
        WorkSplit.ForEach(parts, parts, (k, _) =>
        {
            long start = Math.Min(count, k * step);
            if (!part(start, Math.Min(step, count - start))) Interlocked.Increment(ref breaches);
        });
        return breaches == 0;
    }

    /// <summary>Elements from which a scan is split over threads (below it, a second thread costs more than it saves).</summary>
    private const long ParallelFrom = 1 << 18;

    /// <summary>
    /// <paramref name="count"/> integer labels from <paramref name="source"/> into <paramref name="target"/> as
    /// <typeparamref name="T"/>; whether all were 0 or 1 (checked as they pass, so the check costs no pass of its own).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool ConvertBinary<TInt, T>(TInt* source, T* target, long count)
        where TInt : unmanaged, IBinaryInteger<TInt> where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        long k = 0;
        var high = Vector512<long>.Zero;
        if (typeof(TInt) == typeof(long))
        {
            var s = (long*)source;
            if (typeof(T) == typeof(double))
                for (; k + 8 <= count; k += 8)
                {
                    var v = Vector512.Load(s + k);
                    high |= v;
                    Vector512.ConvertToDouble(v).Store((double*)target + k);
                }
            else
                for (; k + 16 <= count; k += 16)
                {
                    var v0 = Vector512.Load(s + k);
                    var v1 = Vector512.Load(s + k + 8);
                    high |= v0 | v1;
                    Vector512.ConvertToSingle(Vector512.Narrow(v0, v1)).Store((float*)target + k);
                }
        }
        else if (typeof(TInt) == typeof(int))
        {
            var s = (int*)source;
            var wide = Vector512<int>.Zero;
            if (typeof(T) == typeof(float))
                for (; k + 16 <= count; k += 16)
                {
                    var v = Vector512.Load(s + k);
                    wide |= v;
                    Vector512.ConvertToSingle(v).Store((float*)target + k);
                }
            else
                for (; k + 16 <= count; k += 16)
                {
                    var v = Vector512.Load(s + k);
                    wide |= v;
                    Vector512.ConvertToDouble(Vector512.WidenLower(v)).Store((double*)target + k);
                    Vector512.ConvertToDouble(Vector512.WidenUpper(v)).Store((double*)target + k + 8);
                }
            high = Vector512.WidenLower(wide) | Vector512.WidenUpper(wide);
        }
        long rest = 0;
        for (; k < count; k++)
        {
            long v = long.CreateTruncating(source[k]);
            rest |= v;
            target[k] = T.CreateTruncating(v);
        }
        // A value other than 0 and 1 has a bit other than the lowest set (−1 has all of them).
        return ((high & Vector512.Create(~1L)) == Vector512<long>.Zero) && (rest & ~1L) == 0;
    }
}
