using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators.Terms;

/// <summary><c>[Tversky]</c>: (focal) Tversky, a region term.</summary>
internal sealed class TverskyTerm : RegionTerm
{
    private static readonly TverskyAttribute Defaults = new();

    public static readonly ParameterDescriptor Alpha = ParameterDescriptor.Number(
        nameof(TverskyAttribute.Alpha), Defaults.Alpha, new Bounds(0, false, 1, false));

    public static readonly ParameterDescriptor Beta = ParameterDescriptor.Number(
        nameof(TverskyAttribute.Beta), Defaults.Beta, new Bounds(0, false, 1, false));

    public static readonly ParameterDescriptor Gamma = ParameterDescriptor.Number(
        nameof(TverskyAttribute.Gamma), Defaults.Gamma, Bounds.Above(0));

    public static readonly ParameterDescriptor Smooth = ParameterDescriptor.Number(
        nameof(TverskyAttribute.Smooth), Defaults.Smooth, Bounds.Above(0));

    public static TverskyTerm Instance { get; } = new();

    private TverskyTerm()
        : base(nameof(TverskyAttribute), "tversky", Defaults.Weight, ParameterDescriptor.Flag(nameof(TverskyAttribute.Batch), Defaults.Batch), Alpha, Beta, Gamma, Smooth) { }

    public override string ComposedCall(TermSpec t, string p, string y, string w, string reduction) =>
        $"global::LossDsl.LossOps.Tversky({p}, {y}, {w}, alpha: {Lit(t[Alpha])}, beta: {Lit(t[Beta])}, gamma: {Lit(t[Gamma])}, smooth: {Lit(t[Smooth])}, batch: {Bool(Batch(t))}, {reduction})";

    public override string FusedCall(TermSpec t, string tp, string fp, string fn, string tn, string scale) =>
        $"global::LossDsl.Fused.FusedMath.Tversky({tp}, {fp}, {fn}, {tn}, alpha: {Lit(t[Alpha])}, beta: {Lit(t[Beta])}, gamma: {Lit(t[Gamma])}, smooth: {Lit(t[Smooth])}, scale: {scale}";

    public override string Describe(TermSpec t) =>
        $"Tversky = (1 − (TP + s)/(TP + α·FP + β·FN + s))^γ with α = {Lit(t[Alpha])}, β = {Lit(t[Beta])}, γ = {Lit(t[Gamma])}, s = {Lit(t[Smooth])}, " +
        PerSample(Batch(t));
}
