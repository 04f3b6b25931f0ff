using System.Collections.Generic;
using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators.Terms;

/// <summary>
/// The parameters of the symmetry and region attributes, as <see cref="ParameterDescriptor"/>s: their defaults come from
/// the attributes' initialisers, their ranges and LD0006 texts from here; the Validator checks them, a docs test reads them.
/// </summary>
internal static class StructuralParameters
{
    private static readonly TransposeConsistencyAttribute Consistency = new();

    /// <summary><c>[MinSeparation(k)]</c>'s <c>k</c>: required, so no default.</summary>
    public static readonly ParameterDescriptor Separation =
        ParameterDescriptor.Integer(nameof(MinSeparationAttribute.Separation), double.NaN, Bounds.Above(1));

    public static readonly ParameterDescriptor Delta =
        ParameterDescriptor.Number(nameof(TransposeConsistencyAttribute.Delta), Consistency.Delta, Bounds.Above(0, open: true));

    public static readonly ParameterDescriptor Penalty =
        ParameterDescriptor.Member(nameof(TransposeConsistencyAttribute.Penalty), Consistency.Penalty);

    public static readonly ParameterDescriptor Space =
        ParameterDescriptor.Member(nameof(TransposeConsistencyAttribute.Space), Consistency.Space);

    /// <summary><c>[TransposeConsistency]</c>'s <c>Weight</c> default (checked by LD0007, not by a range).</summary>
    public static double ConsistencyWeight => Consistency.Weight;

    public static readonly ParameterDescriptor Reduction =
        ParameterDescriptor.Member(nameof(ReductionAttribute.Reduction), new ReductionAttribute().Reduction);

    public static readonly ParameterDescriptor IncludeDiagonal =
        ParameterDescriptor.Flag(nameof(MaskLowerAttribute.IncludeDiagonal), new MaskLowerAttribute().IncludeDiagonal);

    /// <summary>Every one, with its attribute's name (without <c>Attribute</c>); MaskUpper's IncludeDiagonal is MaskLower's.</summary>
    public static IReadOnlyList<(string Attribute, ParameterDescriptor Parameter)> All { get; } = new[]
    {
        ("MinSeparation", Separation),
        ("TransposeConsistency", Delta),
        ("TransposeConsistency", Penalty),
        ("TransposeConsistency", Space),
        ("Reduction", Reduction),
        ("MaskLower", IncludeDiagonal),
        ("MaskUpper", IncludeDiagonal),
    };
}
