using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>
/// Soft Jaccard (IoU) loss, a region term computed per sample (or over the whole batch when <c>Batch</c>):
/// <c>1 − (TP + s) / (TP + FP + FN + s)</c>, with TP, FP, FN as for <see cref="DiceAttribute"/>. A sample with no
/// covered cell contributes 0, also for <c>s = 0</c>.
/// See docs/attributes.md, "Jaccard".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class JaccardAttribute : Attribute
{
    /// <summary>Smoothing s ≥ 0 added to numerator and denominator. Default 1.</summary>
    public double Smooth { get; set; } = 1;
    /// <summary>Sum TP, FP, FN over the whole batch instead of per sample. Default false.</summary>
    public bool Batch { get; set; }
    /// <summary>Multiplies the term; finite and ≥ 0. Default 1.</summary>
    public double Weight { get; set; } = 1;
}
