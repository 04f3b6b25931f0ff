using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators.Terms;

/// <summary><c>[Focal]</c>: torchvision's <c>sigmoid_focal_loss</c>, elementwise.</summary>
internal sealed class FocalTerm : ElementwiseTerm, IBinaryTargetForm
{
    private static readonly FocalAttribute Defaults = new();

    public static readonly ParameterDescriptor Gamma = ParameterDescriptor.Number(
        nameof(FocalAttribute.Gamma), Defaults.Gamma, Bounds.Above(0));

    public static readonly ParameterDescriptor Alpha = ParameterDescriptor.Number(
        nameof(FocalAttribute.Alpha), Defaults.Alpha, Bounds.Below(1), note: "negative turns the α weighting off");

    public static FocalTerm Instance { get; } = new();

    private FocalTerm() : base(nameof(FocalAttribute), "focal", Defaults.Weight, Gamma, Alpha) { }

    public override string ComposedCall(TermSpec t, string activations, string y, string cells) =>
        $"global::LossDsl.LossOps.Focal({activations}, {y}, {cells}, gamma: {Lit(t[Gamma])}, alpha: {Lit(t[Alpha])})";

    public override string FusedCall(TermSpec t, string activation, string target) =>
        $"global::LossDsl.Fused.FusedMath.Focal(in {activation}, {target}, {Constants(t)}";

    public string FusedBinaryCall(TermSpec t, string activation) =>
        $"global::LossDsl.Fused.FusedMath.FocalBinary(in {activation}, {Constants(t)}";

    /// <summary>γ and the class weights; a negative α turns the weighting off: both weights 1, which FusedMath then skips.</summary>
    private static string Constants(TermSpec t)
    {
        var (positive, negative) = t[Alpha] < 0 ? (1.0, 1.0) : (t[Alpha], 1 - t[Alpha]);
        return $"gamma: {Lit(t[Gamma])}, alphaPositive: {Lit(positive)}, alphaNegative: {Lit(negative)}";
    }

    public override string Describe(TermSpec t) =>
        $"Focal = α_t·(1 − p_t)^γ·BCE(x, y), torchvision's sigmoid_focal_loss, with γ = {Lit(t[Gamma])}, " +
        (t[Alpha] >= 0 ? $"α = {Lit(t[Alpha])}." : "no α weighting.");
}
