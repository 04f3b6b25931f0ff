using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace LossDsl.Generators;

/// <summary>
/// What the emitted module computes, decided once from a <see cref="LossSpec"/>: which shared quantities
/// (log-sigmoids, probabilities, coverage weights) are needed and how each term is written.
/// </summary>
internal sealed class Plan
{
    public Plan(LossSpec spec)
    {
        Spec = spec;
        HasElementwiseTerms = spec.Terms.Any(t => !t.IsRegionTerm);
        HasRegionTerms = spec.Terms.Any(t => t.IsRegionTerm);
        NeedsProbabilities = HasRegionTerms || spec.Consistency is { InLogits: false };
        HasRegion = spec.Half != HalfKind.Both || spec.MinSeparation > 0;
        NeedsCoverageTotal = !spec.Sum && HasElementwiseTerms;
        VisitsPairs = spec.SymmetricTranspose || spec.Symmetrize || spec.Consistency is not null;
    }

    public LossSpec Spec { get; }
    /// <summary>Focal or BCE: they share log p and log(1 − p) and the coverage total.</summary>
    public bool HasElementwiseTerms { get; }
    /// <summary>Dice or Tversky: they need p (and pᵀ under [SymmetricTranspose]).</summary>
    public bool HasRegionTerms { get; }
    public bool NeedsProbabilities { get; }
    public bool HasRegion { get; }
    public bool NeedsCoverageTotal { get; }
    /// <summary>The fused kernel looks at (i, j) and (j, i) together: the loss compares the map with its transpose.</summary>
    public bool VisitsPairs { get; }

    public string Reduction => Spec.Sum ? "global::LossDsl.LossReduction.Sum" : "global::LossDsl.LossReduction.Mean";

    /// <summary>The local variable holding a term's value, e.g. <c>focal</c>.</summary>
    public static string Variable(TermSpec term) => term.Kind switch
    {
        TermKind.Focal => "focal",
        TermKind.BinaryCrossEntropy => "bce",
        TermKind.Dice => "dice",
        _ => "tversky",
    };

    /// <summary>The call computing a term on logits <paramref name="x"/> (or their shared activations suffixed by <paramref name="suffix"/>).</summary>
    public string TermCall(TermSpec t, string suffix)
    {
        string logP = "logP" + suffix, logQ = "logQ" + suffix, p = "p" + suffix;
        return t.Kind switch
        {
            TermKind.Focal => $"global::LossDsl.LossOps.ReduceElementwise(global::LossDsl.LossOps.Focal({logP}, {logQ}, y, gamma: {Lit(t.Gamma)}, alpha: {Lit(t.Alpha)}), w, wTotal, {Reduction})",
            TermKind.BinaryCrossEntropy => $"global::LossDsl.LossOps.ReduceElementwise(global::LossDsl.LossOps.BinaryCrossEntropy({logP}, {logQ}, y, posWeight: {Lit(t.PosWeight)}, labelSmoothing: {Lit(t.LabelSmoothing)}), w, wTotal, {Reduction})",
            TermKind.Dice => $"global::LossDsl.LossOps.Dice({p}, y, w, smooth: {Lit(t.Smooth)}, batch: {Bool(t.Batch)}, {Reduction})",
            _ => $"global::LossDsl.LossOps.Tversky({p}, y, w, alpha: {Lit(t.Alpha)}, beta: {Lit(t.Beta)}, gamma: {Lit(t.Gamma)}, smooth: {Lit(t.Smooth)}, batch: {Bool(t.Batch)}, {Reduction})",
        };
    }

    public static string RegionLiteral(HalfKind half, bool includeDiagonal, int minSeparation) =>
        $"new global::LossDsl.Region(global::LossDsl.MapHalf.{half}, IncludeDiagonal: {Bool(includeDiagonal)}, MinSeparation: {minSeparation})";

    public static string Lit(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
    }

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>The composed formula in words, for the class's XML doc comment.</summary>
    public IEnumerable<string> Formula()
    {
        var s = Spec;
        var parts = new List<string>();
        foreach (var t in s.Terms)
        {
            var w = t.Weight == 1 ? "" : Lit(t.Weight) + "·";
            parts.Add(s.SymmetricTranspose ? $"{w}[{Name(t)}(x, y) + {Name(t)}(xᵀ, y)]" : $"{w}{Name(t)}(x, y)");
        }
        if (s.Consistency is { } c) parts.Add((c.Weight == 1 ? "" : Lit(c.Weight) + "·") + "C");
        yield return "Loss = " + string.Join(" + ", parts) + ", " + (s.Sum ? "summed" : "averaged") + " as LossReduction." + (s.Sum ? "Sum" : "Mean") + ".";
        if (s.Symmetrize) yield return "x ← (x + xᵀ)/2 first (Symmetrize).";
        var coverage = s.Half switch
        {
            HalfKind.Upper => s.IncludeDiagonal ? "cells i ≤ j" : "cells i < j",
            HalfKind.Lower => s.IncludeDiagonal ? "cells i ≥ j" : "cells i > j",
            _ => "every cell",
        };
        if (s.MinSeparation > 0) coverage += $" with |i − j| ≥ {s.MinSeparation}";
        yield return $"Terms cover {coverage}, times the validity mask when one is given.";
        foreach (var t in s.Terms) yield return Describe(t);
        if (s.Consistency is { } penalty)
        {
            var z = penalty.InLogits ? "x" : "sigmoid(x)";
            var phi = penalty.Penalty switch
            {
                PenaltyKind.L1 => "|d|",
                PenaltyKind.Mse => "d²",
                _ => $"huber(d, δ = {Lit(penalty.Delta)})",
            };
            yield return $"C = {phi} with d = z − zᵀ, z = {z}, over pairs j − i ≥ {System.Math.Max(1, s.MinSeparation)} weighted by V[i, j]·V[j, i].";
        }
    }

    private static string Name(TermSpec t) => t.Kind switch
    {
        TermKind.BinaryCrossEntropy => "BCE",
        _ => t.Kind.ToString(),
    };

    private static string Describe(TermSpec t) => t.Kind switch
    {
        TermKind.Focal => $"Focal = α_t·(1 − p_t)^γ·BCE(x, y), torchvision's sigmoid_focal_loss, with γ = {Lit(t.Gamma)}, " +
                          (t.Alpha >= 0 ? $"α = {Lit(t.Alpha)}." : "no α weighting."),
        TermKind.BinaryCrossEntropy => $"BCE = binary_cross_entropy_with_logits(x, y(1 − ε) + ε/2, pos_weight = {Lit(t.PosWeight)}) with ε = {Lit(t.LabelSmoothing)}.",
        TermKind.Dice => $"Dice = 1 − (2TP + s)/(2TP + FP + FN + s) with s = {Lit(t.Smooth)}, " + (t.Batch ? "over the whole batch." : "per sample."),
        _ => $"Tversky = (1 − (TP + s)/(TP + α·FP + β·FN + s))^γ with α = {Lit(t.Alpha)}, β = {Lit(t.Beta)}, γ = {Lit(t.Gamma)}, s = {Lit(t.Smooth)}, " +
             (t.Batch ? "over the whole batch." : "per sample."),
    };
}
