using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>The check behind <see cref="NativeSettings.DisableOneDnn"/>: a float32 convolution's weight gradient against float64's, which never uses oneDNN.</summary>
internal static class ConvolutionCheck
{
    /// <summary>
    /// <c>max |g32 − g64| / max |g64|</c> for the weight gradient of <c>mean(conv(x)²)</c>; NaN when the float32 gradient
    /// is not finite. Leaves <paramref name="conv"/> in float64.
    /// </summary>
    public static double Float32WeightGradientError(TorchSharp.Modules.Conv2d conv, Tensor x)
    {
        using var scope = NewDisposeScope();
        var g32 = WeightGradient(conv, x, ScalarType.Float32).to(ScalarType.Float64);
        var g64 = WeightGradient(conv, x, ScalarType.Float64);
        if (!g32.isfinite().all().item<bool>()) return double.NaN;
        return ((g32 - g64).abs().max() / g64.abs().max()).item<double>();
    }

    private static Tensor WeightGradient(TorchSharp.Modules.Conv2d conv, Tensor x, ScalarType dtype)
    {
        conv.to(dtype);
        conv.zero_grad();
        var y = conv.call(x.to(dtype));
        (y * y).mean().backward();
        return conv.weight!.grad!.clone();
    }
}
