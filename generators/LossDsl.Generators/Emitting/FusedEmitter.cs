using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Emitting;
using LossDsl.Generators.Terms;
using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators;

/// <summary>
/// Renders a <see cref="FusedPlan"/>: a nested struct implementing <c>LossDsl.Fused.IFusedKernel</c> whose loops hold
/// exactly the class's terms with their constants folded. The runtime's driver walks the data and calls them.
/// </summary>
internal sealed class FusedEmitter
{
    private const string M = "global::LossDsl.Fused.FusedMath";
    private const string V = "global::System.Runtime.Intrinsics.Vector512<T>";
    /// <summary>The region terms' sums are float64 lanes whatever the element type: the coefficients divide and subtract them.</summary>
    private const string Wide = "global::System.Runtime.Intrinsics.Vector512<double>";
    /// <summary>The kernels compute in the logits' element type: float32 lanes for float32, float64 for float64.</summary>
    private const string Segment = "<T>(ref global::LossDsl.Fused.FusedSegment<T> s) where T : unmanaged, global::System.Numerics.IBinaryFloatingPointIeee754<T>";
    /// <summary>
    /// The second pass's loops also take whether the gradient is wanted and whether every weight is 1: without the one the
    /// JIT drops the gradient's arithmetic, with the other the multiplies by the weights.
    /// </summary>
    private const string GradientSegment = "<T, TGradient, TWeights>(ref global::LossDsl.Fused.FusedSegment<T> s) where T : unmanaged, global::System.Numerics.IBinaryFloatingPointIeee754<T> where TGradient : global::LossDsl.Fused.IGradientChoice where TWeights : global::LossDsl.Fused.IWeightChoice";
    /// <summary>Weights at <c>k</c>: in the second pass 1 without reading when <c>TWeights</c> says so; the first pass reads them.</summary>
    private static string Weights(string span, bool secondPass) => secondPass ? $"{M}.Weights<T, TWeights>({span}, k)" : $"{M}.Load({span}, k)";

    private readonly FusedPlan _plan;

    public FusedEmitter(FusedPlan plan) => _plan = plan;

    private bool HasRegionTerms => _plan.RegionTerms.Count > 0;

    public void Emit(SourceWriter w)
    {
        var p = _plan;
        w.Line("/// <summary>The fused kernel of this loss: its constants and loop bodies; <c>global::LossDsl.Fused.FusedLoss</c> runs it.</summary>");
        w.Open("private readonly struct FusedKernel : global::LossDsl.Fused.IFusedKernel");
        w.Line($"public static global::LossDsl.Fused.FusedWalk Walk => global::LossDsl.Fused.FusedWalk.{p.Walk};");
        w.Line($"public static global::LossDsl.Region Region => {Code.Region(p.Half, p.IncludeDiagonal, p.MinSeparation)};");
        w.Line($"public static int ConsistencySeparation => {p.ConsistencySeparation};");
        w.Line($"public static bool ReadsMirroredTargets => {Code.Bool(p.ReadsMirroredTargets)};");
        w.Line($"public static int ValueCount => {p.ValueCount};");
        w.Line($"public static int RegionSumCount => {p.RegionSumCount};");
        w.Line($"public static int CoefficientCount => {p.CoefficientCount};");
        w.Line($"public static bool SumReduction => {Code.Bool(p.SumReduction)};");
        w.Line($"public static int TermCount => {p.ReportedCount};");
        w.Line();
        EmitCells(w);
        if (p.VisitsPairs) { w.Line(); EmitPairs(w); }
        if (p.Walk == FusedWalk.MirroredTargets)
            foreach (var cell in new[] { "U", "L" }) { w.Line(); EmitMirroredCells(w, cell); }
        if (HasRegionTerms)
        {
            w.Line();
            EmitCellSums(w);
            if (p.VisitsPairs) { w.Line(); EmitPairSums(w); }
            if (p.Walk == FusedWalk.MirroredTargets)
                foreach (var cell in new[] { "U", "L" }) { w.Line(); EmitMirroredCellSums(w, cell); }
            w.Line();
            EmitCoefficients(w);
        }
        w.Line();
        EmitTotal(w);
        w.Line();
        EmitTermValues(w);
        w.Close();
    }

    // ---- second pass: values and gradients ----

    /// <summary>Single cells: the whole row when the loss never looks at the transpose, else the diagonal (its own mirror).</summary>
    private void EmitCells(SourceWriter w)
    {
        var p = _plan;
        w.Line(p.Mirrors
            ? "/// <summary>The diagonal: each cell is its own mirror" + (p.SymmetricTranspose ? ", so both evaluations of [SymmetricTranspose] see the same values." : ".") + "</summary>"
            : "/// <summary>Cells one by one: values and the gradient.</summary>");
        OpenLoop(w, "public static void Cells" + GradientSegment);
        EmitScales(w, p.DiagonalFactor);
        if (HasRegionTerms)
        {
            w.Line($"var regionA = {M}.Splat<T>({string.Join(" + ", p.Evaluations.Select(e => CoefficientSum(e, 0)))});");
            w.Line($"var regionB = {M}.Splat<T>({string.Join(" + ", p.Evaluations.Select(e => CoefficientSum(e, 1)))});");
        }
        foreach (var t in p.Elementwise) w.Line($"var {t.Term.Variable}Sum = {V}.Zero;");
        w.Open($"for (int k = 0; k < s.Length; k += {V}.Count)");
        w.Line($"var x = {M}.Load(s.X, k);");
        w.Line($"var y = {M}.Load(s.Y, k);");
        w.Line($"var w = {Weights("s.W", secondPass: true)};");
        w.Line($"var a = {M}.Activate(x);");
        var g = new Accumulator("g");
        foreach (var t in p.Elementwise)
        {
            var name = t.Term.Variable;
            w.Line($"{Call(t, "a", "y")}, out var {name}, out var d{Cap(name)});");
            w.Line($"{name}Sum += w * {name};");
            g.Add(w, $"{name}Grad * d{Cap(name)}");
        }
        g.Multiply(w, "w");
        if (HasRegionTerms) g.Add(w, "w * (regionA + regionB * y) * a.Slope");
        g.Declare(w);
        w.Line($"if (TGradient.Wanted) {M}.Store(s.G, k, g);");
        w.Close();
        EmitAddValues(w, p.DiagonalFactor);
        w.Close();
    }

    /// <summary>Pairs of cells (i, j) and (j, i), j &gt; i, in the region's bounds.</summary>
    private void EmitPairs(SourceWriter w) =>
        EmitTwoTargetLoops(w, "Pairs", "/// <summary>Pairs (i, j)/(j, i): " + DescribeSlots() + "</summary>", EmitPairLoop);

    private void EmitPairLoop(SourceWriter w, string signature, bool binary)
    {
        var p = _plan;
        OpenLoop(w, signature);
        EmitScales(w, p.PairFactor);
        if (p.Penalty is { } penalty) w.Line($"var penaltyGrad = {M}.Splat<T>({Code.Weighted(penalty.Weight, "s.ConsistencyScale")});");
        EmitSlotSetup(w);
        if (p.Penalty is not null) w.Line($"var penaltySum = {V}.Zero;");

        w.Open($"for (int k = 0; k < s.Length; k += {V}.Count)");
        w.Line($"var xU = {M}.Load(s.X, k);");
        w.Line($"var xL = {M}.Load(s.XT, k);");
        EmitPairTargets(w, secondPass: true);
        if (p.Symmetrize) EmitSymmetrizedPair(w, binary);
        else EmitPair(w);
        w.Close();
        EmitAddValues(w, p.PairFactor);
        if (p.Penalty is not null) w.Line($"s.Sums[{p.PenaltyIndex}] += {M}.Wide(penaltySum);");
        w.Close();
    }

    /// <summary>
    /// A loop over cells that each see two targets: one method, or (<see cref="FusedPlan.BlendsBinaryTargets"/>) one that
    /// checks the segment's targets and calls the form for all-binary targets or the one for any targets.
    /// </summary>
    private void EmitTwoTargetLoops(SourceWriter w, string name, string summary, System.Action<SourceWriter, string, bool> loop)
    {
        w.Line(summary);
        if (!_plan.BlendsBinaryTargets)
        {
            loop(w, $"public static void {name}" + GradientSegment, false);
            return;
        }
        OpenLoop(w, $"public static void {name}" + GradientSegment);
        w.Line($"if ({M}.BinaryTargets(s.Y, s.YT, s.Length)) {name}OfBinaryTargets<T, TGradient, TWeights>(ref s);");
        w.Line($"else {name}OfAnyTargets<T, TGradient, TWeights>(ref s);");
        w.Close();
        w.Line();
        w.Line($"/// <summary>{name} of a segment whose targets are all 0 or 1: each term at y = 1 and at y = 0, weighted by the cells' targets.</summary>");
        loop(w, $"private static void {name}OfBinaryTargets" + GradientSegment, true);
        w.Line();
        w.Line($"/// <summary>{name} of a segment with soft targets: each term at each target.</summary>");
        loop(w, $"private static void {name}OfAnyTargets" + GradientSegment, false);
    }

    /// <summary>
    /// The terms of one activation <paramref name="activation"/> at two targets, sources <paramref name="first"/> and
    /// <paramref name="second"/>, all 0 or 1: <c>Σ w·ℓ(y) = ones·ℓ(1) + zeros·ℓ(0)</c>, into <paramref name="g"/>.
    /// </summary>
    private void EmitBinaryTargets(SourceWriter w, string activation, string first, string second, string suffix, Accumulator g)
    {
        w.Line($"var ones{suffix} = {M}.Fma(w{first}, y{first}, w{second} * y{second});");
        w.Line($"var zeros{suffix} = w{first} + w{second} - ones{suffix};");
        foreach (var t in _plan.Elementwise)
        {
            var (name, d) = (t.Term.Variable, "d" + Cap(t.Term.Variable));
            w.Line($"{((IBinaryTargetForm)t.Term).FusedBinaryCall(t, activation)}, out var {name}One{suffix}, out var {d}One{suffix}, out var {name}Zero{suffix}, out var {d}Zero{suffix});");
            w.Line($"{name}Sum += {M}.Fma(ones{suffix}, {name}One{suffix}, zeros{suffix} * {name}Zero{suffix});");
            g.Add(w, $"{name}Grad * {M}.Fma(ones{suffix}, {d}One{suffix}, zeros{suffix} * {d}Zero{suffix})");
        }
    }

    /// <summary>Before a slot loop: each evaluation's region coefficients a, b as vectors, and the elementwise terms' sums.</summary>
    private void EmitSlotSetup(SourceWriter w)
    {
        if (HasRegionTerms)
            foreach (var e in _plan.Evaluations)
            {
                w.Line($"var {e.Name}A = {M}.Splat<T>({CoefficientSum(e, 0)});");
                w.Line($"var {e.Name}B = {M}.Splat<T>({CoefficientSum(e, 1)});");
            }
        foreach (var t in _plan.Elementwise) w.Line($"var {t.Term.Variable}Sum = {V}.Zero;");
    }

    private void EmitPairTargets(SourceWriter w, bool secondPass)
    {
        if (_plan.InUpper) w.Line($"var yU = {M}.Load(s.Y, k);");
        if (_plan.ReadsMirroredTargets) w.Line($"var yL = {M}.Load(s.YT, k);");
        w.Line($"var wU = {Weights("s.W", secondPass)};");
        w.Line($"var wL = {Weights("s.WT", secondPass)};");
    }

    /// <summary>Both cells see <c>z = (x + xᵀ)/2</c>: each distinct (target, validity) source is evaluated once (see <see cref="FusedPlan.PairFactor"/>).</summary>
    private void EmitSymmetrizedPair(SourceWriter w, bool binary)
    {
        var p = _plan;
        w.Line($"var a = {M}.Activate({M}.Splat<T>(0.5) * (xU + xL));");
        var gz = new Accumulator("gz");
        var sources = p.Slots.Where(x => !x.Mirror).Select(x => x.Source).ToList();
        if (binary) EmitBinaryTargets(w, "a", sources[0], sources[1], "", gz);
        else foreach (var t in p.Elementwise)
        {
            var name = t.Term.Variable;
            foreach (var source in sources)
            {
                w.Line($"{Call(t, "a", "y" + source)}, out var {name}{source}, out var d{Cap(name)}{source});");
                w.Line($"{name}Sum += w{source} * {name}{source};");
                gz.Add(w, $"{name}Grad * (w{source} * d{Cap(name)}{source})");
            }
        }
        if (HasRegionTerms)
        {
            var parts = p.Slots.Select(x => $"w{x.Source} * ({x.Evaluation}A + {x.Evaluation}B * y{x.Source})");
            gz.Add(w, $"({string.Join(" + ", parts)}) * a.Slope");
        }
        gz.Declare(w);
        w.Line($"var g = {M}.Splat<T>(0.5) * gz;");
        w.Open("if (TGradient.Wanted)");
        w.Line($"{M}.Store(s.G, k, g);");
        w.Line($"{M}.Store(s.GT, k, g);");
        w.Close();
    }

    /// <summary>Each cell with its own activation and slots, then the penalty on their difference.</summary>
    private void EmitPair(SourceWriter w)
    {
        var p = _plan;
        var (gU, gL) = (new Accumulator("gU"), new Accumulator("gL"));
        EmitCellSlots(w, "U", gU);
        EmitCellSlots(w, "L", gL);
        if (p.Penalty is { } c)
        {
            w.Line(c.InLogits ? "var d = xU - xL;" : "var d = aU.P - aL.P;");
            w.Line("var wPair = wU * wL;");
            w.Line($"{M}.Penalty(d, global::LossDsl.SymmetryPenalty.{c.Penalty}, {Code.Lit(c.Delta)}, out var penalty, out var dPenalty);");
            w.Line("penaltySum += wPair * penalty;");
            w.Line("var gPenalty = penaltyGrad * (wPair * dPenalty);");
            gU.Add(w, c.InLogits ? "gPenalty" : "gPenalty * aU.Slope");
            gL.Subtract(w, c.InLogits ? "gPenalty" : "gPenalty * aL.Slope");
        }
        gU.Declare(w);
        gL.Declare(w);
        w.Open("if (TGradient.Wanted)");
        w.Line($"{M}.Store(s.G, k, gU);");
        w.Line($"{M}.Store(s.GT, k, gL);");
        w.Close();
    }

    /// <summary>Cell <paramref name="cell"/> (<c>U</c> or <c>L</c>) of a pair: its activation, and every term on each of its slots into <paramref name="g"/>.</summary>
    private void EmitCellSlots(SourceWriter w, string cell, Accumulator g, bool binary = false)
    {
        var p = _plan;
        var own = p.Slots.Where(x => x.Cell == cell).ToList();
        bool activate = own.Count > 0 || p.Penalty is { InLogits: false };
        if (activate) w.Line($"var a{cell} = {M}.Activate(x{cell});");
        if (binary)
        {
            EmitBinaryTargets(w, "a" + cell, own[0].Source, own[1].Source, cell, g);
            return;
        }
        for (int j = 0; j < own.Count; j++)
        {
            var slot = own[j];
            foreach (var t in p.Elementwise)
            {
                var name = t.Term.Variable;
                var suffix = cell + j;
                w.Line($"{Call(t, "a" + cell, "y" + slot.Source)}, out var {name}{suffix}, out var d{Cap(name)}{suffix});");
                w.Line($"{name}Sum += w{slot.Source} * {name}{suffix};");
                g.Add(w, $"{name}Grad * (w{slot.Source} * d{Cap(name)}{suffix})");
            }
            if (HasRegionTerms)
                g.Add(w, $"w{slot.Source} * ({slot.Evaluation}A + {slot.Evaluation}B * y{slot.Source}) * a{cell}.Slope");
        }
    }

    /// <summary>
    /// <see cref="FusedWalk.MirroredTargets"/>: the upper (<c>U</c>) or lower (<c>L</c>) cells of a row, each as that cell of
    /// its pair with the same slots; its own target and validity in <c>Y</c>, <c>W</c>, its mirror's in <c>YT</c>, <c>WT</c>.
    /// </summary>
    private void EmitMirroredCells(SourceWriter w, string cell) =>
        EmitTwoTargetLoops(w, (cell == "U" ? "Upper" : "Lower") + "Cells",
            $"/// <summary>{(cell == "U" ? "Upper cells (i, j)" : "Lower cells (j, i)")}, j &gt; i, each with its mirror's target and validity: {DescribeMirroredSlots(cell)}</summary>",
            (writer, signature, binary) => EmitMirroredCellLoop(writer, cell, signature, binary));

    private void EmitMirroredCellLoop(SourceWriter w, string cell, string signature, bool binary)
    {
        OpenLoop(w, signature);
        EmitScales(w, 1);
        EmitSlotSetup(w);
        w.Open($"for (int k = 0; k < s.Length; k += {V}.Count)");
        w.Line($"var x{cell} = {M}.Load(s.X, k);");
        EmitMirroredTargets(w, cell, secondPass: true);
        var g = new Accumulator("g" + cell);
        EmitCellSlots(w, cell, g, binary);
        g.Declare(w);
        w.Line($"if (TGradient.Wanted) {M}.Store(s.G, k, g{cell});");
        w.Close();
        EmitAddValues(w, 1);
        w.Close();
    }

    /// <summary>Loads the targets and validity <paramref name="cell"/>'s slots read: its own from <c>Y</c>, <c>W</c>, its mirror's from <c>YT</c>, <c>WT</c>.</summary>
    private void EmitMirroredTargets(SourceWriter w, string cell, bool secondPass)
    {
        foreach (var source in _plan.Slots.Where(x => x.Cell == cell).Select(x => x.Source).Distinct())
        {
            var (y, v) = source == cell ? ("s.Y", "s.W") : ("s.YT", "s.WT");
            w.Line($"var y{source} = {M}.Load({y}, k);");
            w.Line($"var w{source} = {Weights(v, secondPass)};");
        }
    }

    private string DescribeMirroredSlots(string cell)
    {
        var slots = _plan.Slots.Where(x => x.Cell == cell).Select(x => x.Mirror ? "with the mirror's target ([SymmetricTranspose])" : "with its own target");
        return "the terms " + string.Join(" and ", slots) + ".";
    }

    private string DescribeSlots()
    {
        var p = _plan;
        var parts = new List<string>
        {
            p.InUpper && p.InLower ? "terms on both cells" : p.InUpper ? "terms on the upper cell (i, j)" : "terms on the lower cell (j, i)",
        };
        if (p.SymmetricTranspose) parts.Add("each also with the other cell's target and validity ([SymmetricTranspose])");
        if (p.Symmetrize) parts.Add("both cells see (x + xᵀ)/2 and share its gradient ([Symmetrize])");
        if (p.Penalty is not null) parts.Add("the penalty on their difference");
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
        foreach (var t in _plan.Elementwise)
            w.Line($"var {t.Term.Variable}Grad = {M}.Splat<T>({Code.Weighted(t.Weight * factor, "s.ElementwiseScale")});");
    }

    private void EmitAddValues(SourceWriter w, double factor)
    {
        for (int i = 0; i < _plan.Elementwise.Count; i++)
            w.Line($"s.Sums[{i}] += {(factor == 1 ? "" : Code.Lit(factor) + " * ")}{M}.Wide({_plan.Elementwise[i].Term.Variable}Sum);");
    }

    /// <summary>The sum over region terms of coefficient <paramref name="which"/> (0: a, 1: b) of evaluation <paramref name="e"/>.</summary>
    private string CoefficientSum(Evaluation e, int which) =>
        string.Join(" + ", Enumerable.Range(0, _plan.RegionTerms.Count).Select(r => $"s.Coefficients[{_plan.CoefficientIndex(e, r, which)}]"));

    // ---- first pass: region sums ----

    private void EmitCellSums(SourceWriter w)
    {
        var p = _plan;
        w.Line("/// <summary>Region terms, first pass: TP, FP, FN, TN over cells" + (p.SymmetricTranspose ? " (the diagonal counts for both evaluations)." : ".") + "</summary>");
        OpenLoop(w, "public static void CellSums" + Segment);
        w.Line($"{Wide} tp = {Wide}.Zero, fp = {Wide}.Zero, fn = {Wide}.Zero, tn = {Wide}.Zero;");
        w.Open($"for (int k = 0; k < s.Length; k += {V}.Count)");
        w.Line($"{M}.Sigmoids({M}.Load(s.X, k), out var p, out var q);");
        EmitWeightedTargets(w, "");
        EmitAddConfusion(w, "tp", "fp", "fn", "tn", "", "");
        w.Close();
        foreach (var e in p.Evaluations) EmitAddSums(w, e.SumsOffset, "tp", "fp", "fn", "tn");
        w.Close();
    }

    private void EmitPairSums(SourceWriter w)
    {
        var p = _plan;
        w.Line("/// <summary>Region terms, first pass: TP, FP, FN, TN over pairs, for the own" + (p.SymmetricTranspose ? " and the mirrored evaluations." : " evaluation.") + "</summary>");
        OpenLoop(w, "public static void PairSums" + Segment);
        foreach (var e in p.Evaluations)
            w.Line($"{Wide} {e.Name}Tp = {Wide}.Zero, {e.Name}Fp = {Wide}.Zero, {e.Name}Fn = {Wide}.Zero, {e.Name}Tn = {Wide}.Zero;");
        w.Open($"for (int k = 0; k < s.Length; k += {V}.Count)");
        EmitPairTargets(w, secondPass: false);
        if (p.Symmetrize)
        {
            w.Line($"{M}.Sigmoids({M}.Splat<T>(0.5) * ({M}.Load(s.X, k) + {M}.Load(s.XT, k)), out var pU, out var qU);");
            w.Line("var pL = pU;");
            w.Line("var qL = qU;");
        }
        else
        {
            if (p.Slots.Any(x => x.Cell == "U")) w.Line($"{M}.Sigmoids({M}.Load(s.X, k), out var pU, out var qU);");
            if (p.Slots.Any(x => x.Cell == "L")) w.Line($"{M}.Sigmoids({M}.Load(s.XT, k), out var pL, out var qL);");
        }
        foreach (var source in p.Slots.Select(x => x.Source).Distinct()) EmitWeightedTargets(w, source);
        foreach (var slot in p.Slots)
        {
            var e = slot.Evaluation;
            EmitAddConfusion(w, e + "Tp", e + "Fp", e + "Fn", e + "Tn", slot.Cell, slot.Source);
        }
        w.Close();
        foreach (var e in p.Evaluations) EmitAddSums(w, e.SumsOffset, e.Name + "Tp", e.Name + "Fp", e.Name + "Fn", e.Name + "Tn");
        w.Close();
    }

    /// <summary><see cref="FusedWalk.MirroredTargets"/>, first pass: TP, FP, FN, TN of the upper or lower cells' slots.</summary>
    private void EmitMirroredCellSums(SourceWriter w, string cell)
    {
        var p = _plan;
        var slots = p.Slots.Where(x => x.Cell == cell).ToList();
        // Only the evaluations this side's slots feed: the other's sums come from the other side's cells.
        var evaluations = p.Evaluations.Where(e => slots.Any(x => x.Mirror == e.Mirror)).ToList();
        w.Line($"/// <summary>Region terms, first pass: TP, FP, FN, TN over {(cell == "U" ? "upper" : "lower")} cells, for the {string.Join(" and ", evaluations.Select(e => e.Mirror ? "mirrored" : "own"))} evaluation{(evaluations.Count > 1 ? "s" : "")}.</summary>");
        OpenLoop(w, $"public static void {(cell == "U" ? "Upper" : "Lower")}CellSums" + Segment);
        foreach (var e in evaluations)
            w.Line($"{Wide} {e.Name}Tp = {Wide}.Zero, {e.Name}Fp = {Wide}.Zero, {e.Name}Fn = {Wide}.Zero, {e.Name}Tn = {Wide}.Zero;");
        w.Open($"for (int k = 0; k < s.Length; k += {V}.Count)");
        EmitMirroredTargets(w, cell, secondPass: false);
        w.Line($"{M}.Sigmoids({M}.Load(s.X, k), out var p{cell}, out var q{cell});");
        foreach (var source in slots.Select(x => x.Source).Distinct()) EmitWeightedTargets(w, source);
        foreach (var slot in slots)
        {
            var e = slot.Evaluation;
            EmitAddConfusion(w, e + "Tp", e + "Fp", e + "Fn", e + "Tn", slot.Cell, slot.Source);
        }
        w.Close();
        foreach (var e in evaluations) EmitAddSums(w, e.SumsOffset, e.Name + "Tp", e.Name + "Fp", e.Name + "Fn", e.Name + "Tn");
        w.Close();
    }

    /// <summary><c>w·y</c> and <c>w·(1 − y)</c> of a source (its target and validity), the weights of the confusion sums.</summary>
    private static void EmitWeightedTargets(SourceWriter w, string source)
    {
        if (source == "")
        {
            w.Line($"var y = {M}.Load(s.Y, k);");
            w.Line($"var w = {M}.Load(s.W, k);");
        }
        w.Line($"var wy{source} = w{source} * y{source};");
        w.Line($"var wn{source} = w{source} * ({V}.One - y{source});");
    }

    /// <summary>
    /// TP += w·y·p, FP += w·(1 − y)·p, FN += w·y·q, TN += w·(1 − y)·q, with q = σ(−x) computed directly: no sum is a
    /// difference of others, so none cancels where p rounds to 1 (float32 lanes, saturated logits).
    /// </summary>
    private static void EmitAddConfusion(SourceWriter w, string tp, string fp, string fn, string tn, string cell, string source)
    {
        w.Line($"{tp} += {M}.Wide(wy{source} * p{cell});");
        w.Line($"{fp} += {M}.Wide(wn{source} * p{cell});");
        w.Line($"{fn} += {M}.Wide(wy{source} * q{cell});");
        w.Line($"{tn} += {M}.Wide(wn{source} * q{cell});");
    }

    /// <summary>Adds the four sum vectors (float64 lanes already) to the work item's lane sums from <paramref name="offset"/> on.</summary>
    private static void EmitAddSums(SourceWriter w, int offset, params string[] sums)
    {
        for (int i = 0; i < sums.Length; i++) w.Line($"s.Sums[{offset + i}] += {sums[i]};");
    }

    private void EmitCoefficients(SourceWriter w)
    {
        var p = _plan;
        w.Line("/// <summary>Region terms between the passes: their value and, per sample, the gradient coefficients a, b of w·(a + b·y).</summary>");
        w.Open("public static double Coefficients(global::System.ReadOnlySpan<double> sums, int samples, global::System.Span<double> coefficients)");
        w.Line("double value = 0;");
        int c = p.CoefficientCount;
        for (int r = 0; r < p.RegionTerms.Count; r++)
        {
            var t = p.RegionTerms[r];
            var term = (RegionTerm)t.Term;
            w.Line($"// {term.AttributeName}{(term.Batch(t) ? ", over the whole batch" : ", per sample")}");
            if (term.Batch(t))
            {
                foreach (var e in p.Evaluations)
                {
                    var id = $"{r}{(e.Mirror ? "Mirror" : "")}";
                    var names = EmitBatchSums(w, e, id);
                    w.Line($"value += {term.FusedCall(t, names[0], names[1], names[2], names[3], Code.Lit(t.Weight))}, out var a{id}, out var b{id});");
                    w.Open("for (int n = 0; n < samples; n++)");
                    w.Line($"coefficients[n * {c} + {p.CoefficientIndex(e, r, 0)}] = a{id};");
                    w.Line($"coefficients[n * {c} + {p.CoefficientIndex(e, r, 1)}] = b{id};");
                    w.Close();
                }
            }
            else
            {
                var scale = p.SumReduction ? Code.Lit(t.Weight) : $"{Code.Lit(t.Weight)} / samples";
                w.Open("for (int n = 0; n < samples; n++)");
                foreach (var e in p.Evaluations)
                {
                    var sums = SampleSums(e);
                    w.Line($"value += {term.FusedCall(t, sums[0], sums[1], sums[2], sums[3], scale)}, " +
                           $"out coefficients[n * {c} + {p.CoefficientIndex(e, r, 0)}], out coefficients[n * {c} + {p.CoefficientIndex(e, r, 1)}]);");
                }
                w.Close();
            }
        }
        w.Line("return value;");
        w.Close();
    }

    /// <summary>Sample <c>n</c>'s TP, FP, FN, TN of evaluation <paramref name="e"/>, as expressions over <c>sums</c>.</summary>
    private string[] SampleSums(Evaluation e) =>
        Enumerable.Range(0, FusedPlan.SumsPerEvaluation).Select(i => $"sums[n * {_plan.RegionSumCount} + {e.SumsOffset + i}]").ToArray();

    /// <summary>Declares TP, FP, FN, TN of evaluation <paramref name="e"/> over the whole batch, suffixed by <paramref name="id"/>; their names.</summary>
    private string[] EmitBatchSums(SourceWriter w, Evaluation e, string id)
    {
        var names = new[] { "tp", "fp", "fn", "tn" }.Select(n => n + id).ToArray();
        w.Line($"double {string.Join(", ", names.Select(n => n + " = 0"))};");
        w.Open("for (int n = 0; n < samples; n++)");
        var sums = SampleSums(e);
        for (int i = 0; i < names.Length; i++) w.Line($"{names[i]} += {sums[i]};");
        w.Close();
        return names;
    }

    private void EmitTotal(SourceWriter w)
    {
        var p = _plan;
        var parts = new List<string>();
        if (p.Elementwise.Count > 0)
        {
            var sum = string.Join(" + ", p.Elementwise.Select((t, i) => Code.Weighted(t.Weight, $"values[{i}]")));
            parts.Add(p.Elementwise.Count == 1 && p.Elementwise[0].Weight == 1 ? $"elementwiseScale * {sum}" : $"elementwiseScale * ({sum})");
        }
        if (p.Penalty is { } c) parts.Add($"consistencyScale * {Code.Weighted(c.Weight, $"values[{p.PenaltyIndex}]")}");
        w.Line("/// <summary>The weighted total of the elementwise terms and the penalty.</summary>");
        w.Line("public static double Total(global::System.ReadOnlySpan<double> values, double elementwiseScale, double consistencyScale) =>");
        w.Line("    " + (parts.Count == 0 ? "0" : string.Join(" + ", parts)) + ";");
    }

    /// <summary>Each term's value for TermValues, in declaration order: unweighted, both evaluations under [SymmetricTranspose].</summary>
    private void EmitTermValues(SourceWriter w)
    {
        var p = _plan;
        w.Line("/// <summary>Each term's value (unweighted, both evaluations under [SymmetricTranspose]), then the penalty's, in the order of the attributes.</summary>");
        w.Open("public static void TermValues(global::System.ReadOnlySpan<double> values, global::System.ReadOnlySpan<double> sums, int samples, double elementwiseScale, double consistencyScale, global::System.Span<double> terms)");
        for (int i = 0; i < p.Reported.Count; i++)
        {
            var reported = p.Reported[i];
            if (reported.Elementwise >= 0)
            {
                w.Line($"terms[{i}] = elementwiseScale * values[{reported.Elementwise}];");
                continue;
            }
            var t = reported.Term;
            var term = (RegionTerm)t.Term;
            w.Line($"terms[{i}] = 0;");
            if (term.Batch(t))
            {
                foreach (var e in p.Evaluations)
                {
                    var names = EmitBatchSums(w, e, $"{i}{(e.Mirror ? "Mirror" : "")}");
                    w.Line($"terms[{i}] += {term.FusedCall(t, names[0], names[1], names[2], names[3], "1.0")}, out _, out _);");
                }
                continue;
            }
            var scale = p.SumReduction ? "1.0" : "1.0 / samples";
            w.Open("for (int n = 0; n < samples; n++)");
            foreach (var e in p.Evaluations)
            {
                var sums = SampleSums(e);
                w.Line($"terms[{i}] += {term.FusedCall(t, sums[0], sums[1], sums[2], sums[3], scale)}, out _, out _);");
            }
            w.Close();
        }
        if (p.ReportsPenalty)
            w.Line(p.Penalty is null
                ? $"terms[{p.Reported.Count}] = 0; // after [Symmetrize] the penalty is identically 0"
                : $"terms[{p.Reported.Count}] = consistencyScale * values[{p.PenaltyIndex}];");
        w.Close();
    }

    /// <summary>The call evaluating elementwise term <paramref name="t"/>, up to its out arguments.</summary>
    private static string Call(TermSpec t, string activation, string target) => ((ElementwiseTerm)t.Term).FusedCall(t, activation, target);

    private static string Cap(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

    /// <summary>
    /// A vector sum in an emitted loop, declared by its first term (<c>var g = …</c>) rather than as zero plus terms:
    /// the JIT cannot drop an add of zero (it would turn −0 into +0), and the code reads as the formula.
    /// </summary>
    private sealed class Accumulator
    {
        private readonly string _name;
        private bool _declared;

        public Accumulator(string name) => _name = name;

        public void Add(SourceWriter w, string term) => w.Line(Start() ? $"var {_name} = {term};" : $"{_name} += {term};");

        public void Subtract(SourceWriter w, string term) => w.Line(Start() ? $"var {_name} = -({term});" : $"{_name} -= {term};");

        /// <summary>Scales the terms so far; nothing when there are none.</summary>
        public void Multiply(SourceWriter w, string factor)
        {
            if (_declared) w.Line($"{_name} *= {factor};");
        }

        /// <summary>Declares the sum as zero if no term came: before it is read.</summary>
        public void Declare(SourceWriter w)
        {
            if (Start()) w.Line($"var {_name} = {V}.Zero;");
        }

        /// <summary>Whether this is the first line of the sum (it declares it).</summary>
        private bool Start()
        {
            bool first = !_declared;
            _declared = true;
            return first;
        }
    }
}
