using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>
/// A range of sequence separations <c>s = j − i</c>, <c>Min ≤ s &lt; Max</c> (no upper end when <see cref="Max"/> is null),
/// as contact-prediction benchmarks use them: <see cref="Short"/> <c>[6, 12)</c>, <see cref="Medium"/> <c>[12, 24)</c>,
/// <see cref="Long"/> <c>≥ 24</c>.
/// </summary>
/// <param name="Min">The smallest separation in the range, at least 1.</param>
/// <param name="Max">The first separation past the range, greater than <paramref name="Min"/>; null for no end.</param>
public readonly record struct SeparationRange(int Min, int? Max = null)
{
    /// <summary>Short-range pairs, <c>6 ≤ j − i &lt; 12</c>.</summary>
    public static SeparationRange Short => new(6, 12);

    /// <summary>Medium-range pairs, <c>12 ≤ j − i &lt; 24</c>.</summary>
    public static SeparationRange Medium => new(12, 24);

    /// <summary>Long-range pairs, <c>j − i ≥ 24</c>.</summary>
    public static SeparationRange Long => new(24);

    /// <summary>Whether a pair <paramref name="separation"/> apart lies in the range.</summary>
    public bool Contains(long separation) => separation >= Min && (Max is null || separation < Max.Value);

    /// <summary>The range in interval notation, e.g. <c>[6, 12)</c> or <c>[24, ∞)</c>.</summary>
    public override string ToString() => Max is null ? $"[{Min}, ∞)" : $"[{Min}, {Max})";
}

/// <summary>
/// The four counts of a thresholded prediction against 0/1 targets, and the scores built from them. Each score is 0
/// where its formula divides by zero.
/// </summary>
/// <param name="TruePositives"><c>TP</c>: predicted 1, target 1.</param>
/// <param name="FalsePositives"><c>FP</c>: predicted 1, target 0.</param>
/// <param name="FalseNegatives"><c>FN</c>: predicted 0, target 1.</param>
/// <param name="TrueNegatives"><c>TN</c>: predicted 0, target 0.</param>
public readonly record struct ConfusionCounts(double TruePositives, double FalsePositives, double FalseNegatives, double TrueNegatives)
{
    /// <summary><c>TP / (TP + FP)</c>.</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary><c>TP / (TP + FN)</c>.</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary><c>2·TP / (2·TP + FP + FN)</c>, the harmonic mean of precision and recall.</summary>
    public double F1 => Ratio(2 * TruePositives, 2 * TruePositives + FalsePositives + FalseNegatives);

    /// <summary>Matthews correlation coefficient,
    /// <c>(TP·TN − FP·FN) / √((TP + FP)(TP + FN)(TN + FP)(TN + FN))</c>, in <c>[−1, 1]</c>.</summary>
    public double Mcc
    {
        get
        {
            double tp = TruePositives, fp = FalsePositives, fn = FalseNegatives, tn = TrueNegatives;
            var denominator = Math.Sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
            return Ratio(tp * tn - fp * fn, denominator);
        }
    }

    private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;
}

/// <summary>
/// Evaluation metrics for predicted maps: thresholded scores, average precision, the contact-prediction top-L
/// precision, and the asymmetry of a prediction.
/// </summary>
/// <remarks>
/// <para>
/// Every metric takes <c>probabilities</c> and <c>targets</c> of one shape <c>(..., N, N)</c>; every leading
/// dimension is a map dimension, so <c>(B, N, N)</c> holds <c>B</c> maps. Targets are 0/1: a cell is a
/// <em>positive</em> when its target is ≥ 0.5. The optional <c>validMask</c> (bool or floating point, broadcastable
/// to the probabilities, e.g. from <see cref="LossMasks.FromLengths"/>) is a set, not a weight: the cells where it is
/// true or nonzero count, the others are left out.
/// </para>
/// <para>
/// The counting metrics (<see cref="Confusion"/> and the scores built on it, <see cref="AveragePrecision"/>) pool
/// the valid cells of every map in the batch. <see cref="TopLPrecision"/> is per map and then averaged over maps, as
/// contact-prediction benchmarks report it. <see cref="Asymmetry"/> pools the valid pairs.
/// </para>
/// <para>
/// The metrics compute in float64 without gradient, leave no tensors behind, and throw
/// <see cref="ArgumentException"/> (naming the argument and the shapes) on bad input. A score whose formula
/// divides by zero (no predicted positive, no positive, no valid cell) is 0.
/// </para>
/// </remarks>
public static class Metrics
{
    /// <summary>
    /// The confusion counts of <c>probabilities ≥ threshold</c> against the targets over the valid cells:
    /// <c>TP = Σ [p ≥ t]·[y ≥ ½]</c>, <c>FP = Σ [p ≥ t]·[y &lt; ½]</c>, <c>FN = Σ [p &lt; t]·[y ≥ ½]</c>,
    /// <c>TN = Σ [p &lt; t]·[y &lt; ½]</c>, summed over every valid cell of every map.
    /// </summary>
    public static ConfusionCounts Confusion(Tensor probabilities, Tensor targets, Tensor? validMask = null, double threshold = 0.5)
    {
        Validate(probabilities, targets, validMask, requireSquare: false);
        return Count(probabilities, targets, validMask, threshold);
    }

    /// <summary>Precision <c>TP / (TP + FP)</c> at <paramref name="threshold"/>; see <see cref="Confusion"/>.</summary>
    public static double Precision(Tensor probabilities, Tensor targets, Tensor? validMask = null, double threshold = 0.5) =>
        Confusion(probabilities, targets, validMask, threshold).Precision;

    /// <summary>Recall <c>TP / (TP + FN)</c> at <paramref name="threshold"/>; see <see cref="Confusion"/>.</summary>
    public static double Recall(Tensor probabilities, Tensor targets, Tensor? validMask = null, double threshold = 0.5) =>
        Confusion(probabilities, targets, validMask, threshold).Recall;

    /// <summary>F1 <c>2·TP / (2·TP + FP + FN)</c> at <paramref name="threshold"/>; see <see cref="Confusion"/>.</summary>
    public static double F1(Tensor probabilities, Tensor targets, Tensor? validMask = null, double threshold = 0.5) =>
        Confusion(probabilities, targets, validMask, threshold).F1;

    /// <summary>Matthews correlation coefficient at <paramref name="threshold"/>,
    /// <c>(TP·TN − FP·FN) / √((TP + FP)(TP + FN)(TN + FP)(TN + FN))</c>; see <see cref="Confusion"/>.</summary>
    public static double Mcc(Tensor probabilities, Tensor targets, Tensor? validMask = null, double threshold = 0.5) =>
        Confusion(probabilities, targets, validMask, threshold).Mcc;

    /// <summary>
    /// Average precision, the area under the precision–recall curve as a step sum, pooled over the valid cells:
    /// <c>AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ</c>, where <c>t₁ &gt; t₂ &gt; …</c> are the distinct probabilities, and
    /// <c>Pₖ</c>, <c>Rₖ</c> are precision and recall of <c>p ≥ tₖ</c> (<c>R₀ = 0</c>). Cells with equal
    /// probabilities enter together, so ties are not broken by position. 0 when no valid cell is a positive.
    /// This is scikit-learn's <c>average_precision_score</c>.
    /// </summary>
    public static double AveragePrecision(Tensor probabilities, Tensor targets, Tensor? validMask = null)
    {
        Validate(probabilities, targets, validMask, requireSquare: false);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (p, positive, valid) = Prepare(probabilities, targets, validMask);
        var scores = p.masked_select(valid);
        var labels = positive.masked_select(valid);
        var positives = labels.sum().item<double>();
        if (positives == 0) return 0;

        var (sorted, order) = sort(scores, descending: true, stable: true);
        var truePositives = labels.index_select(0, order).cumsum(0);                    // TP of the top k cells
        var counted = KeptScalars.Range(1, sorted.shape[0] + 1, ScalarType.Float64, null);
        var groupEnd = cat(new[] { sorted[..^1] != sorted[1..], tensor(new[] { true }) }); // last cell of each tie group
        var tp = truePositives.masked_select(groupEnd);
        var precision = tp / counted.masked_select(groupEnd);
        var recallStep = (tp - cat(new[] { zeros(1, ScalarType.Float64), tp[..^1] })).Over(positives);
        return (recallStep * precision).sum().item<double>();
    }

    /// <summary>
    /// Top-L precision of contact prediction, per map, then averaged over maps: the fraction of true contacts among
    /// the <c>k</c> pairs with the highest probability.
    /// </summary>
    /// <remarks>
    /// <para>
    /// For each map: <c>L</c> is the number of positions <c>i</c> whose diagonal cell <c>(i, i)</c> is valid (the true
    /// length for a <see cref="LossMasks.FromLengths"/> mask; <c>N</c> without a mask). The candidates are the
    /// valid cells of the <b>upper triangle</b> with <c>j − i</c> in <paramref name="range"/>, so each pair
    /// <c>{i, j}</c> counts once with the score <c>p[i, j]</c>: mirror or symmetrize an asymmetric prediction first
    /// if that is how you use it. <c>k = max(1, ⌊L / divisor⌋)</c> (P@L, P@L/2, P@L/5 for divisor 1, 2, 5); the
    /// top <c>min(k, candidates)</c> cells are taken, ties in order of position (row-major), and
    /// <c>precision = (true contacts among them) / (cells taken)</c>.
    /// </para>
    /// <para>Maps with no candidate are left out of the average; 0 when no map has one.</para>
    /// </remarks>
    public static double TopLPrecision(Tensor probabilities, Tensor targets, SeparationRange range, int divisor = 1, Tensor? validMask = null)
    {
        Validate(probabilities, targets, validMask, requireSquare: true);
        if (range.Min < 1 || range.Max is int max && max <= range.Min)
            throw new ArgumentOutOfRangeException(nameof(range), range, "range needs 1 ≤ Min < Max.");
        if (divisor < 1) throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "divisor must be at least 1.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (p, positive, valid) = Prepare(probabilities, targets, validMask);
        var n = p.shape[^1];
        p = p.reshape(-1, n, n);
        positive = positive.reshape(-1, n, n);
        valid = valid.reshape(-1, n, n);
        var i = KeptScalars.Range(n, null).unsqueeze(1);
        var j = KeptScalars.Range(n, null).unsqueeze(0);
        var separation = j - i;
        var inRange = separation.AtLeast(range.Min);
        if (range.Max is int end) inRange = inRange.logical_and(separation.Below(end));
        var lengths = valid.diagonal(0, -2, -1).sum(-1).data<long>().ToArray();

        double total = 0;
        int maps = 0;
        for (long b = 0; b < p.shape[0]; b++)
        {
            using var mapScope = NewDisposeScope();
            var candidates = valid[b].logical_and(inRange);
            var scores = p[b].masked_select(candidates);
            var count = scores.shape[0];
            if (count == 0) continue;
            var k = Math.Min(Math.Max(1, lengths[b] / divisor), count);
            var (_, order) = sort(scores, descending: true, stable: true);
            var hits = positive[b].masked_select(candidates).index_select(0, order[..(int)k]).sum().item<double>();
            total += hits / k;
            maps++;
        }
        return maps > 0 ? total / maps : 0;
    }

    /// <summary>
    /// The asymmetry of a prediction, <c>mean |p − pᵀ|</c> over the valid off-diagonal pairs, each pair once:
    /// <c>Σ_{i&lt;j} w·|p[i, j] − p[j, i]| / Σ_{i&lt;j} w</c> with <c>w = V[i, j]·V[j, i]</c>, pooled over the maps.
    /// 0 for a symmetric prediction, at most 1 for probabilities; 0 when no pair is valid.
    /// </summary>
    public static double Asymmetry(Tensor probabilities, Tensor? validMask = null)
    {
        if (probabilities is null) throw new ArgumentNullException(nameof(probabilities));
        Validate(probabilities, probabilities, validMask, requireSquare: true);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (p, _, valid) = Prepare(probabilities, probabilities, validMask);
        var w = valid.logical_and(valid.transpose(-1, -2)).to(ScalarType.Float64).triu(1);
        var pairs = w.sum().item<double>();
        return pairs > 0 ? (w * (p - p.transpose(-1, -2)).abs()).sum().item<double>() / pairs : 0;
    }

    /// <summary>The confusion counts without shape checks, for <see cref="BetterHalf.F1"/>'s 0/1 weights of any shape.</summary>
    internal static ConfusionCounts Count(Tensor probabilities, Tensor targets, Tensor? validMask, double threshold)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (p, positive, valid) = Prepare(probabilities, targets, validMask);
        var predicted = p.AtLeast(threshold).to(ScalarType.Float64) * valid.to(ScalarType.Float64);
        var actual = positive * valid.to(ScalarType.Float64);
        var tp = (predicted * actual).sum().item<double>();
        var predictedCount = predicted.sum().item<double>();
        var actualCount = actual.sum().item<double>();
        var cells = valid.to(ScalarType.Float64).sum().item<double>();
        return new ConfusionCounts(tp, predictedCount - tp, actualCount - tp, cells - predictedCount - actualCount + tp);
    }

    /// <summary>Probabilities in float64, targets as 0/1 float64, and the validity mask as bool, all of one shape.</summary>
    private static (Tensor P, Tensor Positive, Tensor Valid) Prepare(Tensor probabilities, Tensor targets, Tensor? validMask)
    {
        var p = probabilities.detach().to(ScalarType.Float64);
        var shape = BroadcastShape(p.shape, targets.shape);
        if (validMask is not null) shape = BroadcastShape(shape, validMask.shape);
        p = p.expand(shape);
        var positive = targets.detach().to(ScalarType.Float64).AtLeast(0.5).to(ScalarType.Float64).expand(shape);
        var valid = validMask is null
            ? ones(shape, ScalarType.Bool, p.device)
            : (validMask.dtype == ScalarType.Bool ? validMask : validMask.NotEqualTo(0)).expand(shape);
        return (p, positive, valid);
    }

    private static long[] BroadcastShape(long[] a, long[] b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var shape = new long[rank];
        for (int k = 1; k <= rank; k++)
        {
            long x = k <= a.Length ? a[^k] : 1, y = k <= b.Length ? b[^k] : 1;
            shape[^k] = x == 1 ? y : x;
        }
        return shape;
    }

    private static void Validate(Tensor probabilities, Tensor targets, Tensor? validMask, bool requireSquare)
    {
        if (probabilities is null) throw new ArgumentNullException(nameof(probabilities));
        if (targets is null) throw new ArgumentNullException(nameof(targets));
        if (probabilities.Dimensions < 2)
            throw new ArgumentException($"probabilities must have shape (..., N, N) with at least 2 dimensions; got {LossInputs.Show(probabilities.shape)}.", nameof(probabilities));
        if (requireSquare && probabilities.shape[^1] != probabilities.shape[^2])
            throw new ArgumentException($"probabilities must be square maps (..., N, N); got {LossInputs.Show(probabilities.shape)}.", nameof(probabilities));
        if (!targets.shape.SequenceEqual(probabilities.shape))
            throw new ArgumentException($"targets must have the shape of probabilities {LossInputs.Show(probabilities.shape)}; got {LossInputs.Show(targets.shape)}.", nameof(targets));
        if (targets.device_type != probabilities.device_type || targets.device_index != probabilities.device_index)
            throw new ArgumentException($"targets must be on the device of probabilities ({probabilities.device}); got {targets.device}.", nameof(targets));
        InputValues.Check(targets, nameof(targets), isMask: false);
        if (validMask is null) return;
        InputValues.Check(validMask, nameof(validMask), isMask: true);
        if (validMask.device_type != probabilities.device_type || validMask.device_index != probabilities.device_index)
            throw new ArgumentException($"validMask must be on the device of probabilities ({probabilities.device}); got {validMask.device}.", nameof(validMask));
        if (!LossInputs.BroadcastsTo(validMask.shape, probabilities.shape))
            throw new ArgumentException($"validMask of shape {LossInputs.Show(validMask.shape)} does not broadcast to probabilities of shape {LossInputs.Show(probabilities.shape)}.", nameof(validMask));
    }
}
