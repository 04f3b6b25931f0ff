// Linked into the generator (LossDsl.Generators.csproj), which renders its member names.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>How terms and penalties reduce over the covered elements (or samples, for region terms).</summary>
public enum LossReduction
{
    /// <summary>Elementwise terms: <c>Σ w·ℓ / Σ w</c> (0 when nothing is covered); region terms: the mean over samples.</summary>
    Mean,
    /// <summary>Elementwise terms: <c>Σ w·ℓ</c>; region terms: the sum over samples.</summary>
    Sum,
}
