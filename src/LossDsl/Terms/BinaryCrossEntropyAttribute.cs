using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>
/// Binary cross-entropy on logits (PyTorch's <c>binary_cross_entropy_with_logits</c>), elementwise, on the smoothed
/// target <c>y' = y(1 − ε) + ε/2</c>: <c>ℓ = −[w₊·y'·log p + (1 − y')·log(1 − p)]</c>, computed in log-sum-exp form.
/// See docs/attributes.md, "BinaryCrossEntropy".
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
