using System.Collections.Generic;
using System.Linq;

namespace LossDsl.Generators;

/// <summary>
/// Writes a loss class's fused kernel (SPEC §4): a nested struct implementing <c>LossDsl.Fused.IFusedKernel</c> whose
/// loops hold exactly the class's terms with their constants folded. The runtime's driver walks the data and calls them.
/// <para>
/// Vocabulary. A kernel visits either single cells or pairs of cells <c>U = (i, j)</c>, <c>L = (j, i)</c>, <c>j &gt; i</c>
/// (when the loss compares the map with its transpose). Each cell evaluates every term on one or two <em>slots</em>:
/// its own target and validity, and under <c>[SymmetricTranspose]</c> also the mirrored cell's ("mirror" slot), because
/// <c>T(xᵀ, y)</c> sums <c>w[j, i]·ℓ(x[i, j], y[j, i])</c> over all cells. Region sides: a pair's upper cell is in the
/// region unless <c>[MaskUpper]</c>, its lower cell unless <c>[MaskLower]</c>; separation bounds are loop bounds.
/// </para>
/// </summary>
internal sealed class FusedEmitter
{
    private const string M = "global::LossDsl.Fused.FusedMath";
    private const string V = "global::System.Runtime.Intrinsics.Vector512<double>";
    private const string Vector = "global::System.Runtime.Intrinsics.Vector512";

    private readonly Plan _plan;
    private readonly LossSpec _spec;
    private readonly List<TermSpec> _elementwise;
    private readonly List<TermSpec> _regionTerms;
    private readonly bool _pairs, _inUpper, _inLower;

    public FusedEmitter(Plan plan)
    {
        _plan = plan;
        _spec = plan.Spec;
        _elementwise = _spec.Terms.Where(t => !t.IsRegionTerm).ToList();
        _regionTerms = _spec.Terms.Where(t => t.IsRegionTerm).ToList();
        _pairs = plan.VisitsPairs;
        _inUpper = _spec.Half != HalfKind.Lower;
        _inLower = _spec.Half != HalfKind.Upper;
    }

    private bool SymT => _spec.SymmetricTranspose;
    private bool Penalty => _spec.Consistency is not null && !_spec.Symmetrize; // after [Symmetrize] it is identically 0
    private const int MirrorSums = 3;                                           // own TP, ΣP, ΣY come first, mirrored after
    private int RegionSumCount => _regionTerms.Count == 0 ? 0 : SymT ? 2 * MirrorSums : MirrorSums;
    private int CoefficientCount => _regionTerms.Count * (SymT ? 4 : 2);
    private int PenaltyIndex => _elementwise.Count;

    /// <summary>A term evaluation at one cell: which cell's activation, and whose target and validity.</summary>
    private sealed record Slot(string Cell, string Source, bool Mirror);

    public void Emit(SourceWriter w)
    {
        var s = _spec;
        w.Line("/// <summary>The fused kernel of this loss (SPEC §4): its constants and loop bodies; <c>global::LossDsl.Fused.FusedLoss</c> runs it.</summary>");
        w.Open("private readonly struct FusedKernel : global::LossDsl.Fused.IFusedKernel");
        w.Line($"public static bool VisitsPairs => {Plan.Bool(_pairs)};");
        w.Line($"public static global::LossDsl.Region Region => {Plan.RegionLiteral(s.Half, s.IncludeDiagonal, s.MinSeparation)};");
        w.Line($"public static int ConsistencySeparation => {(s.Consistency is null ? 0 : System.Math.Max(1, s.MinSeparation))};");
        w.Line($"public static bool ReadsMirroredTargets => {Plan.Bool(ReadsMirroredTargets())};");
        w.Line($"public static int ValueCount => {_elementwise.Count + (s.Consistency is null ? 0 : 1)};");
        w.Line($"public static int RegionSumCount => {RegionSumCount};");
        w.Line($"public static int CoefficientCount => {CoefficientCount};");
        w.Line($"public static bool SumReduction => {Plan.Bool(s.Sum)};");
        w.Line();
        EmitCells(w);
        if (_pairs) { w.Line(); EmitPairs(w); }
        if (_regionTerms.Count > 0)
        {
            w.Line();
            EmitCellSums(w);
            if (_pairs) { w.Line(); EmitPairSums(w); }
            w.Line();
            EmitCoefficients(w);
        }
        w.Line();
        EmitTotal(w);
        w.Close();
    }

    /// <summary>Whether a slot takes its target from the lower cell: only when that cell is in the region (and every
    /// valid class has a term, LD0009).</summary>
    private bool ReadsMirroredTargets() => _pairs && _inLower;

    // ---- second pass: values and gradients ----

    /// <summary>Single cells: the whole row when the loss never looks at the transpose, else the diagonal (its own mirror).</summary>
    private void EmitCells(SourceWriter w)
    {
        w.Line(_pairs
            ? "/// <summary>The diagonal: each cell is its own mirror" + (SymT ? ", so both evaluations of [SymmetricTranspose] see the same values." : ".") + "</summary>"
            : "/// <summary>Cells one by one: values and the gradient.</summary>");
        OpenLoop(w, "public static void Cells(ref global::LossDsl.Fused.FusedSegment s)");
        // On the diagonal both slots of [SymmetricTranspose] are the same: count the evaluation twice.
        var factor = SymT ? 2.0 : 1.0;
        EmitScales(w, factor);
        if (_regionTerms.Count > 0)
        {
            w.Line($"var regionA = {M}.Splat({CoefficientSum(0, mirror: false)}{(SymT ? " + " + CoefficientSum(0, mirror: true) : "")});");
            w.Line($"var regionB = {M}.Splat({CoefficientSum(1, mirror: false)}{(SymT ? " + " + CoefficientSum(1, mirror: true) : "")});");
        }
        foreach (var t in _elementwise) w.Line($"var {Plan.Variable(t)}Sum = {V}.Zero;");
        w.Open("for (int k = 0; k < s.Length; k += 8)");
        w.Line($"var x = {M}.Load(s.X, k);");
        w.Line($"var y = {M}.Load(s.Y, k);");
        w.Line($"var w = {M}.Load(s.W, k);");
        w.Line($"var a = {M}.Activate(x);");
        w.Line($"var g = {V}.Zero;");
        foreach (var t in _elementwise)
        {
            var name = Plan.Variable(t);
            w.Line($"{Call(t, "a", "y")}, out var {name}, out var d{Cap(name)});");
            w.Line($"{name}Sum += w * {name};");
            w.Line($"g += {name}Grad * d{Cap(name)};");
        }
        if (_elementwise.Count > 0) w.Line("g *= w;");
        if (_regionTerms.Count > 0) w.Line("g += w * (regionA + regionB * y) * a.Slope;");
        w.Line($"{M}.Store(s.G, k, g);");
        w.Close();
        for (int i = 0; i < _elementwise.Count; i++)
            w.Line($"s.Sums[{i}] += {(factor == 1 ? "" : Plan.Lit(factor) + " * ")}{Vector}.Sum({Plan.Variable(_elementwise[i])}Sum);");
        w.Close();
    }

    /// <summary>Pairs of cells (i, j) and (j, i), j &gt; i, in the region's bounds.</summary>
    private void EmitPairs(SourceWriter w)
    {
        var s = _spec;
        w.Line("/// <summary>Pairs (i, j)/(j, i): " + DescribeSlots() + "</summary>");
        OpenLoop(w, "public static void Pairs(ref global::LossDsl.Fused.FusedSegment s)");
        // Under [Symmetrize] both cells see z = (x + xᵀ)/2 and split its gradient; with [SymmetricTranspose] on top
        // every slot appears twice (as a cell's own and as the other's mirror), so values count twice.
        var factor = s.Symmetrize && SymT ? 2.0 : 1.0;
        EmitScales(w, factor);
        if (Penalty) w.Line($"var penaltyGrad = {M}.Splat({Weighted(s.Consistency!.Weight, "s.ConsistencyScale")});");
        if (_regionTerms.Count > 0)
        {
            w.Line($"var ownA = {M}.Splat({CoefficientSum(0, false)});");
            w.Line($"var ownB = {M}.Splat({CoefficientSum(1, false)});");
            if (SymT)
            {
                w.Line($"var mirrorA = {M}.Splat({CoefficientSum(0, true)});");
                w.Line($"var mirrorB = {M}.Splat({CoefficientSum(1, true)});");
            }
        }
        foreach (var t in _elementwise) w.Line($"var {Plan.Variable(t)}Sum = {V}.Zero;");
        if (Penalty) w.Line($"var penaltySum = {V}.Zero;");

        w.Open("for (int k = 0; k < s.Length; k += 8)");
        w.Line($"var xU = {M}.Load(s.X, k);");
        w.Line($"var xL = {M}.Load(s.XT, k);");
        if (_inUpper) w.Line($"var yU = {M}.Load(s.Y, k);");
        if (ReadsMirroredTargets()) w.Line($"var yL = {M}.Load(s.YT, k);");
        w.Line($"var wU = {M}.Load(s.W, k);");
        w.Line($"var wL = {M}.Load(s.WT, k);");

        var slots = Slots();
        if (s.Symmetrize)
        {
            w.Line($"var a = {M}.Activate({M}.Splat(0.5) * (xU + xL));");
            w.Line($"var gz = {V}.Zero;");
            // Each distinct (target, validity) source is evaluated once; see the factor above.
            foreach (var t in _elementwise)
            {
                var name = Plan.Variable(t);
                foreach (var source in slots.Where(x => !x.Mirror).Select(x => x.Source))
                {
                    w.Line($"{Call(t, "a", "y" + source)}, out var {name}{source}, out var d{Cap(name)}{source});");
                    w.Line($"{name}Sum += w{source} * {name}{source};");
                    w.Line($"gz += {name}Grad * (w{source} * d{Cap(name)}{source});");
                }
            }
            if (_regionTerms.Count > 0)
            {
                var parts = slots.Select(x => $"w{x.Source} * ({(x.Mirror ? "mirror" : "own")}A + {(x.Mirror ? "mirror" : "own")}B * y{x.Source})");
                w.Line($"gz += ({string.Join(" + ", parts)}) * a.Slope;");
            }
            w.Line($"var g = {M}.Splat(0.5) * gz;");
            w.Line($"{M}.Store(s.G, k, g);");
            w.Line($"{M}.Store(s.GT, k, g);");
        }
        else
        {
            foreach (var cell in new[] { "U", "L" })
            {
                var own = slots.Where(x => x.Cell == cell).ToList();
                bool activate = own.Count > 0 || (Penalty && !s.Consistency!.InLogits);
                if (activate) w.Line($"var a{cell} = {M}.Activate(x{cell});");
                w.Line($"var g{cell} = {V}.Zero;");
                int j = 0;
                foreach (var slot in own)
                {
                    foreach (var t in _elementwise)
                    {
                        var name = Plan.Variable(t);
                        var suffix = cell + j;
                        w.Line($"{Call(t, "a" + cell, "y" + slot.Source)}, out var {name}{suffix}, out var d{Cap(name)}{suffix});");
                        w.Line($"{name}Sum += w{slot.Source} * {name}{suffix};");
                        w.Line($"g{cell} += {name}Grad * (w{slot.Source} * d{Cap(name)}{suffix});");
                    }
                    if (_regionTerms.Count > 0)
                    {
                        var kind = slot.Mirror ? "mirror" : "own";
                        w.Line($"g{cell} += w{slot.Source} * ({kind}A + {kind}B * y{slot.Source}) * a{cell}.Slope;");
                    }
                    j++;
                }
            }
            if (Penalty)
            {
                var c = s.Consistency!;
                w.Line(c.InLogits ? "var d = xU - xL;" : "var d = aU.P - aL.P;");
                w.Line("var wPair = wU * wL;");
                w.Line($"{M}.Penalty(d, global::LossDsl.SymmetryPenalty.{c.Penalty}, {Plan.Lit(c.Delta)}, out var penalty, out var dPenalty);");
                w.Line("penaltySum += wPair * penalty;");
                w.Line("var gPenalty = penaltyGrad * (wPair * dPenalty);");
                w.Line(c.InLogits ? "gU += gPenalty;" : "gU += gPenalty * aU.Slope;");
                w.Line(c.InLogits ? "gL -= gPenalty;" : "gL -= gPenalty * aL.Slope;");
            }
            w.Line($"{M}.Store(s.G, k, gU);");
            w.Line($"{M}.Store(s.GT, k, gL);");
        }
        w.Close();
        for (int i = 0; i < _elementwise.Count; i++)
            w.Line($"s.Sums[{i}] += {(factor == 1 ? "" : Plan.Lit(factor) + " * ")}{Vector}.Sum({Plan.Variable(_elementwise[i])}Sum);");
        if (Penalty) w.Line($"s.Sums[{PenaltyIndex}] += {Vector}.Sum(penaltySum);");
        w.Close();
    }

    /// <summary>The slots of a pair: the upper cell's own (if covered) and mirror; the lower cell's own and mirror.</summary>
    private List<Slot> Slots()
    {
        var slots = new List<Slot>();
        if (_inUpper) slots.Add(new Slot("U", "U", false));
        if (SymT && _inLower) slots.Add(new Slot("U", "L", true));
        if (_inLower) slots.Add(new Slot("L", "L", false));
        if (SymT && _inUpper) slots.Add(new Slot("L", "U", true));
        return slots;
    }

    private string DescribeSlots()
    {
        var parts = new List<string>
        {
            _inUpper && _inLower ? "terms on both cells" : _inUpper ? "terms on the upper cell (i, j)" : "terms on the lower cell (j, i)",
        };
        if (SymT) parts.Add("each also with the other cell's target and validity ([SymmetricTranspose])");
        if (_spec.Symmetrize) parts.Add("both cells see (x + xᵀ)/2 and share its gradient ([Symmetrize])");
        if (Penalty) parts.Add("the penalty on their difference");
        return string.Join("; ", parts) + ".";
    }

    /// <summary>
    /// Opens a loop method, compiled fully optimized at once: under tiered compilation these loops ran unoptimized for
    /// many calls (measured 13× slower on small maps).
    /// </summary>
    private static void OpenLoop(SourceWriter w, string signature)
    {
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        w.Open(signature);
    }

    private void EmitScales(SourceWriter w, double factor)
    {
        foreach (var t in _elementwise)
            w.Line($"var {Plan.Variable(t)}Grad = {M}.Splat({Weighted(t.Weight * factor, "s.ElementwiseScale")});");
    }

    /// <summary>The sum over region terms of coefficient <paramref name="which"/> (0: a, 1: b) of the own or mirrored evaluation.</summary>
    private string CoefficientSum(int which, bool mirror)
    {
        int baseIndex = mirror ? 2 * _regionTerms.Count : 0;
        return string.Join(" + ", Enumerable.Range(0, _regionTerms.Count).Select(r => $"s.Coefficients[{baseIndex + 2 * r + which}]"));
    }

    // ---- first pass: region sums ----

    private void EmitCellSums(SourceWriter w)
    {
        w.Line("/// <summary>Region terms, first pass: TP, ΣP, ΣY over cells" + (SymT ? " (the diagonal counts for both evaluations)." : ".") + "</summary>");
        OpenLoop(w, "public static void CellSums(ref global::LossDsl.Fused.FusedSegment s)");
        w.Line($"{V} tp = {V}.Zero, predicted = {V}.Zero, positive = {V}.Zero;");
        w.Open("for (int k = 0; k < s.Length; k += 8)");
        w.Line($"var y = {M}.Load(s.Y, k);");
        w.Line($"var w = {M}.Load(s.W, k);");
        w.Line($"var wp = w * {M}.Sigmoid({M}.Load(s.X, k));");
        w.Line("tp += wp * y;");
        w.Line("predicted += wp;");
        w.Line("positive += w * y;");
        w.Close();
        foreach (var offset in SymT ? new[] { 0, MirrorSums } : new[] { 0 }) EmitAddSums(w, offset, "tp", "predicted", "positive");
        w.Close();
    }

    private void EmitPairSums(SourceWriter w)
    {
        var s = _spec;
        w.Line("/// <summary>Region terms, first pass: TP, ΣP, ΣY over pairs, for the own" + (SymT ? " and the mirrored evaluations." : " evaluation.") + "</summary>");
        OpenLoop(w, "public static void PairSums(ref global::LossDsl.Fused.FusedSegment s)");
        var kinds = SymT ? new[] { "own", "mirror" } : new[] { "own" };
        foreach (var kind in kinds) w.Line($"{V} {kind}Tp = {V}.Zero, {kind}Predicted = {V}.Zero, {kind}Positive = {V}.Zero;");
        w.Open("for (int k = 0; k < s.Length; k += 8)");
        if (_inUpper) w.Line($"var yU = {M}.Load(s.Y, k);");
        if (ReadsMirroredTargets()) w.Line($"var yL = {M}.Load(s.YT, k);");
        w.Line($"var wU = {M}.Load(s.W, k);");
        w.Line($"var wL = {M}.Load(s.WT, k);");
        if (s.Symmetrize)
        {
            w.Line($"var pU = {M}.Sigmoid({M}.Splat(0.5) * ({M}.Load(s.X, k) + {M}.Load(s.XT, k)));");
            w.Line("var pL = pU;");
        }
        else
        {
            if (Slots().Any(x => x.Cell == "U")) w.Line($"var pU = {M}.Sigmoid({M}.Load(s.X, k));");
            if (Slots().Any(x => x.Cell == "L")) w.Line($"var pL = {M}.Sigmoid({M}.Load(s.XT, k));");
        }
        foreach (var slot in Slots())
        {
            var kind = slot.Mirror ? "mirror" : "own";
            w.Line($"{kind}Tp += w{slot.Source} * p{slot.Cell} * y{slot.Source};");
            w.Line($"{kind}Predicted += w{slot.Source} * p{slot.Cell};");
            w.Line($"{kind}Positive += w{slot.Source} * y{slot.Source};");
        }
        w.Close();
        for (int i = 0; i < kinds.Length; i++) EmitAddSums(w, i * MirrorSums, kinds[i] + "Tp", kinds[i] + "Predicted", kinds[i] + "Positive");
        w.Close();
    }

    /// <summary>Adds the lanes of the three confusion-sum vectors to the work item's sums from <paramref name="offset"/> on.</summary>
    private static void EmitAddSums(SourceWriter w, int offset, string tp, string predicted, string positive)
    {
        w.Line($"s.Sums[{offset}] += {Vector}.Sum({tp});");
        w.Line($"s.Sums[{offset + 1}] += {Vector}.Sum({predicted});");
        w.Line($"s.Sums[{offset + 2}] += {Vector}.Sum({positive});");
    }

    private void EmitCoefficients(SourceWriter w)
    {
        var s = _spec;
        w.Line("/// <summary>Region terms between the passes: their value and, per sample, the gradient coefficients a, b of w·(a + b·y).</summary>");
        w.Open("public static double Coefficients(global::System.ReadOnlySpan<double> sums, int samples, global::System.Span<double> coefficients)");
        w.Line("double value = 0;");
        int k = RegionSumCount, c = CoefficientCount;
        for (int r = 0; r < _regionTerms.Count; r++)
        {
            var t = _regionTerms[r];
            var evaluations = SymT ? new[] { (Sums: 0, Coefficient: 2 * r) , (Sums: MirrorSums, Coefficient: 2 * _regionTerms.Count + 2 * r) } : new[] { (Sums: 0, Coefficient: 2 * r) };
            w.Line($"// {t.Kind}{(t.Batch ? ", over the whole batch" : ", per sample")}");
            if (t.Batch)
            {
                foreach (var e in evaluations)
                {
                    var id = $"{r}{(e.Sums == 0 ? "" : "Mirror")}";
                    w.Line($"double tp{id} = 0, predicted{id} = 0, positive{id} = 0;");
                    w.Open("for (int n = 0; n < samples; n++)");
                    w.Line($"tp{id} += sums[n * {k} + {e.Sums}];");
                    w.Line($"predicted{id} += sums[n * {k} + {e.Sums + 1}];");
                    w.Line($"positive{id} += sums[n * {k} + {e.Sums + 2}];");
                    w.Close();
                    w.Line($"value += {RegionCall(t, $"tp{id}", $"predicted{id}", $"positive{id}", Plan.Lit(t.Weight))}, out var a{id}, out var b{id});");
                    w.Open("for (int n = 0; n < samples; n++)");
                    w.Line($"coefficients[n * {c} + {e.Coefficient}] = a{id};");
                    w.Line($"coefficients[n * {c} + {e.Coefficient + 1}] = b{id};");
                    w.Close();
                }
            }
            else
            {
                var scale = s.Sum ? Plan.Lit(t.Weight) : $"{Plan.Lit(t.Weight)} / samples";
                w.Open("for (int n = 0; n < samples; n++)");
                foreach (var e in evaluations)
                    w.Line($"value += {RegionCall(t, $"sums[n * {k} + {e.Sums}]", $"sums[n * {k} + {e.Sums + 1}]", $"sums[n * {k} + {e.Sums + 2}]", scale)}, " +
                           $"out coefficients[n * {c} + {e.Coefficient}], out coefficients[n * {c} + {e.Coefficient + 1}]);");
                w.Close();
            }
        }
        w.Line("return value;");
        w.Close();
    }

    private static string RegionCall(TermSpec t, string tp, string predicted, string positive, string scale) => t.Kind == TermKind.Dice
        ? $"{M}.Dice({tp}, {predicted}, {positive}, smooth: {Plan.Lit(t.Smooth)}, scale: {scale}"
        : $"{M}.Tversky({tp}, {predicted}, {positive}, alpha: {Plan.Lit(t.Alpha)}, beta: {Plan.Lit(t.Beta)}, gamma: {Plan.Lit(t.Gamma)}, smooth: {Plan.Lit(t.Smooth)}, scale: {scale}";

    private void EmitTotal(SourceWriter w)
    {
        var parts = new List<string>();
        if (_elementwise.Count > 0)
        {
            var sum = string.Join(" + ", _elementwise.Select((t, i) => Weighted(t.Weight, $"values[{i}]")));
            parts.Add(_elementwise.Count == 1 && _elementwise[0].Weight == 1 ? $"elementwiseScale * {sum}" : $"elementwiseScale * ({sum})");
        }
        if (_spec.Consistency is { } c) parts.Add($"consistencyScale * {Weighted(c.Weight, $"values[{PenaltyIndex}]")}");
        w.Line("/// <summary>The weighted total of the elementwise terms and the penalty.</summary>");
        w.Line("public static double Total(global::System.ReadOnlySpan<double> values, double elementwiseScale, double consistencyScale) =>");
        w.Line("    " + (parts.Count == 0 ? "0" : string.Join(" + ", parts)) + ";");
    }

    private static string Weighted(double weight, string value) => weight == 1 ? value : $"{Plan.Lit(weight)} * {value}";

    /// <summary>The call evaluating elementwise term <paramref name="t"/>, up to its out arguments.</summary>
    private static string Call(TermSpec t, string activation, string target)
    {
        if (t.Kind == TermKind.Focal)
        {
            var (positive, negative) = t.Alpha < 0 ? (1.0, 1.0) : (t.Alpha, 1 - t.Alpha);
            return $"{M}.Focal(in {activation}, {target}, gamma: {Plan.Lit(t.Gamma)}, alphaPositive: {Plan.Lit(positive)}, alphaNegative: {Plan.Lit(negative)}";
        }
        var (scale, shift) = (1 - t.LabelSmoothing, 0.5 * t.LabelSmoothing);
        return $"{M}.BinaryCrossEntropy(in {activation}, {target}, posWeight: {Plan.Lit(t.PosWeight)}, targetScale: {Plan.Lit(scale)}, targetShift: {Plan.Lit(shift)}";
    }

    private static string Cap(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);
}
