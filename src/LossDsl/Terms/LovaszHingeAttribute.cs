using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>
/// Lovász hinge (Berman et al., CVPR 2018), a set term computed per sample (or over the whole batch when
/// <c>Batch</c>): over the covered cells (their weights are not applied), labels <c>ŷ = [y ≥ 0.5]</c> and errors
/// <c>e = 1 − x·(2ŷ − 1)</c> sorted in decreasing order, <c>Σ_k relu(e_k)·(J_k − J_{k−1})</c> with the Jaccard loss
/// <c>J_k</c> of the first k cells. It sorts, so a class holding it runs composed TorchSharp operations (sort and
/// cumulative sums in float64). A sample with no covered cell contributes 0.
/// See docs/attributes.md, "LovaszHinge".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LovaszHingeAttribute : Attribute
{
    /// <summary>One set over the whole batch instead of one per sample. Default false.</summary>
    public bool Batch { get; set; }
    /// <summary>Multiplies the term; finite and ≥ 0. Default 1.</summary>
    public double Weight { get; set; } = 1;
}
