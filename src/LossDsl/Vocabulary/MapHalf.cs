// Linked into the generator (LossDsl.Generators.csproj), which renders its member names.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>Which half of an <c>N × N</c> map a <see cref="Region"/> keeps.</summary>
public enum MapHalf
{
    /// <summary>The whole map.</summary>
    Both,
    /// <summary>The upper half, <c>i ≤ j</c> (what <see cref="MaskLowerAttribute"/> leaves).</summary>
    Upper,
    /// <summary>The lower half, <c>i ≥ j</c> (what <see cref="MaskUpperAttribute"/> leaves).</summary>
    Lower,
}
