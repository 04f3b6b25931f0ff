using System;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>
/// The composed TorchSharp building blocks that generated loss modules call, one per concept of
/// docs/attributes.md. Each returns a new tensor in the caller's dispose scope; constants come in folded
/// from the generated code. Generated code computes in the logits' dtype (see <see cref="ComputeType"/>; float32
/// callers get values and gradients within 1e-5 of a float64 reference).
/// </summary>
/// <remarks>Called by generated code; not meant to be called directly (its signatures follow the generator).</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class LossOps
{
    /// <summary>
    /// The dtype losses are computed in: the logits' own, float32 for half precision (whose sums and exponentials would
    /// lose too many digits). float32 arithmetic keeps float32 logits within 1e-5 of a float64 reference, gradients
    /// measured against their largest element.
    /// </summary>
    public static ScalarType ComputeType(Tensor logits) =>
        logits.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? ScalarType.Float32 : logits.dtype;

    /// <summary>
    /// <c>p = σ(x)</c> as <c>exp(logsigmoid(x))</c>: the same values as <c>sigmoid</c>, but autograd then takes
    /// <c>dp/dx = p·σ(−x)</c>, exact for saturated logits, where <c>sigmoid</c>'s own <c>p·(1 − p)</c> loses every digit
    /// (|x| ≳ 25 in float64). The fused kernels compute the same exact slope.
    /// For float32 logits on CPU, <c>p</c> is float64: what region terms and the consistency penalty make of it cancels
    /// (<c>1 − p</c>, <c>1 − ratio</c>, <c>p − pᵀ</c>), and a float32 <c>p</c> (6e-8 off near 1) left a near-perfect Dice
    /// 2e-5 off its float64 value. Elementwise terms use <c>logsigmoid</c>, exact in float32, and stay there.
    /// </summary>
    public static Tensor Probability(Tensor x) =>
        nn.functional.logsigmoid(x.dtype == ScalarType.Float32 && x.device_type == DeviceType.CPU ? x.to(ScalarType.Float64) : x).exp();

    /// <summary><c>w = R · V</c>: region weights times the validity mask (if any), in <paramref name="dtype"/>.</summary>
    public static Tensor Coverage(Tensor region, Tensor? validMask, ScalarType dtype) =>
        validMask is null ? region : region * validMask.to(dtype);

    /// <summary><c>Σ w</c> over the full logits shape (w broadcasts to it), the Mean denominator.</summary>
    public static Tensor CoverageTotal(Tensor w, long[] shape) => w.expand(shape).sum();

    /// <summary>Elementwise reduction: <c>Σ w·ℓ / Σ w</c> (0 when <c>Σ w = 0</c>) for Mean, <c>Σ w·ℓ</c> for Sum;
    /// a null <paramref name="w"/> covers every element.</summary>
    public static Tensor ReduceElementwise(Tensor loss, Tensor? w, Tensor? total, LossReduction reduction)
    {
        if (w is null) return reduction == LossReduction.Sum ? loss.sum() : loss.mean();
        var sum = (w * loss).sum();
        if (reduction == LossReduction.Sum) return sum;
        var denominator = total ?? CoverageTotal(w, loss.shape);
        return sum / where(denominator > 0, denominator, ones_like(denominator));
    }

    /// <summary>
    /// torchvision's sigmoid focal loss, elementwise, from <c>log p</c> and <c>log(1 − p)</c>.
    /// The modulating factor <c>(1 − p_t)^γ</c> is <c>exp(γ · log(1 − p_t))</c> with
    /// <c>log(1 − p_t) = logaddexp(log y + log(1 − p), log(1 − y) + log p)</c>, finite for saturated logits.
    /// </summary>
    public static Tensor Focal(Tensor logP, Tensor logQ, Tensor y, double gamma, double alpha)
    {
        var q = 1 - y;
        var loss = -(y * logP + q * logQ);
        if (gamma != 0)
        {
            var logModulation = logaddexp(y.log() + logQ, q.log() + logP);
            loss = loss * (gamma == 1 ? logModulation.exp() : (logModulation * gamma).exp());
        }
        if (alpha >= 0) loss = (alpha * y + (1 - alpha) * q) * loss;
        return loss;
    }

    /// <summary>
    /// <c>binary_cross_entropy_with_logits</c> with <c>pos_weight</c> on the smoothed target
    /// <c>y(1 − ε) + ε/2</c>: <c>−[w₊·y·log p + (1 − y)·log(1 − p)]</c>, elementwise.
    /// </summary>
    public static Tensor BinaryCrossEntropy(Tensor logP, Tensor logQ, Tensor y, double posWeight, double labelSmoothing)
    {
        if (labelSmoothing != 0) y = y * (1 - labelSmoothing) + 0.5 * labelSmoothing;
        var positive = posWeight == 1 ? y * logP : (y * posWeight) * logP;
        return -(positive + (1 - y) * logQ);
    }

    /// <summary>
    /// The soft confusion sums of a region term: <c>TP = Σ w·p·y</c>, <c>ΣP = Σ w·p</c> (= TP + FP),
    /// <c>ΣY = Σ w·y</c> (= TP + FN) and the coverage <c>Σw</c>, per sample (every leading dimension is a sample
    /// dimension) or over the whole batch.
    /// </summary>
    public static (Tensor TruePositive, Tensor PredictedPositive, Tensor Positive, Tensor Covered) RegionSums(Tensor p, Tensor y, Tensor? w, bool batch)
    {
        var shape = p.shape;
        var perSample = new long[] { -1, shape[^2] * shape[^1] };
        var flatY = y.reshape(perSample);
        var weighted = w is null ? p.reshape(perSample) : (w * p).reshape(perSample);
        var weightedY = w is null ? flatY : (w * y).reshape(perSample);
        var covered = w is null ? ones_like(flatY) : w.expand(shape).reshape(perSample);
        long[] dims = batch ? new long[] { 0, 1 } : new long[] { 1 };
        return ((weighted * flatY).sum(dims), weighted.sum(dims), weightedY.sum(dims), covered.sum(dims));
    }

    /// <summary>
    /// The smoothing <paramref name="smooth"/>, plus 1 for samples with no covered cell: their sums are all 0, so every
    /// ratio <c>(… + s)/(… + s)</c> is 1 and the term 0, also for <c>s = 0</c> (docs/attributes.md, "Region terms").
    /// </summary>
    private static Tensor Smoothing(Tensor covered, double smooth) => (covered <= 0).to(covered.dtype) + smooth;

    /// <summary>Soft Dice per sample: <c>1 − (2TP + s)/(2TP + FP + FN + s)</c>, reduced over samples.</summary>
    public static Tensor Dice(Tensor p, Tensor y, Tensor? w, double smooth, bool batch, LossReduction reduction)
    {
        var (tp, predicted, positive, covered) = RegionSums(p, y, w, batch);
        var s = Smoothing(covered, smooth);
        var perSample = 1 - (2 * tp + s) / (predicted + positive + s);
        return ReduceSamples(perSample, reduction);
    }

    /// <summary>Soft Jaccard (IoU) per sample: <c>1 − (TP + s)/(TP + FP + FN + s)</c>, reduced over samples.</summary>
    public static Tensor Jaccard(Tensor p, Tensor y, Tensor? w, double smooth, bool batch, LossReduction reduction)
    {
        var (tp, predicted, positive, covered) = RegionSums(p, y, w, batch);
        var s = Smoothing(covered, smooth);
        var perSample = 1 - (tp + s) / (predicted + positive - tp + s);
        return ReduceSamples(perSample, reduction);
    }

    /// <summary>
    /// Soft MCC loss per sample, <c>1 − (TP·TN − FP·FN)/sqrt((TP + FP)(TP + FN)(TN + FP)(TN + FN))</c> with
    /// <paramref name="smooth"/> ε &gt; 0 added to each of TP, FP, FN, TN; 0 for samples with no covered cell.
    /// </summary>
    public static Tensor MatthewsCorrelation(Tensor p, Tensor y, Tensor? w, double smooth, bool batch, LossReduction reduction)
    {
        var (tp, predicted, positive, covered) = RegionSums(p, y, w, batch);
        var fp = predicted - tp;
        var fn = positive - tp;
        var tn = covered - predicted - fn;
        var (tpE, fpE, fnE, tnE) = (tp + smooth, fp + smooth, fn + smooth, tn + smooth);
        var mcc = (tpE * tnE - fpE * fnE) / ((tpE + fpE) * (tpE + fnE) * (tnE + fpE) * (tnE + fnE)).sqrt();
        // ε > 0 keeps an empty sample's branch finite (MCC = 0 there), so its zero gradient stays 0.
        var perSample = where(covered > 0, 1 - mcc, zeros_like(mcc));
        return ReduceSamples(perSample, reduction);
    }

    /// <summary>(Focal) Tversky per sample: <c>(1 − (TP + s)/(TP + α·FP + β·FN + s))^γ</c>, reduced over samples.</summary>
    public static Tensor Tversky(Tensor p, Tensor y, Tensor? w, double alpha, double beta, double gamma, double smooth, bool batch, LossReduction reduction)
    {
        var (tp, predicted, positive, covered) = RegionSums(p, y, w, batch);
        var s = Smoothing(covered, smooth);
        var falsePositive = predicted - tp;
        var falseNegative = positive - tp;
        var perSample = 1 - (tp + s) / (tp + alpha * falsePositive + beta * falseNegative + s);
        if (gamma < 1)
        {
            // c^γ with γ < 1 has an infinite slope at its minimum c = 0 (say, a fully masked sample): the gradient is
            // taken as 0 there so that it stays finite; elsewhere this is plain pow.
            var above = perSample > 0;
            perSample = where(above, where(above, perSample, ones_like(perSample)).pow(gamma), zeros_like(perSample));
        }
        else if (gamma != 1) perSample = perSample.pow(gamma);
        return ReduceSamples(perSample, reduction);
    }

    /// <summary>Mean or sum of per-sample values.</summary>
    public static Tensor ReduceSamples(Tensor perSample, LossReduction reduction) =>
        reduction == LossReduction.Sum ? perSample.sum() : perSample.mean();

    /// <summary>
    /// The transpose-consistency penalty <c>C</c>: <c>φ(z − zᵀ)</c> over the pairs of <paramref name="pairs"/>
    /// (cells <c>j − i ≥ max(1, k)</c>), weighted by <c>V[i, j]·V[j, i]</c>, reduced like an elementwise term.
    /// </summary>
    public static Tensor Consistency(Tensor z, Tensor pairs, Tensor? validMask, SymmetryPenalty penalty, double delta, LossReduction reduction)
    {
        var d = z - z.transpose(-1, -2);
        var phi = penalty switch
        {
            SymmetryPenalty.L1 => d.abs(),
            SymmetryPenalty.Mse => d * d,
            _ => Huber(d, delta),
        };
        var w = pairs;
        if (validMask is not null)
        {
            var v = validMask.to(z.dtype).expand(z.shape);
            w = pairs * v * v.transpose(-1, -2);
        }
        return ReduceElementwise(phi, w, null, reduction);
    }

    /// <summary>PyTorch's <c>huber_loss(d, 0, δ)</c>, elementwise: <c>d²/2</c> when <c>|d| &lt; δ</c>, else <c>δ(|d| − δ/2)</c>.</summary>
    public static Tensor Huber(Tensor d, double delta)
    {
        var magnitude = d.abs();
        return where(magnitude < delta, 0.5 * d * d, delta * (magnitude - 0.5 * delta));
    }
}
