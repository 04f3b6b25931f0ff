using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>
/// Focal term (torchvision's <c>sigmoid_focal_loss</c>), elementwise:
/// <c>ℓ = α_t · (1 − p_t)^γ · BCE(x, y)</c> with <c>p = sigmoid(x)</c>, <c>p_t = p·y + (1 − p)(1 − y)</c>,
/// <c>α_t = α·y + (1 − α)(1 − y)</c>. The factor <c>(1 − p_t)^γ</c> is taken in log space, so saturated
/// logits give finite values and gradients.
/// See docs/attributes.md, "Focal".
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
