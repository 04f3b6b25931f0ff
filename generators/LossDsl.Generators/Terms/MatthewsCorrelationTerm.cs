using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators.Terms;

/// <summary><c>[MatthewsCorrelation]</c>: the soft MCC loss <c>1 − MCC</c>, a region term (it needs TN, so <c>Σw</c>).</summary>
internal sealed class MatthewsCorrelationTerm : RegionTerm
{
    private static readonly MatthewsCorrelationAttribute Defaults = new();

    // ε > 0: with ε = 0 a sample whose predictions or targets are all one class divides 0 by 0.
    public static readonly ParameterDescriptor Smooth = ParameterDescriptor.Number(
        nameof(MatthewsCorrelationAttribute.Smooth), Defaults.Smooth, Bounds.Above(0, open: true));

    public static MatthewsCorrelationTerm Instance { get; } = new();

    private MatthewsCorrelationTerm()
        : base(nameof(MatthewsCorrelationAttribute), "mcc", Defaults.Weight, ParameterDescriptor.Flag(nameof(MatthewsCorrelationAttribute.Batch), Defaults.Batch), Smooth) { }

    public override string Symbol => "MCC";

    public override string ComposedCall(TermSpec t, string p, string y, string w, string reduction) =>
        $"global::LossDsl.LossOps.MatthewsCorrelation({p}, {y}, {w}, smooth: {Lit(t[Smooth])}, batch: {Bool(Batch(t))}, {reduction})";

    public override string FusedCall(TermSpec t, string tp, string fp, string fn, string tn, string scale) =>
        $"global::LossDsl.Fused.FusedMath.MatthewsCorrelation({tp}, {fp}, {fn}, {tn}, smooth: {Lit(t[Smooth])}, scale: {scale}";

    public override string Describe(TermSpec t) =>
        $"MCC = 1 − (TP·TN − FP·FN)/sqrt((TP + FP)(TP + FN)(TN + FP)(TN + FN)) with ε = {Lit(t[Smooth])} added to each of TP, FP, FN, TN, " +
        PerSample(Batch(t));
}
