// Linked into the generator (LossDsl.Generators.csproj), which renders its member names.
using System.ComponentModel;

#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl.Fused;
#endif

/// <summary>How a kernel's cells are walked (a generated kernel's <c>Walk</c>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum FusedWalk
{
    /// <summary>Cells one by one, rows in place: the loss never looks at the transpose.</summary>
    Cells,
    /// <summary>
    /// Cells one by one, each with its mirror's target and validity (<c>[SymmetricTranspose]</c> alone: <c>Σ ℓ(xᵀ, y)</c>
    /// is <c>Σ ℓ(x, yᵀ)</c>, so no logit is read or written transposed).
    /// </summary>
    MirroredTargets,
    /// <summary>Pairs <c>(i, j)</c>/<c>(j, i)</c>: the loss combines a logit with its mirror's (<c>[Symmetrize]</c>, the penalty).</summary>
    Pairs,
}
