// Linked into the generator (LossDsl.Generators.csproj), which renders its member names.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>What <see cref="TransposeConsistencyAttribute"/> compares with its transpose.</summary>
public enum ConsistencySpace
{
    /// <summary><c>z = sigmoid(x)</c>.</summary>
    Probabilities,
    /// <summary><c>z = x</c>, the logits.</summary>
    Logits,
}
