using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>
/// Terms cover only cells with <c>|i − j| ≥ k</c> (k ≥ 1), e.g. contacts at least k residues apart;
/// <see cref="TransposeConsistencyAttribute"/> then compares only pairs with <c>j − i ≥ k</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MinSeparationAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="separation">The smallest <c>|i − j|</c> covered; at least 1.</param>
    public MinSeparationAttribute(int separation) => Separation = separation;

    /// <summary>The smallest <c>|i − j|</c> covered.</summary>
    public int Separation { get; }
}
