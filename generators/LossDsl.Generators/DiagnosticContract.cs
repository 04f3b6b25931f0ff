namespace LossDsl.Generators;

// Shared, as a linked source file, by the generator (which reports the diagnostics) and LossDsl.CodeFixes (which fixes
// them): the ids that have code fixes, and the keys of the Diagnostic.Properties those fixes read.

/// <summary>Ids of the diagnostics that LossDsl.CodeFixes can fix.</summary>
internal static class FixableIds
{
    public const string NotPartial = "LD0001";
    public const string BothMasks = "LD0005";
    public const string ParameterOutOfRange = "LD0006";
}

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that LossDsl diagnostics carry.</summary>
internal static class DiagnosticProperties
{
    /// <summary>LD0006: the argument as written, a named argument's name (<c>Gamma</c>) or <c>#k</c> for the k-th constructor argument.</summary>
    public const string Parameter = "Parameter";

    /// <summary>LD0006: the nearest valid value as a C# expression (<c>0</c>, <c>0.99</c>,
    /// <c>global::LossDsl.SymmetryPenalty.Huber</c>); absent when there is none (NaN, or ∞ on an unbounded side).</summary>
    public const string Nearest = "Nearest";
}
