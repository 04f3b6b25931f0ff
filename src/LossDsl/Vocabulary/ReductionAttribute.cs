using System;

// Linked into the generator (LossDsl.Generators.csproj), which reads names and defaults from it. Values are checked
// there (LDxxxx diagnostics), so the attribute holds plain data.
#if LOSSDSL_GENERATOR
namespace LossDsl.Generators.Vocabulary;
#else
namespace LossDsl;
#endif

/// <summary>How every term and penalty reduces. Default <see cref="LossReduction.Mean"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ReductionAttribute : Attribute
{
    /// <summary>Creates the attribute with <see cref="LossReduction.Mean"/>.</summary>
    public ReductionAttribute() : this(LossReduction.Mean) { }

    /// <summary>Creates the attribute.</summary>
    /// <param name="reduction">Mean (default) or Sum.</param>
    public ReductionAttribute(LossReduction reduction) => Reduction = reduction;

    /// <summary>The reduction.</summary>
    public LossReduction Reduction { get; }
}
