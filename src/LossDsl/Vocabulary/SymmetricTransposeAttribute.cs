using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>
/// Every term <c>T</c> becomes <c>T(x, y) + T(xᵀ, y)</c>, with the same target, region and validity mask.
/// Useful together with <see cref="MaskLowerAttribute"/> or <see cref="MaskUpperAttribute"/>: without a mask and with
/// symmetric targets it only doubles the loss.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class SymmetricTransposeAttribute : Attribute
{
}
