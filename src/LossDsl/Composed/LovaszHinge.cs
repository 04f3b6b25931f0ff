using static TorchSharp.torch;

namespace LossDsl;

public static partial class LossOps
{
    /// <summary>
    /// The Lovász hinge per sample (Berman et al. 2018, the reference <c>lovasz_hinge_flat</c>), reduced over samples: over
    /// the cells with <c>w &gt; 0</c> (their weights are not applied), labels <c>ŷ = [y ≥ 0.5]</c>, errors
    /// <c>e = 1 − x·(2ŷ − 1)</c> sorted in decreasing order, <c>Σ_k relu(e_k)·(J_k − J_{k−1})</c> with
    /// <c>J_k = 1 − (G − Σ_{i≤k} ŷ_i)/(G + Σ_{i≤k}(1 − ŷ_i))</c>, <c>G = Σ ŷ</c>. A sample with no covered cell gives 0.
    /// Computed in float64 whatever the input: in float32 the increments <c>J_k − J_{k−1}</c> cancel.
    /// </summary>
    public static Tensor LovaszHinge(Tensor x, Tensor y, Tensor? w, bool batch, LossReduction reduction)
    {
        var shape = x.shape;
        var rows = batch ? new long[] { 1, -1 } : new long[] { -1, shape[^2] * shape[^1] };
        var sign = y.AtLeast(0.5).to(ScalarType.Float64).Times(2).PlusInPlace(-1);
        var errors = (x.to(ScalarType.Float64) * sign).SubtractedFrom(1).reshape(rows);
        var labels = y.AtLeast(0.5).to(ScalarType.Float64).reshape(rows);
        var covered = w is null ? ones_like(errors, ScalarType.Bool) : w.expand(shape).Above(0).reshape(rows);
        // Uncovered cells sort last (−∞), where relu makes them add nothing.
        var (sorted, order) = where(covered, errors, zeros_like(errors).PlusInPlace(double.NegativeInfinity)).sort(1, descending: true);
        var inSet = covered.to(ScalarType.Float64).gather(1, order);
        var positive = (labels * covered.to(ScalarType.Float64)).gather(1, order);
        var total = positive.sum(1, keepdim: true);
        var intersection = total - positive.cumsum(1);
        var union = total.Plus((positive.SubtractedFrom(1) * inSet).cumsum(1));
        // Only a sample without covered cells has a zero union (then intersection is 0 too): 1 keeps it finite.
        var jaccard = (intersection / where(union.Above(0), union, ones_like(union))).SubtractedFrom(1);
        long n = jaccard.shape[1];
        var increments = cat(new[] { jaccard.narrow(1, 0, 1), jaccard.narrow(1, 1, n - 1) - jaccard.narrow(1, 0, n - 1) }, 1);
        var perSample = (nn.functional.relu(sorted) * increments).sum(1);
        return ReduceSamples(perSample, reduction).to(x.dtype);
    }
}
