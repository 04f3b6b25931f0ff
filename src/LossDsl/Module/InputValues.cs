using System;
using System.ComponentModel;
using System.Globalization;
using System.Linq;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>
/// The values a target or validity mask may hold, one rule per dtype (docs/runtime.md, "Targets and masks"): bool
/// always; an integer dtype 0 and 1; a floating-point mask finite weights ≥ 0 (a floating-point target is not checked:
/// soft targets are allowed). Both paths detect a breach their own way (the fused one inside the loops that read the
/// values, the composed one by one reduction) and report it here, so both throw the same message.
/// </summary>
/// <remarks>Called by generated code; not meant to be called directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class InputValues
{
    /// <summary>Whether values of <paramref name="dtype"/> are checked at all: integer dtypes, and floating-point masks.</summary>
    private static bool Checked(ScalarType dtype, bool isMask) =>
        dtype != ScalarType.Bool && (LossInputs.IsLabelDtype(dtype) || isMask);

    /// <summary>
    /// The composed path's check: throws <see cref="ArgumentException"/> (see <see cref="Breach"/>) unless
    /// <paramref name="target"/> and <paramref name="validMask"/> follow their dtype's rule. One reduction
    /// (<c>aminmax</c>) per checked tensor.
    /// </summary>
    public static void Check(Tensor target, Tensor? validMask)
    {
        Check(target, nameof(target), isMask: false);
        Check(validMask, nameof(validMask), isMask: true);
    }

    /// <summary>One tensor's check, under the argument name <paramref name="name"/> (also used by <see cref="Metrics"/> and <see cref="BetterHalf"/>).</summary>
    internal static void Check(Tensor? values, string name, bool isMask)
    {
        if (values is null || values.numel() == 0 || !Checked(values.dtype, isMask)) return;
        using var scope = NewDisposeScope();
        var (min, max) = values.aminmax();
        bool ok = values.is_floating_point()
            ? min.to(ScalarType.Float64).item<double>() >= 0 && double.IsFinite(max.to(ScalarType.Float64).item<double>())
            : min.to(ScalarType.Int64).item<long>() >= 0 && max.to(ScalarType.Int64).item<long>() <= 1;
        if (!ok) throw Breach(values, name, isMask);
    }

    /// <summary>
    /// The exception for <paramref name="values"/>, known to break their dtype's rule: the argument, its dtype, the
    /// first offending value (in row-major order) and where it is, and the likely fix.
    /// </summary>
    internal static ArgumentException Breach(Tensor values, string name, bool isMask)
    {
        using var scope = NewDisposeScope();
        var flat = values.reshape(-1);
        var bad = values.is_floating_point()
            ? flat.isfinite().logical_not().logical_or_(flat.Below(0))
            : flat.NotEqualTo(0).logical_and_(flat.NotEqualTo(1));
        long at = bad.nonzero()[0, 0].item<long>();
        double value = flat[at].to(ScalarType.Float64).item<double>();
        var index = string.Join(", ", Unravel(at, values.shape));
        var rule = values.is_floating_point() ? "finite weights ≥ 0" : "only 0 and 1";
        return new ArgumentException(
            $"{name} ({values.dtype}) must hold {rule}; it holds {Show(value)} at [{index}]{Hint(name, isMask, values.is_floating_point(), value)}.", name);
    }

    /// <summary>What the offending value most likely means, and what to pass instead.</summary>
    private static string Hint(string name, bool isMask, bool floating, double value)
    {
        if (floating) return value < 0 ? $": a negative weight; mark cells to leave out with 0, e.g. `{name} > 0`" : "";
        if (value == 255) return $": a 0/255 image mask? pass `{name} > 0`";
        if (value < 0)
            return isMask ? $": an ignore label? pass `{name} > 0`" : ": an ignore label? pass those cells as 0 in `validMask`";
        return isMask ? $": pass `{name} > 0` for the cells to keep" : $": a class id? pass `{name} == {Show(value)}` for that class";
    }

    /// <summary>A value as PyTorch prints it: integers without a point, <c>inf</c>, <c>-inf</c>, <c>nan</c>.</summary>
    private static string Show(double value) =>
        double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static long[] Unravel(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
