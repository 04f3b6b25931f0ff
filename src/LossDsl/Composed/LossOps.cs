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

    /// <summary>
    /// <c>a + weight·b</c>: the sum of two terms (or two evaluations of one), with a scalar that stays alive through the
    /// native call. <c>a + 0.1 * b</c> would not: TorchSharp 0.107 lets the GC free such a Scalar while libtorch reads it.
    /// </summary>
    public static Tensor Add(Tensor a, Tensor b, double weight = 1) => a.Plus(b, weight);

    /// <summary><c>weight·t</c>, the scalar kept alive through the call (see <see cref="Add"/>).</summary>
    public static Tensor Scale(Tensor t, double weight) => t.Times(weight);

    /// <summary>
    /// The logits as the loss reads them: a non-finite logit becomes NaN (<c>x + 0·x</c>), so that it makes the value NaN
    /// through every term, as on the fused path (docs/runtime.md, "Non-finite logits"); outside <paramref name="cells"/>
    /// (0/1, when the loss reads only part of the map), where the fused kernel reads nothing, 0.
    /// </summary>
    public static Tensor ReadLogits(Tensor x, Tensor? cells)
    {
        var read = x.Plus(x.Times(0));
        return cells is null ? read : where(cells.Above(0), read, zeros(1, x.dtype, x.device));
    }

    /// <summary><c>w = R · V</c>: region weights times the validity mask (if any), in <paramref name="dtype"/>.</summary>
    public static Tensor Coverage(Tensor region, Tensor? validMask, ScalarType dtype) =>
        validMask is null ? region : region * validMask.to(dtype);

    /// <summary>
    /// <c>Σ w</c> over the full logits shape, the Mean denominator: broadcasting repeats every element of <c>w</c> equally
    /// often, so this is <c>w</c>'s own sum times that count, without expanding <c>w</c>.
    /// </summary>
    public static Tensor CoverageTotal(Tensor w, long[] shape)
    {
        long cells = CellCount(shape);
        var sum = w.sum();
        return w.numel() == cells ? sum : sum.Times(cells / w.numel());
    }

    /// <summary>
    /// The weights an elementwise reduction gives each cell, folded into one factor: <c>w/Σw</c> for Mean (all 0 when
    /// <c>Σw = 0</c>), <c>w</c> for Sum, or, without coverage weights, the scalar <c>1/numel</c> or 1.
    /// </summary>
    public static CellWeights Cells(Tensor? w, long[] shape, LossReduction reduction)
    {
        if (w is null)
        {
            long cells = CellCount(shape);
            return new CellWeights(null, reduction == LossReduction.Sum || cells == 0 ? 1 : 1.0 / cells);
        }
        if (reduction == LossReduction.Sum) return new CellWeights(w, 1);
        var total = CoverageTotal(w, shape);
        return new CellWeights(w / where(total.Above(0), total, ones_like(total)), 1);
    }

    private static long CellCount(long[] shape)
    {
        long cells = 1;
        foreach (var d in shape) cells *= d;
        return cells;
    }

    /// <summary><paramref name="y"/> transposed in its last two dimensions and laid out contiguously, so that terms evaluated
    /// on <c>(xᵀ, y)</c> as <c>(x, yᵀ)</c> run on contiguous tensors only.</summary>
    public static Tensor Transposed(Tensor y) => y.transpose(-1, -2).contiguous();

    /// <summary>
    /// torchvision's sigmoid focal loss <c>α_t·(1 − p_t)^γ·BCE(x, y)</c>, reduced by <paramref name="cells"/>. Both factors
    /// are sums of exact terms: <c>BCE = −[y·log p + (1 − y)·log(1 − p)]</c> from log-sigmoids, and
    /// <c>1 − p_t = y·σ(−x) + (1 − y)·σ(x)</c> (no <c>1 − p</c>), so saturated logits keep their digits and stay finite.
    /// For γ ≥ 1 the factor is <c>(1 − p_t)^γ</c> directly; for γ &lt; 1 its slope is infinite at <c>1 − p_t = 0</c>, so it
    /// is <c>exp(γ·log(1 − p_t))</c> in log space there.
    /// </summary>
    public static Tensor Focal(Activations a, Tensor y, CellWeights cells, double gamma, double alpha)
    {
        // −α_t = −[α·y + (1 − α)·(1 − y)], a function of the target alone, multiplied into the cells' weights; the
        // cross-entropy's sign rides on it, a full-size pass less forward and backward.
        var weights = alpha < 0 ? null : y.Times(1 - 2 * alpha).PlusInPlace(alpha - 1);
        // The cells' weights go into that factor too, while it is outside the graph: backward has one product less.
        if (weights is not null) (weights, cells) = cells.MultipliedInto(weights);
        var loss = weights is null ? CrossEntropy(a, y) : LogLikelihood(a, y);
        if (gamma > 0 && gamma < 1)
        {
            // exp keeps its result for the backward pass, so this factor is not scaled in place.
            loss = loss * LogOneMinusPt(a, y).Times(gamma).exp();
        }
        else if (gamma >= 1)
        {
            var oneMinusPt = lerp(a.P, a.Q, y);
            var modulation = gamma == 1 ? oneMinusPt : oneMinusPt.Power(gamma);
            weights = weights is null ? modulation : modulation.mul_(weights);
        }
        return cells.Sum(loss, weights);
    }

    /// <summary><c>−[y·log σ(x) + (1 − y)·log σ(−x)]</c>: exactly one log-sigmoid where <c>y</c> is 0 or 1.</summary>
    private static Tensor CrossEntropy(Activations a, Tensor y) => LogLikelihood(a, y).neg_();

    /// <summary><c>y·log σ(x) + (1 − y)·log σ(−x)</c>, the negated cross-entropy.</summary>
    private static Tensor LogLikelihood(Activations a, Tensor y) => lerp(a.LogQ, a.LogP, y);

    /// <summary><c>log(1 − p_t) = logaddexp(log y + log(1 − p), log(1 − y) + log p)</c>, finite for saturated logits.</summary>
    private static Tensor LogOneMinusPt(Activations a, Tensor y) => logaddexp(y.log().Plus(a.LogQ), y.SubtractedFrom(1).log().Plus(a.LogP));

    /// <summary>
    /// <c>binary_cross_entropy_with_logits</c> with <c>pos_weight</c> on the smoothed target <c>y(1 − ε) + ε/2</c>:
    /// <c>−[w₊·y·log p + (1 − y)·log(1 − p)]</c>, reduced by <paramref name="cells"/>; from log-sigmoids, so that no
    /// term cancels for saturated logits.
    /// </summary>
    public static Tensor BinaryCrossEntropy(Activations a, Tensor y, CellWeights cells, double posWeight, double labelSmoothing)
    {
        if (labelSmoothing != 0) y = y.Times(1 - labelSmoothing).PlusInPlace(0.5 * labelSmoothing);
        if (posWeight == 1) return cells.Sum(CrossEntropy(a, y), null);
        var loss = (a.LogQ * y.SubtractedFrom(1)).PlusProduct(a.LogP, y.Times(posWeight), 1).neg_();
        return cells.Sum(loss, null);
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
    private static Tensor Smoothing(Tensor covered, double smooth) => covered.AtMost(0).to(covered.dtype).PlusInPlace(smooth);

    /// <summary>Soft Dice per sample: <c>1 − (2TP + s)/(2TP + FP + FN + s)</c>, reduced over samples.</summary>
    public static Tensor Dice(Tensor p, Tensor y, Tensor? w, double smooth, bool batch, LossReduction reduction)
    {
        var (tp, predicted, positive, covered) = RegionSums(p, y, w, batch);
        var s = Smoothing(covered, smooth);
        var perSample = (tp.Times(2).Plus(s) / predicted.Plus(positive).Plus(s)).SubtractedFrom(1);
        return ReduceSamples(perSample, reduction);
    }

    /// <summary>Soft Jaccard (IoU) per sample: <c>1 − (TP + s)/(TP + FP + FN + s)</c>, reduced over samples.</summary>
    public static Tensor Jaccard(Tensor p, Tensor y, Tensor? w, double smooth, bool batch, LossReduction reduction)
    {
        var (tp, predicted, positive, covered) = RegionSums(p, y, w, batch);
        var s = Smoothing(covered, smooth);
        var perSample = (tp.Plus(s) / (predicted.Plus(positive) - tp).Plus(s)).SubtractedFrom(1);
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
        var (tpE, fpE, fnE, tnE) = (tp.Plus(smooth), fp.Plus(smooth), fn.Plus(smooth), tn.Plus(smooth));
        var mcc = (tpE * tnE - fpE * fnE) / (tpE.Plus(fpE) * tpE.Plus(fnE) * tnE.Plus(fpE) * tnE.Plus(fnE)).sqrt();
        // ε > 0 keeps an empty sample's branch finite (MCC = 0 there), so its zero gradient stays 0.
        var perSample = where(covered.Above(0), mcc.SubtractedFrom(1), zeros_like(mcc));
        return ReduceSamples(perSample, reduction);
    }

    /// <summary>(Focal) Tversky per sample: <c>(1 − (TP + s)/(TP + α·FP + β·FN + s))^γ</c>, reduced over samples.</summary>
    public static Tensor Tversky(Tensor p, Tensor y, Tensor? w, double alpha, double beta, double gamma, double smooth, bool batch, LossReduction reduction)
    {
        var (tp, predicted, positive, covered) = RegionSums(p, y, w, batch);
        var s = Smoothing(covered, smooth);
        var falsePositive = predicted - tp;
        var falseNegative = positive - tp;
        var perSample = (tp.Plus(s) / tp.Plus(falsePositive.Times(alpha)).Plus(falseNegative.Times(beta)).Plus(s)).SubtractedFrom(1);
        if (gamma < 1)
        {
            // c^γ with γ < 1 has an infinite slope at its minimum c = 0 (say, a fully masked sample): the gradient is
            // taken as 0 there so that it stays finite; elsewhere this is plain pow.
            var above = perSample.Above(0);
            perSample = where(above, where(above, perSample, ones_like(perSample)).Power(gamma), zeros_like(perSample));
        }
        else if (gamma != 1) perSample = perSample.Power(gamma);
        return ReduceSamples(perSample, reduction);
    }

    /// <summary>Mean or sum of per-sample values.</summary>
    public static Tensor ReduceSamples(Tensor perSample, LossReduction reduction) =>
        reduction == LossReduction.Sum ? perSample.sum() : perSample.mean();

    /// <summary>
    /// The transpose-consistency penalty <c>C</c>: <c>φ(z − zᵀ)</c> over the pairs of <paramref name="pairs"/>
    /// (cells <c>j − i ≥ max(1, k)</c>), weighted by <c>V[i, j]·V[j, i]</c>, reduced like an elementwise term. φ is
    /// PyTorch's own <c>l1_loss</c>, <c>mse_loss</c> or <c>huber_loss</c> of <c>z</c> against <c>zᵀ</c>, one operation each.
    /// </summary>
    public static Tensor Consistency(Tensor z, Tensor pairs, Tensor? validMask, SymmetryPenalty penalty, double delta, LossReduction reduction)
    {
        // One strided op for the transpose, then contiguous ones: the penalty against zeros, not against the view.
        var d = z - z.transpose(-1, -2);
        var phi = penalty switch
        {
            SymmetryPenalty.L1 => d.abs(),
            SymmetryPenalty.Mse => d * d,
            // The zeros are one element broadcast (a stride-0 view), not a full-size tensor filled on every call.
            SymmetryPenalty.Huber => nn.functional.huber_loss(d, zeros(1, d.dtype, d.device).expand_as(d), delta: delta, reduction: nn.Reduction.None),
        };
        var w = pairs;
        if (validMask is not null)
        {
            var v = validMask.to(z.dtype).expand(z.shape);
            w = pairs * v * v.transpose(-1, -2);
        }
        return Cells(w, z.shape, reduction).Sum(phi, null);
    }

    /// <summary>
    /// The shared activations of a loss's logits <see cref="X"/>, each computed on first use and kept for every term that
    /// asks (the caller's dispose scope owns them): <c>log σ(±x)</c>, and <c>σ(±x)</c> as their exponentials, whose slope
    /// autograd then takes as the exact <c>σ(x)·σ(−x)</c> (sigmoid's own <c>p·(1 − p)</c> loses digits as p nears 1).
    /// </summary>
    public sealed class Activations
    {
        private Tensor? _p, _q, _logP, _logQ;

        /// <summary>The activations of <paramref name="x"/> (in the compute dtype), none computed yet.</summary>
        public Activations(Tensor x) => X = x;

        /// <summary>The logits, in the compute dtype.</summary>
        public Tensor X { get; }

        /// <summary><c>σ(x)</c>.</summary>
        public Tensor P => _p ??= LogP.exp();

        /// <summary><c>σ(−x)</c>, exact where <c>1 − σ(x)</c> would round to 0.</summary>
        public Tensor Q => _q ??= LogQ.exp();

        /// <summary><c>log σ(x)</c>.</summary>
        public Tensor LogP => _logP ??= nn.functional.logsigmoid(X);

        /// <summary><c>log σ(−x)</c>.</summary>
        public Tensor LogQ => _logQ ??= nn.functional.logsigmoid(X.neg());
    }

    /// <summary>
    /// The weights an elementwise reduction gives each cell (see <see cref="Cells"/>): a tensor broadcastable to the
    /// logits, or none and one scalar <see cref="Factor"/> for every cell.
    /// </summary>
    public readonly struct CellWeights
    {
        /// <summary>Per-cell <paramref name="weights"/> (broadcastable to the logits), or none and <paramref name="factor"/> for every cell.</summary>
        public CellWeights(Tensor? weights, double factor) => (Weights, Factor) = (weights, factor);

        /// <summary>Each cell's weight, the reduction's denominator already divided in; null: <see cref="Factor"/> everywhere.</summary>
        public Tensor? Weights { get; }

        /// <summary>The weight of every cell when <see cref="Weights"/> is null (<c>1/numel</c> for Mean, 1 for Sum); 1 otherwise.</summary>
        public double Factor { get; }

        /// <summary>The same weights seen from the transposed map: what a term on <c>(x, yᵀ)</c> uses for one on <c>(xᵀ, y)</c>.</summary>
        public CellWeights Transposed()
        {
            if (Weights is null) return this;
            var w = Weights;
            while (w.Dimensions < 2) w = w.unsqueeze(0);
            return new CellWeights(w.transpose(-1, -2), Factor);
        }

        /// <summary>
        /// <paramref name="perCell"/> (the caller's own temporary) times the weights, in place, and what then remains to
        /// apply: the factor alone.
        /// </summary>
        public (Tensor PerCell, CellWeights Remaining) MultipliedInto(Tensor perCell) =>
            Weights is null ? (perCell, this) : (perCell.mul_(Weights), new CellWeights(null, Factor));

        /// <summary><c>Σ weights · ℓ</c>, with <paramref name="perCell"/> (a fresh tensor of ℓ's shape, or null) multiplied in.</summary>
        public Tensor Sum(Tensor loss, Tensor? perCell)
        {
            if (perCell is null) return Weights is null ? loss.sum().Times(Factor) : (loss * Weights).sum();
            // The factor scales the sum, not every cell; perCell is the caller's own temporary, so weights go in in place.
            if (Weights is null) return (loss * perCell).sum().Times(Factor);
            return (loss * perCell.mul_(Weights)).sum();
        }
    }
}
