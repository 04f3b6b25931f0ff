using LossDsl.Generators.Emitting;
using System.Collections.Generic;
using System.Linq;

namespace LossDsl.Generators.Terms;

/// <summary>How a term is computed: cell by cell, from a sample's confusion sums, or only by composed operations.</summary>
internal enum TermShape
{
    /// <summary>A loss per cell, reduced like <c>Σ w·ℓ / Σ w</c>: fused in one pass.</summary>
    Elementwise,
    /// <summary>A function of each sample's soft confusion sums: fused in two passes (sums, then gradient coefficients).</summary>
    Region,
    /// <summary>Cannot be fused (say, it sorts): a class holding it runs the composed path.</summary>
    ComposedOnly,
}

/// <summary>
/// One parameter of a LossDsl attribute: its name, default, valid range and the LD0006 text of that range. Term
/// descriptors hold theirs; <see cref="StructuralParameters"/> those of the symmetry and region attributes.
/// </summary>
internal sealed class ParameterDescriptor
{
    private ParameterDescriptor(string name, double @default, Bounds range, string rule, bool isFlag) =>
        (Name, Default, Range, Rule, IsFlag) = (name, @default, range, rule, isFlag);

    /// <summary>A <c>double</c> parameter valid in <paramref name="range"/>; <paramref name="note"/> follows the range in LD0006's text.</summary>
    public static ParameterDescriptor Number(string name, double @default, Bounds range, string? note = null) =>
        new(name, @default, range, range.Describe() + (note is null ? "" : $" ({note})"), false);

    /// <summary>An <c>int</c> parameter valid in <paramref name="range"/>.</summary>
    public static ParameterDescriptor Integer(string name, double @default, Bounds range) => new(name, @default, range, range.Describe("an integer"), false);

    /// <summary>A <c>bool</c> parameter (the parser reads it as 1 or 0).</summary>
    public static ParameterDescriptor Flag(string name, bool @default) => new(name, @default ? 1 : 0, Bounds.All, "true or false", true);

    /// <summary>An enum parameter: valid are its named members (the parser reads a member as its number).</summary>
    public static ParameterDescriptor Member<TEnum>(string name, TEnum @default) where TEnum : struct, System.Enum
    {
        var names = System.Enum.GetNames(typeof(TEnum));
        // The range 0 … n − 1 stands for the members: they must be exactly those numbers.
        if (!Enumerable.Range(0, names.Length).All(k => System.Enum.IsDefined(typeof(TEnum), k)))
            throw new System.InvalidOperationException($"{typeof(TEnum).Name}'s members are not 0 … {names.Length - 1}.");
        var rule = $"{typeof(TEnum).Name}.{string.Join(", ", names.Take(names.Length - 1))} or {names[names.Length - 1]}";
        return new(name, System.Convert.ToDouble(@default, System.Globalization.CultureInfo.InvariantCulture), new Bounds(0, false, names.Length - 1, false), rule, false)
            { Members = names };
    }

    /// <summary>An enum parameter's member names, by number; null for the others.</summary>
    public string[]? Members { get; private init; }

    /// <summary>The property's name on the attribute, e.g. <c>Gamma</c>.</summary>
    public string Name { get; }
    public double Default { get; }
    public Bounds Range { get; }
    /// <summary>The range in words, for LD0006: <c>{attribute}.{name} must be {rule}</c>.</summary>
    public string Rule { get; }
    public bool IsFlag { get; }
}

/// <summary>
/// Everything the generator knows about one kind of term, in one place: its attribute, parameters, shape, the calls that
/// compute it (composed and fused) and its formula in words. Subclasses per <see cref="TermShape"/> add the calls that
/// shape needs; <see cref="TermCatalog"/> lists every descriptor.
/// </summary>
internal abstract class TermDescriptor
{
    private readonly ParameterDescriptor[] _parameters;

    protected TermDescriptor(string attributeTypeName, string variable, double defaultWeight, params ParameterDescriptor[] parameters)
    {
        AttributeName = attributeTypeName.Substring(0, attributeTypeName.Length - "Attribute".Length);
        Variable = variable;
        DefaultWeight = defaultWeight;
        _parameters = parameters;
    }

    /// <summary>The attribute's name without <c>Attribute</c>, e.g. <c>Focal</c>; also the term's name in <c>TermValues</c>.</summary>
    public string AttributeName { get; }

    /// <summary>The local variable holding the term's value in emitted code, unique per term, e.g. <c>focal</c>.</summary>
    public string Variable { get; }

    /// <summary>The term's symbol in the class's formula, e.g. <c>Focal</c> in <c>Focal(x, y)</c>.</summary>
    public virtual string Symbol => AttributeName;

    /// <summary>The valid range of every <c>Weight</c> (terms' and <c>[TransposeConsistency]</c>'s), which LD0007 checks.</summary>
    public static Bounds WeightRange => Bounds.Above(0);

    /// <summary>The default of <c>Weight</c>, which every term has (checked by LD0007, not by LD0006).</summary>
    public double DefaultWeight { get; }

    /// <summary>The parameters besides <c>Weight</c>, in the order <see cref="TermSpec"/> holds their values.</summary>
    public IReadOnlyList<ParameterDescriptor> Parameters => _parameters;

    public abstract TermShape Shape { get; }

    public int IndexOf(ParameterDescriptor parameter) => System.Array.IndexOf(_parameters, parameter);

    /// <summary>The term's formula with its parameter values, one sentence for the class's doc comment.</summary>
    public abstract string Describe(TermSpec t);

    public override string ToString() => AttributeName;

    protected static string Lit(double value) => Emitting.Code.Lit(value);

    protected static string Bool(bool value) => Emitting.Code.Bool(value);

    protected static string PerSample(bool batch) => batch ? "over the whole batch." : "per sample.";
}

/// <summary>A term with a loss per cell: the composed path reduces its loss tensor, the fused kernel adds its value and derivative.</summary>
internal abstract class ElementwiseTerm : TermDescriptor
{
    protected ElementwiseTerm(string attributeTypeName, string variable, double defaultWeight, params ParameterDescriptor[] parameters)
        : base(attributeTypeName, variable, defaultWeight, parameters) { }

    public override TermShape Shape => TermShape.Elementwise;

    /// <summary>
    /// The composed call from the shared activations (<c>LossOps.Activations</c>), the target and the cells' reduction
    /// weights (<c>LossOps.CellWeights</c>) to the reduced value.
    /// </summary>
    public abstract string ComposedCall(TermSpec t, string activations, string y, string cells);

    /// <summary>The fused call computing value and derivative of eight cells from their activation, up to its two out arguments.</summary>
    public abstract string FusedCall(TermSpec t, string activation, string target);
}

/// <summary>
/// An elementwise term with a fused form at both binary targets at once; implementing it is the claim, so the compiler
/// sees that a term claiming the form provides it.
/// </summary>
internal interface IBinaryTargetForm
{
    /// <summary>
    /// The fused call computing value and derivative at <c>y = 1</c> and at <c>y = 0</c> from one activation, up to its
    /// four out arguments (value and derivative at 1, then at 0).
    /// </summary>
    string FusedBinaryCall(TermSpec t, string activation);
}

/// <summary>A term computed from each sample's soft confusion sums <c>TP</c>, <c>ΣP</c>, <c>ΣY</c> and the coverage <c>Σw</c>.</summary>
internal abstract class RegionTerm : TermDescriptor
{
    protected RegionTerm(string attributeTypeName, string variable, double defaultWeight, ParameterDescriptor batch, params ParameterDescriptor[] parameters)
        : base(attributeTypeName, variable, defaultWeight, parameters.Concat(new[] { batch }).ToArray()) => BatchParameter = batch;

    public override TermShape Shape => TermShape.Region;

    /// <summary><c>Batch</c>: the sums over the whole batch instead of per sample.</summary>
    public ParameterDescriptor BatchParameter { get; }

    public bool Batch(TermSpec t) => t.Flag(BatchParameter);

    /// <summary>The composed call from probabilities, target and coverage weights to the reduced value.</summary>
    public abstract string ComposedCall(TermSpec t, string p, string y, string w, string reduction);

    /// <summary>
    /// The fused call from the soft confusion sums (TP, FP, FN, TN) to <c>scale</c> times the term's value, up to its two
    /// out arguments: the coefficients <c>a</c>, <c>b</c> of its gradient <c>w·(a + b·y)·dp/dx</c>.
    /// </summary>
    public abstract string FusedCall(TermSpec t, string tp, string fp, string fn, string tn, string scale);
}

/// <summary>A term only composed operations compute; a class holding one runs the composed path.</summary>
internal abstract class ComposedOnlyTerm : TermDescriptor
{
    protected ComposedOnlyTerm(string attributeTypeName, string variable, double defaultWeight, params ParameterDescriptor[] parameters)
        : base(attributeTypeName, variable, defaultWeight, parameters) { }

    public override TermShape Shape => TermShape.ComposedOnly;

    /// <summary>The composed call from the logits, target and coverage weights to the reduced value.</summary>
    public abstract string ComposedCall(TermSpec t, string x, string y, string w, string reduction);
}
