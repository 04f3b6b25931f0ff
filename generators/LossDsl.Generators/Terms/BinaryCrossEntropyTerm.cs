using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators.Terms;

/// <summary><c>[BinaryCrossEntropy]</c>: <c>binary_cross_entropy_with_logits</c> on smoothed targets, elementwise.</summary>
internal sealed class BinaryCrossEntropyTerm : ElementwiseTerm
{
    private static readonly BinaryCrossEntropyAttribute Defaults = new();

    public static readonly ParameterDescriptor PosWeight = ParameterDescriptor.Number(
        nameof(BinaryCrossEntropyAttribute.PosWeight), Defaults.PosWeight, Bounds.Above(0, open: true));

    public static readonly ParameterDescriptor LabelSmoothing = ParameterDescriptor.Number(
        nameof(BinaryCrossEntropyAttribute.LabelSmoothing), Defaults.LabelSmoothing, new Bounds(0, false, 1, true));

    public static BinaryCrossEntropyTerm Instance { get; } = new();

    private BinaryCrossEntropyTerm() : base(nameof(BinaryCrossEntropyAttribute), "bce", Defaults.Weight, PosWeight, LabelSmoothing) { }

    public override string Symbol => "BCE";

    public override string ComposedCall(TermSpec t, string activations, string y, string cells) =>
        $"global::LossDsl.LossOps.BinaryCrossEntropy({activations}, {y}, {cells}, posWeight: {Lit(t[PosWeight])}, labelSmoothing: {Lit(t[LabelSmoothing])})";

    public override string FusedCall(TermSpec t, string activation, string target)
    {
        // y(1 − ε) + ε/2 as one multiply-add.
        var (scale, shift) = (1 - t[LabelSmoothing], 0.5 * t[LabelSmoothing]);
        return $"global::LossDsl.Fused.FusedMath.BinaryCrossEntropy(in {activation}, {target}, posWeight: {Lit(t[PosWeight])}, targetScale: {Lit(scale)}, targetShift: {Lit(shift)}";
    }

    public override string Describe(TermSpec t) =>
        $"BCE = binary_cross_entropy_with_logits(x, y(1 − ε) + ε/2, pos_weight = {Lit(t[PosWeight])}) with ε = {Lit(t[LabelSmoothing])}.";
}
