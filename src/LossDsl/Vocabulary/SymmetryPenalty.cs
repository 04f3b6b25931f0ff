// Linked into the generator (LossDsl.Generators.csproj), which renders its member names.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>The penalty <c>φ(d)</c> that <see cref="TransposeConsistencyAttribute"/> puts on <c>d = z − zᵀ</c>.</summary>
public enum SymmetryPenalty
{
    /// <summary><c>φ = |d|</c>.</summary>
    L1,
    /// <summary><c>φ = d²</c>.</summary>
    Mse,
    /// <summary>PyTorch's <c>huber_loss(d, 0, δ)</c>: <c>d²/2</c> when <c>|d| &lt; δ</c>, else <c>δ·(|d| − δ/2)</c>.</summary>
    Huber,
}
