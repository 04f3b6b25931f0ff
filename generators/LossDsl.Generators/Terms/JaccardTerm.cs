using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators.Terms;

/// <summary><c>[Jaccard]</c>: soft Jaccard (IoU), a region term.</summary>
internal sealed class JaccardTerm : RegionTerm
{
    private static readonly JaccardAttribute Defaults = new();

    public static readonly ParameterDescriptor Smooth = ParameterDescriptor.Number(
        nameof(JaccardAttribute.Smooth), Defaults.Smooth, Bounds.Above(0));

    public static JaccardTerm Instance { get; } = new();

    private JaccardTerm() : base(nameof(JaccardAttribute), "jaccard", Defaults.Weight, ParameterDescriptor.Flag(nameof(JaccardAttribute.Batch), Defaults.Batch), Smooth) { }

    public override string ComposedCall(TermSpec t, string p, string y, string w, string reduction) =>
        $"global::LossDsl.LossOps.Jaccard({p}, {y}, {w}, smooth: {Lit(t[Smooth])}, batch: {Bool(Batch(t))}, {reduction})";

    public override string FusedCall(TermSpec t, string tp, string fp, string fn, string tn, string scale) =>
        $"global::LossDsl.Fused.FusedMath.Jaccard({tp}, {fp}, {fn}, {tn}, smooth: {Lit(t[Smooth])}, scale: {scale}";

    public override string Describe(TermSpec t) =>
        $"Jaccard = 1 − (TP + s)/(TP + FP + FN + s) with s = {Lit(t[Smooth])}, " + PerSample(Batch(t));
}
