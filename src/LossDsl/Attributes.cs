using System;

namespace LossDsl;

// The attributes only describe a loss; the LossDsl source generator reads them at compile time
// and writes the module. Their property values are validated there (LDxxxx diagnostics), so the
// attribute classes themselves hold plain data.

/// <summary>How terms and penalties reduce over the covered elements (or samples, for region terms).</summary>
public enum LossReduction
{
    /// <summary>Elementwise terms: <c>Σ w·ℓ / Σ w</c> (0 when nothing is covered); region terms: the mean over samples.</summary>
    Mean,
    /// <summary>Elementwise terms: <c>Σ w·ℓ</c>; region terms: the sum over samples.</summary>
    Sum,
}

/// <summary>The penalty <c>φ(d)</c> that <see cref="TransposeConsistencyAttribute"/> puts on <c>d = z − zᵀ</c>.</summary>
public enum SymmetryPenalty
{
    /// <summary><c>φ = |d|</c>.</summary>
    L1,
    /// <summary><c>φ = d²</c>.</summary>
    Mse,
    /// <summary>PyTorch's <c>huber_loss(d, 0, δ)</c>: <c>d²/2</c> when <c>|d| &lt; δ</c>, else <c>δ·(|d| − δ/2)</c>.</summary>
    Huber,
}

/// <summary>What <see cref="TransposeConsistencyAttribute"/> compares with its transpose.</summary>
public enum ConsistencySpace
{
    /// <summary><c>z = sigmoid(x)</c>.</summary>
    Probabilities,
    /// <summary><c>z = x</c>, the logits.</summary>
    Logits,
}

/// <summary>
/// Focal term (torchvision's <c>sigmoid_focal_loss</c>), elementwise:
/// <c>ℓ = α_t · (1 − p_t)^γ · BCE(x, y)</c> with <c>p = sigmoid(x)</c>, <c>p_t = p·y + (1 − p)(1 − y)</c>,
/// <c>α_t = α·y + (1 − α)(1 − y)</c>. The factor <c>(1 − p_t)^γ</c> is taken in log space, so saturated
/// logits give finite values and gradients.
/// Defaults: <c>Gamma = 2</c>, <c>Alpha = 0.25</c> (negative turns the α weighting off), <c>Weight = 1</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FocalAttribute : Attribute
{
    /// <summary>Focusing exponent γ ≥ 0; 0 gives (α-weighted) BCE. Default 2.</summary>
    public double Gamma { get; set; } = 2;
    /// <summary>Weight α ≤ 1 of the positive class; a negative value turns the α weighting off. Default 0.25.</summary>
    public double Alpha { get; set; } = 0.25;
    /// <summary>Multiplies the term; finite and ≥ 0. Default 1.</summary>
    public double Weight { get; set; } = 1;
}

/// <summary>
/// Binary cross-entropy on logits (PyTorch's <c>binary_cross_entropy_with_logits</c>), elementwise, on the smoothed
/// target <c>y' = y(1 − ε) + ε/2</c>: <c>ℓ = −[w₊·y'·log p + (1 − y')·log(1 − p)]</c>, computed in log-sum-exp form.
/// Defaults: <c>PosWeight = 1</c> (w₊ &gt; 0), <c>LabelSmoothing = 0</c> (ε ∈ [0, 1)), <c>Weight = 1</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BinaryCrossEntropyAttribute : Attribute
{
    /// <summary>Weight w₊ &gt; 0 of the positive part; for a class with fraction f of ones, (1 − f)/f balances them. Default 1.</summary>
    public double PosWeight { get; set; } = 1;
    /// <summary>Label smoothing ε ∈ [0, 1): targets become <c>y(1 − ε) + ε/2</c>. Default 0.</summary>
    public double LabelSmoothing { get; set; }
    /// <summary>Multiplies the term; finite and ≥ 0. Default 1.</summary>
    public double Weight { get; set; } = 1;
}

/// <summary>
/// Soft Dice, a region term computed per sample (or over the whole batch when <c>Batch</c>):
/// <c>1 − (2TP + s) / (2TP + FP + FN + s)</c> with <c>TP = Σ w·p·y</c>, <c>FP = Σ w·p·(1 − y)</c>, <c>FN = Σ w·(1 − p)·y</c>.
/// Defaults: <c>Smooth = 1</c> (s ≥ 0), <c>Batch = false</c>, <c>Weight = 1</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DiceAttribute : Attribute
{
    /// <summary>Smoothing s ≥ 0 added to numerator and denominator. Default 1.</summary>
    public double Smooth { get; set; } = 1;
    /// <summary>Sum TP, FP, FN over the whole batch instead of per sample. Default false.</summary>
    public bool Batch { get; set; }
    /// <summary>Multiplies the term; finite and ≥ 0. Default 1.</summary>
    public double Weight { get; set; } = 1;
}

/// <summary>
/// (Focal) Tversky, a region term computed per sample (or over the whole batch when <c>Batch</c>):
/// <c>(1 − (TP + s) / (TP + α·FP + β·FN + s))^γ</c>, with TP, FP, FN as for <see cref="DiceAttribute"/>.
/// Defaults: <c>Alpha = 0.5</c>, <c>Beta = 0.5</c> (both in [0, 1]), <c>Gamma = 1</c> (≥ 0), <c>Smooth = 1</c> (≥ 0),
/// <c>Batch = false</c>, <c>Weight = 1</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TverskyAttribute : Attribute
{
    /// <summary>Weight α ∈ [0, 1] of false positives. Default 0.5.</summary>
    public double Alpha { get; set; } = 0.5;
    /// <summary>Weight β ∈ [0, 1] of false negatives. Default 0.5.</summary>
    public double Beta { get; set; } = 0.5;
    /// <summary>Focal exponent γ ≥ 0 on the Tversky loss. Default 1.</summary>
    public double Gamma { get; set; } = 1;
    /// <summary>Smoothing s ≥ 0. Default 1.</summary>
    public double Smooth { get; set; } = 1;
    /// <summary>Sum TP, FP, FN over the whole batch instead of per sample. Default false.</summary>
    public bool Batch { get; set; }
    /// <summary>Multiplies the term; finite and ≥ 0. Default 1.</summary>
    public double Weight { get; set; } = 1;
}

/// <summary>Symmetrizes the logits before every term and penalty: <c>x ← (x + xᵀ)/2</c> (transpose of the last two dimensions).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SymmetrizeAttribute : Attribute
{
}

/// <summary>
/// Every term <c>T</c> becomes <c>T(x, y) + T(xᵀ, y)</c>, with the same target, region and validity mask.
/// Useful together with <see cref="MaskLowerAttribute"/> or <see cref="MaskUpperAttribute"/>: without a mask and with
/// symmetric targets it only doubles the loss.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SymmetricTransposeAttribute : Attribute
{
}

/// <summary>Zeroes the lower half out: terms cover only <c>i ≤ j</c> (<c>i &lt; j</c> when <c>IncludeDiagonal = false</c>). Default <c>IncludeDiagonal = true</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MaskLowerAttribute : Attribute
{
    /// <summary>Whether the diagonal <c>i = j</c> stays covered. Default true.</summary>
    public bool IncludeDiagonal { get; set; } = true;
}

/// <summary>Zeroes the upper half out: terms cover only <c>i ≥ j</c> (<c>i &gt; j</c> when <c>IncludeDiagonal = false</c>). Default <c>IncludeDiagonal = true</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MaskUpperAttribute : Attribute
{
    /// <summary>Whether the diagonal <c>i = j</c> stays covered. Default true.</summary>
    public bool IncludeDiagonal { get; set; } = true;
}

/// <summary>
/// Terms cover only cells with <c>|i − j| ≥ k</c> (k ≥ 1), e.g. contacts at least k residues apart;
/// <see cref="TransposeConsistencyAttribute"/> then compares only pairs with <c>j − i ≥ k</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MinSeparationAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="separation">The smallest <c>|i − j|</c> covered; at least 1.</param>
    public MinSeparationAttribute(int separation) => Separation = separation;

    /// <summary>The smallest <c>|i − j|</c> covered.</summary>
    public int Separation { get; }
}

/// <summary>
/// Adds <c>Weight · C</c>, a penalty on the asymmetry <c>d = z − zᵀ</c> with <c>z = sigmoid(x)</c> (or <c>z = x</c> for
/// <see cref="ConsistencySpace.Logits"/>), over the pairs <c>j − i ≥ max(1, k)</c> (k from <see cref="MinSeparationAttribute"/>)
/// weighted by <c>V[i, j]·V[j, i]</c>: <c>C = Σ w·φ(d) / Σ w</c> (Mean) or <c>Σ w·φ(d)</c> (Sum).
/// Defaults: <c>Penalty = Huber</c>, <c>Delta = 1</c> (δ &gt; 0), <c>Weight = 0.1</c>, <c>Space = Probabilities</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TransposeConsistencyAttribute : Attribute
{
    /// <summary>The penalty φ. Default <see cref="SymmetryPenalty.Huber"/>.</summary>
    public SymmetryPenalty Penalty { get; set; } = SymmetryPenalty.Huber;
    /// <summary>Huber threshold δ &gt; 0. Default 1.</summary>
    public double Delta { get; set; } = 1;
    /// <summary>Multiplies the penalty; finite and ≥ 0. Default 0.1.</summary>
    public double Weight { get; set; } = 0.1;
    /// <summary>Compare probabilities or logits. Default <see cref="ConsistencySpace.Probabilities"/>.</summary>
    public ConsistencySpace Space { get; set; } = ConsistencySpace.Probabilities;
}

/// <summary>How every term and penalty reduces. Default <see cref="LossReduction.Mean"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ReductionAttribute : Attribute
{
    /// <summary>Creates the attribute with <see cref="LossReduction.Mean"/>.</summary>
    public ReductionAttribute() : this(LossReduction.Mean) { }

    /// <summary>Creates the attribute.</summary>
    /// <param name="reduction">Mean (default) or Sum.</param>
    public ReductionAttribute(LossReduction reduction) => Reduction = reduction;

    /// <summary>The reduction.</summary>
    public LossReduction Reduction { get; }
}
