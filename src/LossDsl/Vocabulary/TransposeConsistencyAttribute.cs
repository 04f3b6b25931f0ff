using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>
/// Adds <c>Weight · C</c>, a penalty on the asymmetry <c>d = z − zᵀ</c> with <c>z = sigmoid(x)</c> (or <c>z = x</c> for
/// <see cref="ConsistencySpace.Logits"/>), over the pairs <c>j − i ≥ max(1, k)</c> (k from <see cref="MinSeparationAttribute"/>)
/// weighted by <c>V[i, j]·V[j, i]</c>: <c>C = Σ w·φ(d) / Σ w</c> (Mean) or <c>Σ w·φ(d)</c> (Sum).
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
