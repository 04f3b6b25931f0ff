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
            _ => ((double*)Data)[k],
        };
    }

    /// <summary>
    /// <paramref name="validMask"/> as the kernels read it: bool, float32 or float64 data (other dtypes converted), broadcast
    /// to <paramref name="shape"/> through strides (0 where it repeats), so no copy is made of a contiguous mask.
    /// <paramref name="keepAlive"/> holds the data: a conversion lives in the caller's dispose scope.
    /// </summary>
    public static MaskView Of(Tensor? validMask, long[] shape, out Tensor? keepAlive)
    {
        keepAlive = null;
        if (validMask is null) return None;
        var mask = validMask.dtype is ScalarType.Bool or ScalarType.Float32 or ScalarType.Float64 ? validMask : validMask.to(ScalarType.Float64);
        if (!mask.is_contiguous()) mask = mask.contiguous();
        var kind = mask.dtype switch
        {
            ScalarType.Bool => MaskKind.Bool,
            ScalarType.Float32 => MaskKind.Float32,
            _ => MaskKind.Float64,
        };
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
}
