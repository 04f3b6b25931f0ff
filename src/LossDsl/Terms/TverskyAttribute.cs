using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>
/// (Focal) Tversky, a region term computed per sample (or over the whole batch when <c>Batch</c>):
/// <c>(1 − (TP + s) / (TP + α·FP + β·FN + s))^γ</c>, with TP, FP, FN as for <see cref="DiceAttribute"/>.
/// See docs/attributes.md, "Tversky".
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
