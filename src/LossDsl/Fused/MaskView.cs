using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

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

    public static MaskView None => new(null, MaskKind.None, Array.Empty<long>(), 0, 0);

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
            MaskKind.Float64 => ((double*)Data)[k],
            MaskKind.None => throw new InvalidOperationException("no mask to read"),
        };
    }

    /// <summary>
    /// Row <paramref name="i"/>'s cells <c>[from, from + length)</c> of <paramref name="sample"/> into
    /// <paramref name="target"/>: a contiguous row by copy or vector conversion, the rest cell by cell.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void LoadRow<T>(int sample, int i, int from, int length, Span<T> target) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var k = SampleOffsets[sample] + i * RowStride + from * ColumnStride;
        if (ColumnStride == 1)
            switch (Kind)
            {
                case MaskKind.Bool: Elements<T>.Load((byte*)Data + k, target, length); return; // bytes checked 0/1 (Read)
                case MaskKind.Float32 when typeof(T) == typeof(float): new ReadOnlySpan<T>((float*)Data + k, length).CopyTo(target); return;
                case MaskKind.Float64 when typeof(T) == typeof(double): new ReadOnlySpan<T>((double*)Data + k, length).CopyTo(target); return;
            }
        for (int c = 0; c < length; c++) target[c] = T.CreateTruncating(At(sample, i, from + c));
    }

    /// <summary><c>Σ V[sample, i, j]</c> over <c>j ∈ [from, to)</c>: vector sums for a contiguous row, else cell by cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double RowSum(int sample, int i, int from, int to)
    {
        if (to <= from) return 0;
        var k = SampleOffsets[sample] + i * RowStride + from * ColumnStride;
        int length = to - from;
        if (ColumnStride == 1)
            switch (Kind)
            {
                case MaskKind.Bool: return length - new ReadOnlySpan<byte>((byte*)Data + k, length).Count((byte)0);
                case MaskKind.Float32: return Sum(new ReadOnlySpan<float>((float*)Data + k, length));
            }
        double sum = 0;
        for (int j = from; j < to; j++) sum += At(sample, i, j);
        return sum;
    }

    /// <summary>A float32 row's sum, in float64 lanes (a row holds up to a few thousand weights).</summary>
    private static double Sum(ReadOnlySpan<float> values)
    {
        var lanes = Vector256<double>.Zero;
        int j = 0;
        for (; j + Vector256<float>.Count <= values.Length; j += Vector256<float>.Count)
        {
            var v = Vector256.Create(values.Slice(j, Vector256<float>.Count));
            lanes += Vector256.WidenLower(v) + Vector256.WidenUpper(v);
        }
        double sum = Vector256.Sum(lanes);
        for (; j < values.Length; j++) sum += values[j];
        return sum;
    }

    /// <summary>
    /// <paramref name="validMask"/> as the kernels read it: bool, uint8 and int8 masks as bytes, float32 and float64 as
    /// they are, other dtypes converted to float64; broadcast to <paramref name="shape"/> through strides (0 where it
    /// repeats), so no copy is made of a contiguous mask. Its values are checked on the way (<see cref="InputValues"/>).
    /// <paramref name="keepAlive"/> holds the data: a conversion lives in the caller's dispose scope.
    /// </summary>
    public static MaskView Of(Tensor? validMask, long[] shape, out Tensor? keepAlive)
    {
        keepAlive = null;
        if (validMask is null) return None;
        var mask = validMask.is_contiguous() ? validMask : validMask.contiguous();
        var kind = Read(validMask, ref mask);
        var strides = mask.expand(shape).stride();
        int leading = shape.Length - 2;
        long samples = 1;
        for (int d = 0; d < leading; d++) samples *= shape[d];
        var offsets = new long[samples];
        for (long s = 0; s < samples; s++)
        {
            long rest = s, offset = 0;
            for (int d = leading - 1; d >= 0; d--)
            {
                offset += rest % shape[d] * strides[d];
                rest /= shape[d];
            }
            offsets[s] = offset;
        }
        keepAlive = mask;
        return new MaskView(FusedJob.Pointer(mask), kind, offsets, strides[^2], strides[^1]);
    }

    /// <summary>How the kernels read <paramref name="mask"/> (contiguous), converting it where they cannot; throws on a value breaking the rule.</summary>
    private static MaskKind Read(Tensor validMask, ref Tensor mask)
    {
        void* data = FusedJob.Pointer(mask);
        long count = mask.numel();
        bool valid;
        MaskKind kind;
        switch (mask.dtype)
        {
            case ScalarType.Bool: return MaskKind.Bool;
            case ScalarType.Byte or ScalarType.Int8:
                (valid, kind) = (ValueScan.BytesAreBinary((byte*)data, count), MaskKind.Bool);
                break;
            case ScalarType.Float32:
                (valid, kind) = (ValueScan.WeightsValid((float*)data, count), MaskKind.Float32);
                break;
            case ScalarType.Float64:
                (valid, kind) = (ValueScan.WeightsValid((double*)data, count), MaskKind.Float64);
                break;
            case ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64:
                var converted = empty(mask.shape, ScalarType.Float64);
                valid = ValueScan.ConvertBinary(mask, converted);
                (mask, kind) = (converted, MaskKind.Float64);
                break;
            default: // half precision: as float64
                mask = mask.to(ScalarType.Float64);
                (valid, kind) = (ValueScan.WeightsValid((double*)FusedJob.Pointer(mask), mask.numel()), MaskKind.Float64);
                break;
        }
        if (!valid) throw InputValues.Breach(validMask, nameof(validMask), isMask: true);
        return kind;
    }
}
