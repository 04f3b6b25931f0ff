using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>Symmetrizes the logits before every term and penalty: <c>x ← (x + xᵀ)/2</c> (transpose of the last two dimensions).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SymmetrizeAttribute : Attribute
{
}
