using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>Zeroes the lower half out: terms cover only <c>i ≤ j</c> (<c>i &lt; j</c> when <c>IncludeDiagonal = false</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MaskLowerAttribute : Attribute
{
    /// <summary>Whether the diagonal <c>i = j</c> stays covered. Default true.</summary>
    public bool IncludeDiagonal { get; set; } = true;
}
