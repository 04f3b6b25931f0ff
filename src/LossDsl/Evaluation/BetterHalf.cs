using System;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>
/// A metric over the covered cells of one half: <c>(probabilities, targets, weights) → score</c>, higher is better.
/// <c>weights</c> is 0/1 (the half times the validity mask) and broadcasts to the other two.
/// </summary>
public delegate double HalfMetric(Tensor probabilities, Tensor targets, Tensor weights);

/// <summary>Which half <see cref="BetterHalf.Choose"/> kept, with both halves' scores.</summary>
/// <param name="Keep">The better half (<see cref="MapHalf.Upper"/> on a tie).</param>
/// <param name="UpperScore">The metric on the strict upper half, <c>i &lt; j</c>.</param>
/// <param name="LowerScore">The metric on the strict lower half, <c>i &gt; j</c>.</param>
public readonly record struct HalfChoice(MapHalf Keep, double UpperScore, double LowerScore)
{
    /// <summary>Mirrors the kept half of <paramref name="probabilities"/> onto the other (a new tensor).</summary>
    public Tensor Apply(Tensor probabilities) => Symmetry.Mirror(probabilities, Keep);
}

/// <summary>
/// The test-time step of training with <c>focal(x, y) + focal(xᵀ, y)</c> on one half: on validation data, find
/// which triangle of the predictions scores better, then mirror that triangle onto the other for every prediction.
/// </summary>
public static class BetterHalf
{
    /// <summary>
    /// Scores the strict upper and strict lower halves of <paramref name="probabilities"/> against
    /// <paramref name="targets"/> (both <c>(..., N, N)</c>) with <paramref name="metric"/>, F1 at
    /// <paramref name="threshold"/> by default, and returns the better one.
    /// </summary>
    public static HalfChoice Choose(Tensor probabilities, Tensor targets, Tensor? validMask = null, double threshold = 0.5, HalfMetric? metric = null)
    {
        if (probabilities is null) throw new ArgumentNullException(nameof(probabilities));
        if (targets is null) throw new ArgumentNullException(nameof(targets));
        Symmetry.RequireSquare(probabilities, nameof(probabilities));
        if (!LossInputs.BroadcastsTo(targets.shape, probabilities.shape) || targets.Dimensions != probabilities.Dimensions)
            throw new ArgumentException($"targets must have the shape of probabilities {LossInputs.Show(probabilities.shape)}; got {LossInputs.Show(targets.shape)}.", nameof(targets));
        if (validMask is not null && !LossInputs.BroadcastsTo(validMask.shape, probabilities.shape))
            throw new ArgumentException($"validMask of shape {LossInputs.Show(validMask.shape)} does not broadcast to {LossInputs.Show(probabilities.shape)}.", nameof(validMask));
        InputValues.Check(targets, nameof(targets), isMask: false);
        InputValues.Check(validMask, nameof(validMask), isMask: true);

        metric ??= (p, y, w) => F1(p, y, w, threshold);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var n = probabilities.shape[^1];
        var p = probabilities.to(ScalarType.Float64);
        var y = targets.to(ScalarType.Float64);
        var v = validMask?.to(ScalarType.Float64);
        double Score(MapHalf half)
        {
            var w = new Region(half, IncludeDiagonal: false).ToMask(n, ScalarType.Float64, p.device);
            return metric(p, y, v is null ? w : w * v);
        }
        double upper = Score(MapHalf.Upper), lower = Score(MapHalf.Lower);
        return new HalfChoice(lower > upper ? MapHalf.Lower : MapHalf.Upper, upper, lower);
    }

    /// <summary>
    /// F1 of <c>probabilities ≥ threshold</c> over the cells with weight 1 (weights are 0/1 and broadcast to the
    /// probabilities); 0 when there is neither a positive nor a prediction. The same count as
    /// <see cref="Metrics.F1"/>, with <paramref name="weights"/> as the validity mask.
    /// </summary>
    public static double F1(Tensor probabilities, Tensor targets, Tensor weights, double threshold = 0.5)
    {
        if (probabilities is null) throw new ArgumentNullException(nameof(probabilities));
        if (targets is null) throw new ArgumentNullException(nameof(targets));
        if (weights is null) throw new ArgumentNullException(nameof(weights));
        return Metrics.Count(probabilities, targets, weights, threshold).F1;
    }
}
