using System;
using System.ComponentModel;
using System.Linq;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>
/// The run-time checks of shapes, dtypes and devices that every generated module makes before it computes; the values
/// of targets and masks are checked where they are read (<see cref="InputValues"/>, docs/runtime.md, "Targets and masks").
/// </summary>
/// <remarks>Called by generated code; not meant to be called directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LossInputs
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> (naming the argument and the shapes) unless
    /// <paramref name="logits"/> is a floating-point tensor of shape <c>(..., N, M)</c>,
    /// <paramref name="target"/> has the same shape and device and the logits' dtype, or is bool or an integer dtype
    /// (hard 0/1 labels, see <see cref="IsLabelDtype"/>), <paramref name="validMask"/> (if any) is bool, an integer dtype or
    /// floating point, on the same device and broadcastable to the logits,
    /// and, when <paramref name="requireSquare"/>, <c>N = M</c>.
    /// </summary>
    public static void Validate(Tensor logits, Tensor target, Tensor? validMask, bool requireSquare)
    {
        if (logits is null) throw new ArgumentNullException(nameof(logits));
        if (target is null) throw new ArgumentNullException(nameof(target));
        if (logits.Dimensions < 2)
            throw new ArgumentException($"logits must have shape (..., N, M) with at least 2 dimensions; got {Show(logits.shape)}.", nameof(logits));
        if (!logits.is_floating_point())
            throw new ArgumentException($"logits must be a floating-point tensor; got {logits.dtype} with shape {Show(logits.shape)}.", nameof(logits));
        if (requireSquare && logits.shape[^1] != logits.shape[^2])
            throw new ArgumentException($"logits must be square maps (..., N, N) for symmetry and region attributes; got {Show(logits.shape)}.", nameof(logits));
        if (!target.shape.SequenceEqual(logits.shape))
            throw new ArgumentException($"target must have the shape of logits {Show(logits.shape)}; got {Show(target.shape)}.", nameof(target));
        if (target.dtype != logits.dtype && !IsLabelDtype(target.dtype))
            throw new ArgumentException($"target must have the dtype of logits ({logits.dtype}), or be bool or an integer dtype holding 0/1; got {target.dtype} (shapes {Show(target.shape)} and {Show(logits.shape)}).", nameof(target));
        if (!SameDevice(target, logits))
            throw new ArgumentException($"target must be on the device of logits ({logits.device}); got {target.device}.", nameof(target));
        if (validMask is null) return;
        if (!IsLabelDtype(validMask.dtype) && !validMask.is_floating_point())
            throw new ArgumentException($"validMask must be bool, an integer dtype holding 0/1 or floating point; got {validMask.dtype} with shape {Show(validMask.shape)}.", nameof(validMask));
        if (!SameDevice(validMask, logits))
            throw new ArgumentException($"validMask must be on the device of logits ({logits.device}); got {validMask.device}.", nameof(validMask));
        if (!BroadcastsTo(validMask.shape, logits.shape))
            throw new ArgumentException($"validMask of shape {Show(validMask.shape)} does not broadcast to logits of shape {Show(logits.shape)}{UnsqueezeHint(validMask.shape, logits.shape)}.", nameof(validMask));
    }

    /// <summary>
    /// For a mask that would broadcast once a size-1 dimension is put back, e.g. a <c>(B, N, N)</c> mask with
    /// <c>(B, 1, N, N)</c> logits: the <c>unsqueeze</c> that does it.
    /// </summary>
    private static string UnsqueezeHint(long[] mask, long[] logits)
    {
        for (int d = 0; d <= mask.Length && mask.Length < logits.Length; d++)
        {
            var inserted = mask.Take(d).Append(1L).Concat(mask.Skip(d)).ToArray();
            if (inserted.Length == logits.Length && BroadcastsTo(inserted, logits))
                return $"; did you mean `validMask.unsqueeze({d})`?";
        }
        return "";
    }

    /// <summary>
    /// bool or an integer dtype: hard labels, read as their values (0.0/1.0). A float target of another float dtype is
    /// refused like any dtype mismatch, rather than silently rounded or widened.
    /// </summary>
    public static bool IsLabelDtype(ScalarType dtype) =>
        dtype is ScalarType.Bool or ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64;

    private static bool SameDevice(Tensor a, Tensor b) => a.device_type == b.device_type && a.device_index == b.device_index;

    /// <summary>Whether a tensor of shape <paramref name="from"/> broadcasts to <paramref name="to"/> without changing it.</summary>
    public static bool BroadcastsTo(long[] from, long[] to)
    {
        if (from.Length > to.Length) return false;
        for (int k = 1; k <= from.Length; k++)
            if (from[^k] != 1 && from[^k] != to[^k]) return false;
        return true;
    }

    /// <summary>A shape as PyTorch prints it, e.g. <c>(2, 8, 8)</c>.</summary>
    public static string Show(long[] shape) => "(" + string.Join(", ", shape) + ")";
}
