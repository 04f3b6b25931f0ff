using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Terms;
using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators;

/// <summary>
/// The fused kernel's decisions: which cells it visits, the slots each cell evaluates, the layout of its sums and
/// coefficients, and the factors that count shared evaluations. <see cref="FusedEmitter"/> renders it.
/// <para>
/// Vocabulary. A kernel visits either single cells or pairs of cells <c>U = (i, j)</c>, <c>L = (j, i)</c>, <c>j &gt; i</c>
/// (when the loss compares the map with its transpose). Each cell evaluates every term on one or two <em>slots</em>: its
/// own target and validity, and under <c>[SymmetricTranspose]</c> also the mirrored cell's ("mirror" slot), because
/// <c>T(xᵀ, y)</c> sums <c>w[j, i]·ℓ(x[i, j], y[j, i])</c> over all cells. Region sides: a pair's upper cell is in the region
/// unless <c>[MaskUpper]</c>, its lower cell unless <c>[MaskLower]</c>; separation bounds are loop bounds.
/// </para>
/// </summary>
internal sealed class FusedPlan
{
    /// <summary>Per sample and evaluation, the region terms' soft confusion sums TP, FP, FN, TN (their total is Σw: 0 for an empty sample).</summary>
    public const int SumsPerEvaluation = 4;

    public FusedPlan(LossSpec spec, int consistencySeparation)
    {
        Half = spec.Half;
        IncludeDiagonal = spec.IncludeDiagonal;
        MinSeparation = spec.MinSeparation;
        Symmetrize = spec.Symmetrize;
        SymmetricTranspose = spec.SymmetricTranspose;
        SumReduction = spec.Sum;
        Elementwise = spec.Terms.Where(t => t.Term is ElementwiseTerm).ToList();
        RegionTerms = spec.Terms.Where(t => t.Term is RegionTerm).ToList();
        // After [Symmetrize] the penalty on z − zᵀ is identically 0 (LD0011): not computed, counted or summed.
        Penalty = spec.Symmetrize ? null : spec.Consistency;
        ConsistencySeparation = Penalty is null ? 0 : consistencySeparation;
        // A logit meets its mirror's only under [Symmetrize] and in the penalty; [SymmetricTranspose] alone needs the
        // mirrors' targets, since Σ ℓ(xᵀ, y) = Σ ℓ(x, yᵀ): cells stay in place, no logit or gradient goes transposed.
        Walk = spec.Symmetrize || Penalty is not null ? FusedWalk.Pairs : spec.SymmetricTranspose ? FusedWalk.MirroredTargets : FusedWalk.Cells;
        InUpper = spec.Half != MapHalf.Lower;
        InLower = spec.Half != MapHalf.Upper;
        // A pair's slots take the lower cell's target only if it is in the region; cells with mirrored targets always do.
        ReadsMirroredTargets = Walk == FusedWalk.MirroredTargets || VisitsPairs && InLower;
        Evaluations = spec.SymmetricTranspose
            ? new[] { new Evaluation(false, 0, 0), new Evaluation(true, SumsPerEvaluation, 2 * RegionTerms.Count) }
            : new[] { new Evaluation(false, 0, 0) };
        RegionSumCount = RegionTerms.Count == 0 ? 0 : Evaluations.Count * SumsPerEvaluation;
        CoefficientCount = RegionTerms.Count * 2 * Evaluations.Count;
        ValueCount = Elementwise.Count + (Penalty is null ? 0 : 1);
        Reported = spec.Terms.Select(t => new ReportedTerm(t, IndexOf(Elementwise, t), IndexOf(RegionTerms, t))).ToList();
        ReportsPenalty = spec.Consistency is not null;
        Slots = PairSlots();
        // On the diagonal both slots of [SymmetricTranspose] are the same cell: one evaluation, counted twice.
        DiagonalFactor = spec.SymmetricTranspose ? 2.0 : 1.0;
        // Under [Symmetrize] both cells of a pair see z = (x + xᵀ)/2; with [SymmetricTranspose] on top every slot appears
        // twice (as a cell's own and as the other's mirror), so each distinct source is evaluated once and counted twice.
        PairFactor = spec.Symmetrize && spec.SymmetricTranspose ? 2.0 : 1.0;
        // Two targets at one activation (a cell's own and its mirror's, or under [Symmetrize] the pair's two): where a
        // segment's targets are all 0 or 1, both evaluations of each term add up from the term at y = 1 and at y = 0.
        BlendsBinaryTargets = InUpper && InLower && RegionTerms.Count == 0 && Elementwise.Count > 0
            && Elementwise.All(t => t.Term is IBinaryTargetForm)
            && (Walk == FusedWalk.MirroredTargets || Walk == FusedWalk.Pairs && spec.Symmetrize);
    }

    /// <summary>
    /// Whether the kernel's two-target loops (<see cref="FusedWalk.MirroredTargets"/>' cells, or the pairs under
    /// [Symmetrize]) also come in a form for segments whose targets are all 0 or 1.
    /// </summary>
    public bool BlendsBinaryTargets { get; }

    public MapHalf Half { get; }
    public bool IncludeDiagonal { get; }
    public int MinSeparation { get; }
    public bool Symmetrize { get; }
    public bool SymmetricTranspose { get; }
    public bool SumReduction { get; }
    public FusedWalk Walk { get; }
    /// <summary>Whether the kernel has pair loops (<see cref="FusedWalk.Pairs"/>).</summary>
    public bool VisitsPairs => Walk == FusedWalk.Pairs;
    /// <summary>Whether the kernel looks at the transpose at all: then its cell loop is the diagonal's.</summary>
    public bool Mirrors => Walk != FusedWalk.Cells;
    public bool InUpper { get; }
    public bool InLower { get; }
    public bool ReadsMirroredTargets { get; }

    /// <summary>Elementwise terms; term k adds to value sum k.</summary>
    public IReadOnlyList<TermSpec> Elementwise { get; }
    /// <summary>Region terms; term r of evaluation e owns coefficients <see cref="CoefficientIndex"/>.</summary>
    public IReadOnlyList<TermSpec> RegionTerms { get; }
    /// <summary>The penalty the kernel computes, or null (none, or identically 0 after [Symmetrize]).</summary>
    public ConsistencySpec? Penalty { get; }
    /// <summary>The penalty's value sum, after the elementwise terms'.</summary>
    public int PenaltyIndex => Elementwise.Count;
    /// <summary><c>max(1, k)</c> of the penalty's pairs, 0 when the kernel has no penalty (then the driver counts no pairs).</summary>
    public int ConsistencySeparation { get; }
    /// <summary>The own evaluation <c>T(x, y)</c>, and the mirrored <c>T(xᵀ, y)</c> under [SymmetricTranspose].</summary>
    public IReadOnlyList<Evaluation> Evaluations { get; }
    public int RegionSumCount { get; }
    public int CoefficientCount { get; }
    public int ValueCount { get; }
    /// <summary>The slots of a pair, in evaluation order.</summary>
    public IReadOnlyList<Slot> Slots { get; }
    public double DiagonalFactor { get; }
    public double PairFactor { get; }
    /// <summary>The class's terms in declaration order, as TermValues reports them, each with its place in the kernel.</summary>
    public IReadOnlyList<ReportedTerm> Reported { get; }
    /// <summary>Whether TermValues reports the penalty after the terms (0 after [Symmetrize], where the kernel drops it).</summary>
    public bool ReportsPenalty { get; }
    /// <summary>How many values TermValues reports.</summary>
    public int ReportedCount => Reported.Count + (ReportsPenalty ? 1 : 0);

    private static int IndexOf(IReadOnlyList<TermSpec> terms, TermSpec t)
    {
        for (int i = 0; i < terms.Count; i++) if (ReferenceEquals(terms[i], t)) return i;
        return -1;
    }

    /// <summary>Coefficient <paramref name="which"/> (0: a, 1: b) of region term <paramref name="term"/> in evaluation <paramref name="e"/>.</summary>
    public int CoefficientIndex(Evaluation e, int term, int which) => e.CoefficientOffset + 2 * term + which;

    /// <summary>The slots of a pair: the upper cell's own (if covered) and mirror; the lower cell's own and mirror.</summary>
    private List<Slot> PairSlots()
    {
        var slots = new List<Slot>();
        if (InUpper) slots.Add(new Slot("U", "U", false));
        if (SymmetricTranspose && InLower) slots.Add(new Slot("U", "L", true));
        if (InLower) slots.Add(new Slot("L", "L", false));
        if (SymmetricTranspose && InUpper) slots.Add(new Slot("L", "U", true));
        return slots;
    }
}

/// <summary>One evaluation of the region terms: own or mirrored, where its sums start per sample, where its coefficients start.</summary>
internal sealed record Evaluation(bool Mirror, int SumsOffset, int CoefficientOffset)
{
    /// <summary>The emitted name prefix of its quantities: <c>own</c> or <c>mirror</c>.</summary>
    public string Name => Mirror ? "mirror" : "own";
}

/// <summary>A term as TermValues reports it: its index among the elementwise or among the region terms (the other is −1).</summary>
internal sealed record ReportedTerm(TermSpec Term, int Elementwise, int Region);

/// <summary>A term evaluation at one cell of a pair: which cell's activation (<c>U</c>, <c>L</c>), and whose target and validity.</summary>
internal sealed record Slot(string Cell, string Source, bool Mirror)
{
    public string Evaluation => Mirror ? "mirror" : "own";
}
