using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>
/// Soft Matthews correlation loss <c>1 − MCC</c>, a region term computed per sample (or over the whole batch when
/// <c>Batch</c>): with <c>ε</c> added to each of TP, FP, FN and <c>TN = Σ w·(1 − p)·(1 − y)</c>,
/// <c>MCC = (TP·TN − FP·FN) / sqrt((TP + FP)(TP + FN)(TN + FP)(TN + FN))</c>. A sample with no covered cell
/// contributes 0.
/// See docs/attributes.md, "MatthewsCorrelation".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MatthewsCorrelationAttribute : Attribute
{
    /// <summary>Smoothing ε &gt; 0 added to each of TP, FP, FN and TN. Default 1e-5.</summary>
    public double Smooth { get; set; } = 1e-5;
    /// <summary>Sum TP, FP, FN, TN over the whole batch instead of per sample. Default false.</summary>
    public bool Batch { get; set; }
    /// <summary>Multiplies the term; finite and ≥ 0. Default 1.</summary>
    public double Weight { get; set; } = 1;
}
