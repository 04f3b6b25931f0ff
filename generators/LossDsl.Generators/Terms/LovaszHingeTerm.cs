using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators.Terms;

/// <summary><c>[LovaszHinge]</c>: the Lovász hinge (Berman et al. 2018), a set function that sorts: composed only.</summary>
internal sealed class LovaszHingeTerm : ComposedOnlyTerm
{
    private static readonly LovaszHingeAttribute Defaults = new();

    public static readonly ParameterDescriptor Batch = ParameterDescriptor.Flag(nameof(LovaszHingeAttribute.Batch), Defaults.Batch);

    public static LovaszHingeTerm Instance { get; } = new();

    private LovaszHingeTerm() : base(nameof(LovaszHingeAttribute), "lovasz", Defaults.Weight, Batch) { }

    public override string ComposedCall(TermSpec t, string x, string y, string w, string reduction) =>
        $"global::LossDsl.LossOps.LovaszHinge({x}, {y}, {w}, batch: {Bool(t.Flag(Batch))}, {reduction})";

    public override string Describe(TermSpec t) =>
        "LovaszHinge = Σ_k relu(e_k)·(J_k − J_{k−1}) over the covered cells, errors e = 1 − x·(2ŷ − 1) with ŷ = [y ≥ 0.5] sorted in " +
        "decreasing order, J_k the Jaccard loss of the first k, " + PerSample(t.Flag(Batch));
}
