using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators.Terms;

/// <summary><c>[Dice]</c>: soft Dice, a region term.</summary>
internal sealed class DiceTerm : RegionTerm
{
    private static readonly DiceAttribute Defaults = new();

    public static readonly ParameterDescriptor Smooth = ParameterDescriptor.Number(
        nameof(DiceAttribute.Smooth), Defaults.Smooth, Bounds.Above(0));

    public static DiceTerm Instance { get; } = new();

    private DiceTerm() : base(nameof(DiceAttribute), "dice", Defaults.Weight, ParameterDescriptor.Flag(nameof(DiceAttribute.Batch), Defaults.Batch), Smooth) { }

    public override string ComposedCall(TermSpec t, string p, string y, string w, string reduction) =>
        $"global::LossDsl.LossOps.Dice({p}, {y}, {w}, smooth: {Lit(t[Smooth])}, batch: {Bool(Batch(t))}, {reduction})";

    public override string FusedCall(TermSpec t, string tp, string fp, string fn, string tn, string scale) =>
        $"global::LossDsl.Fused.FusedMath.Dice({tp}, {fp}, {fn}, {tn}, smooth: {Lit(t[Smooth])}, scale: {scale}";

    public override string Describe(TermSpec t) =>
        $"Dice = 1 − (2TP + s)/(2TP + FP + FN + s) with s = {Lit(t[Smooth])}, " + PerSample(Batch(t));
}
