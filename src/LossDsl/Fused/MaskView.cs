using System;
using System.Runtime.CompilerServices;
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
        if (!valid) throw InputValues.Breach(validMask, nameof(validMask));
        return kind;
    }
}
