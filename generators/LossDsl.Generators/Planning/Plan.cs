using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Terms;
using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators;

/// <summary>
/// What the emitted module computes, decided once from a <see cref="LossSpec"/>: which shared quantities (activations,
/// probabilities, coverage weights) the composed path needs, and the fused kernel's layout (<see cref="Fused"/>), or
/// none when a term cannot be fused. The emitters only render these decisions.
/// </summary>
internal sealed class Plan
{
    public Plan(LossSpec spec)
    {
        Spec = spec;
        HasElementwiseTerms = spec.Terms.Any(t => t.Term.Shape == TermShape.Elementwise);
        HasRegionTerms = spec.Terms.Any(t => t.Term.Shape == TermShape.Region);
        HasComposedOnlyTerms = spec.Terms.Any(t => t.Term.Shape == TermShape.ComposedOnly);
        // |d|'s slope is sign(d): two float32 probabilities that round alike give it by chance, so L1 compares the
        // probabilities the region terms use (float64 for float32 logits on CPU).
        PenaltyOnRegionProbabilities = spec.Consistency is { InLogits: false, Penalty: SymmetryPenalty.L1 };
        NeedsActivations = HasElementwiseTerms || spec.Consistency is { InLogits: false } && !PenaltyOnRegionProbabilities;
        HasRegion = spec.Half != MapHalf.Both || spec.MinSeparation > 0;
        ConsistencySeparation = spec.Consistency is null ? 0 : System.Math.Max(1, spec.MinSeparation);
        // A term that sorts (composed only) keeps the whole class on the composed path.
        Fused = HasComposedOnlyTerms ? null : new FusedPlan(spec, ConsistencySeparation);
    }

    public LossSpec Spec { get; }
    /// <summary>Focal or BCE: they share the cells' reduction weights.</summary>
    public bool HasElementwiseTerms { get; }
    /// <summary>Terms of confusion sums: they need p (and pᵀ under [SymmetricTranspose]).</summary>
    public bool HasRegionTerms { get; }
    /// <summary>Terms of the logits themselves (and xᵀ under [SymmetricTranspose]), which cannot be fused.</summary>
    public bool HasComposedOnlyTerms { get; }
    /// <summary>Elementwise terms and a penalty on probabilities share σ(x), σ(−x) (the composed path's <c>LossOps.Activations</c>).</summary>
    public bool NeedsActivations { get; }
    /// <summary>The L1 transpose-consistency penalty on probabilities reads <c>LossOps.Probability</c>, not the shared activations.</summary>
    public bool PenaltyOnRegionProbabilities { get; }
    public bool HasRegion { get; }
    /// <summary><c>max(1, k)</c>: the transpose-consistency penalty compares pairs <c>j − i ≥ max(1, k)</c>; 0 without it.</summary>
    public int ConsistencySeparation { get; }
    /// <summary>The fused kernel's layout; null when a term cannot be fused.</summary>
    public FusedPlan? Fused { get; }
}
