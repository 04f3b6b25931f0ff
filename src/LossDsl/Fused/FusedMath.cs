using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LossDsl.Fused;

/// <summary>The sigmoid activations of one vector of logits, shared by every term evaluated at those cells.</summary>
/// <param name="P"><c>p = σ(x)</c>.</param>
/// <param name="Q"><c>1 − p = σ(−x)</c>, computed directly so it keeps its relative precision when tiny.</param>
/// <param name="NegLogP"><c>−log p</c>, the cross-entropy of a positive cell (kept negated: that is one operation fewer).</param>
/// <param name="NegLogQ"><c>−log(1 − p)</c>, the cross-entropy of a negative cell.</param>
public readonly record struct Activation<T>(Vector512<T> P, Vector512<T> Q, Vector512<T> NegLogP, Vector512<T> NegLogQ)
{
    /// <summary><c>p·(1 − p) = dp/dx</c>, exact also for saturated logits (from <c>1 − p</c> computed directly).</summary>
    public Vector512<T> Slope => P * Q;
}

/// <summary>
/// The per-cell math of the fused kernels, one <see cref="Vector512{T}"/> of float64 (8 lanes) or float32 (16 lanes)
/// at a time: each function returns a term's value and its derivative with respect to the logit, so one pass over the
/// data gives both. The formulas are written once over the element type; exp and log1p come from
/// <see cref="DoubleLanes"/> or <see cref="SingleLanes"/> (the JIT keeps only the branch of the element type). The
/// generated kernels call these with their constants as literals; everything is inlined into the kernel's loop.
/// Formulas follow docs/attributes.md and match <see cref="LossOps"/> (the composed path).
/// <para>
/// Why <see cref="Vector512{T}"/>: the chain exp → log1p → loss is long, so one 4-lane chain per iteration leaves the
/// core waiting; eight lanes are two independent chains, also where .NET runs each Vector512 operation as two Vector256
/// ones (without AVX-512; <c>DOTNET_EnableAVX512=0</c>, as <c>NarrowLaneTests</c> does). docs/performance-tunings.md has the numbers.
/// </para>
/// </summary>
/// <remarks>Called by generated kernels; not meant to be called directly (its signatures follow the generator).</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FusedMath
{
    /// <summary>One vector from <paramref name="span"/> at <paramref name="k"/> (the caller keeps <c>k + Count ≤ Length</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load<T>(Span<T> span, int k) =>
        Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)k);

    /// <summary>The weights at <paramref name="k"/>: ones without reading <paramref name="span"/> when <typeparamref name="TWeights"/> says all are 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Weights<T, TWeights>(Span<T> span, int k) where T : IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice =>
        TWeights.AllOnes ? Vector512<T>.One : Load(span, k);

    /// <summary>Stores one vector into <paramref name="span"/> at <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Span<T> span, int k, Vector512<T> value) =>
        value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)k);

    /// <summary><paramref name="value"/> in every lane of a <typeparamref name="T"/> vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Splat<T>(double value) where T : IBinaryFloatingPointIeee754<T> =>
        Vector512.Create(T.CreateTruncating(value));

    /// <summary>
    /// The lanes as float64, for sums kept in float64 lanes (the region terms' TP, FP, FN, TN): float64 lanes as they
    /// are, float32 lanes widened and added in pairs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Wide<T>(Vector512<T> v)
    {
        if (typeof(T) == typeof(double)) return v.AsDouble();
        var (lower, upper) = Vector512.Widen(v.AsSingle());
        return lower + upper;
    }

    /// <summary><c>eˣ</c> to about 1 ulp; 0 where it would leave the normal range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x) =>
        typeof(T) == typeof(float) ? SingleLanes.Exp(x.AsSingle()).As<float, T>() : DoubleLanes.Exp(x.AsDouble()).As<double, T>();

    /// <summary>
    /// <c>log(1 + e)</c> for <c>e</c> in [0, 1], to about 1 ulp also when <c>e</c> is tiny: <c>1 + e</c> is never
    /// rounded; above √2 − 1 it is halved exactly (<c>f = (e − 1)/2</c>, one ln 2 added back).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log1pUnit<T>(Vector512<T> e) where T : IBinaryFloatingPointIeee754<T>
    {
        var f = Log1pArgument(e, out var k);
        return Log1pKernel(f, f / (Splat<T>(2) + f), k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Log1pArgument<T>(Vector512<T> e, out Vector512<T> k)
    {
        if (typeof(T) == typeof(float))
        {
            var f = SingleLanes.Log1pArgument(e.AsSingle(), out var kSingle);
            k = kSingle.As<float, T>();
            return f.As<float, T>();
        }
        var fDouble = DoubleLanes.Log1pArgument(e.AsDouble(), out var kDouble);
        k = kDouble.As<double, T>();
        return fDouble.As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Log1pKernel<T>(Vector512<T> f, Vector512<T> s, Vector512<T> k) =>
        typeof(T) == typeof(float)
            ? SingleLanes.Log1pKernel(f.AsSingle(), s.AsSingle(), k.AsSingle()).As<float, T>()
            : DoubleLanes.Log1pKernel(f.AsDouble(), s.AsDouble(), k.AsDouble()).As<double, T>();

    /// <summary>Natural log, for the focal factor's non-integer powers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Log<T>(Vector512<T> x) =>
        typeof(T) == typeof(float) ? Vector512.Log(x.AsSingle()).As<float, T>() : Vector512.Log(x.AsDouble()).As<double, T>();

    /// <summary>
    /// <c>σ(x)</c>, <c>σ(−x)</c> and their logs from one <c>exp(−|x|)</c>, one <c>log1p</c> and one division (shared
    /// by <c>1/(1 + e)</c> and the log's <c>f/(2 + f)</c>): finite for any finite x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Activation<T> Activate<T>(Vector512<T> x) where T : IBinaryFloatingPointIeee754<T>
    {
        var one = Vector512<T>.One;
        var e = ExpOfMinusAbs(x);                              // in [0, 1]; NaN for a non-finite x, and all below with it
        var onePlusE = one + e;
        var f = Log1pArgument(e, out var k);
        var twoPlusF = Splat<T>(2) + f;
        var d = Reciprocal(onePlusE * twoPlusF);
        var r = twoPlusF * d;                                 // 1/(1 + e)
        var softplus = Log1pKernel(f, f * onePlusE * d, k);  // log(1 + e), s = f/(2 + f)
        var er = e * r;
        var positive = Vector512.GreaterThanOrEqual(x, Vector512<T>.Zero);
        // The native min/max: x against 0 needs no IEEE −0/NaN fix-ups (a NaN logit is NaN through softplus anyway).
        var negLogP = softplus - Vector512.MinNative(x, Vector512<T>.Zero);
        var negLogQ = softplus + Vector512.MaxNative(x, Vector512<T>.Zero);
        return new Activation<T>(Vector512.ConditionalSelect(positive, r, er), Vector512.ConditionalSelect(positive, er, r), negLogP, negLogQ);
    }

    /// <summary>
    /// <c>exp(−|x|)</c>, and NaN for a non-finite logit, so that it is NaN through every term (docs/runtime.md,
    /// "Non-finite logits"), where <c>σ(±∞)</c> alone would be a finite 0 or 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> ExpOfMinusAbs<T>(Vector512<T> x) where T : IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) && System.Runtime.Intrinsics.X86.Avx512F.IsSupported
            ? SingleLanes.ExpOfMinusAbs(x.AsSingle()).As<float, T>()
            : Exp(-Vector512.Abs(x)) + NonFinite(x);

    /// <summary>
    /// <c>x − x</c>: 0 for a finite logit, NaN for ±∞ or NaN. Added to <c>exp(−|x|)</c>, it makes a non-finite logit
    /// NaN through every term (docs/runtime.md, "Non-finite logits"), where <c>σ(±∞)</c> alone would be a finite 0 or 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> NonFinite<T>(Vector512<T> x) where T : IBinaryFloatingPointIeee754<T> => x - x;

    /// <summary><c>1/a</c>: on AVX-512 float32 lanes <see cref="SingleLanes.Reciprocal"/>, a division otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Reciprocal<T>(Vector512<T> a) where T : IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) && System.Runtime.Intrinsics.X86.Avx512F.IsSupported
            ? SingleLanes.Reciprocal(a.AsSingle()).As<float, T>()
            : Vector512<T>.One / a;

    /// <summary>
    /// <c>σ(x)</c> and <c>σ(−x)</c> from one <c>exp(−|x|)</c> and one division, for the region terms' sums: both keep
    /// their relative precision (no <c>1 − p</c>), so FN and TN stay exact where p rounds to 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sigmoids<T>(Vector512<T> x, out Vector512<T> p, out Vector512<T> q) where T : IBinaryFloatingPointIeee754<T>
    {
        var e = ExpOfMinusAbs(x);
        var r = Vector512<T>.One / (Vector512<T>.One + e);
        var er = e * r;
        var positive = Vector512.GreaterThanOrEqual(x, Vector512<T>.Zero);
        p = Vector512.ConditionalSelect(positive, r, er);
        q = Vector512.ConditionalSelect(positive, er, r);
    }

    /// <summary>
    /// torchvision's sigmoid focal loss <c>ℓ = α_t·(1 − p_t)^γ·BCE(x, y)</c> and <c>dℓ/dx</c>, for <c>γ</c> of
    /// <paramref name="gamma"/> (1 to 4 are multiplies, 0 drops the factor, others use <c>exp(γ·log)</c>).
    /// <paramref name="alphaPositive"/> = α and <paramref name="alphaNegative"/> = 1 − α; both 1 turn α weighting off.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Focal<T>(in Activation<T> a, Vector512<T> y, double gamma, double alphaPositive, double alphaNegative,
        out Vector512<T> value, out Vector512<T> derivative) where T : IBinaryFloatingPointIeee754<T>
    {
        var one = Vector512<T>.One;
        var n = one - y;
        // Each product-sum is one fused multiply-add; all three stay exact for 0/1 targets (one product is 0).
        var ce = Fma(y, a.NegLogP, n * a.NegLogQ);             // BCE with logits
        var nP = n * a.P;
        var dce = Fma(-y, a.Q, nP);                            // p − y without cancellation for 0/1 targets
        var u = Fma(y, a.Q, nP);                               // 1 − p_t
        Vector512<T> m, dm;
        if (gamma == 2) { m = u * u; dm = u * (Fma(y, Splat<T>(-4), Splat<T>(2)) * a.Slope); } // 2u·du, du = (1 − 2y)·p(1 − p)
        else if (gamma == 0) { m = one; dm = Vector512<T>.Zero; }
        else
        {
            var du = (n - y) * a.Slope;                        // d(1 − p_t)/dx
            if (gamma == 1) { m = u; dm = du; }
            else if (gamma == 3) { var u2 = u * u; m = u2 * u; dm = Splat<T>(3) * u2 * du; }
            else if (gamma == 4) { var u2 = u * u; var u3 = u2 * u; m = u3 * u; dm = Splat<T>(4) * u3 * du; }
            else
            {
                // (1 − p_t)^γ = exp(γ·log u) is 0 at u = 0; its derivative γ·m·du/u is 0 there too (du → 0 faster).
                m = Exp(Splat<T>(gamma) * Log(u));
                var positive = Vector512.GreaterThan(u, Vector512<T>.Zero);
                var safeU = Vector512.ConditionalSelect(positive, u, one);
                dm = Vector512.ConditionalSelect(positive, Splat<T>(gamma) * m * (du / safeU), Vector512<T>.Zero);
            }
        }
        value = m * ce;
        derivative = Fma(dm, ce, m * dce);
        if (alphaPositive != 1 || alphaNegative != 1)
        {
            var alpha = Fma(y, Splat<T>(alphaPositive - alphaNegative), Splat<T>(alphaNegative)); // α·y + (1 − α)·(1 − y)
            value *= alpha;
            derivative *= alpha;
        }
    }

    /// <summary>
    /// <see cref="Focal"/> at both binary targets from one activation: value and derivative at <c>y = 1</c> and at
    /// <c>y = 0</c>. Where every target of a segment is 0 or 1, a kernel adds a cell's evaluations with several targets
    /// as <c>c₁·ℓ(y = 1) + c₀·ℓ(y = 0)</c>: far fewer operations than each evaluation on its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FocalBinary<T>(in Activation<T> a, double gamma, double alphaPositive, double alphaNegative,
        out Vector512<T> valueOne, out Vector512<T> derivativeOne, out Vector512<T> valueZero, out Vector512<T> derivativeZero)
        where T : IBinaryFloatingPointIeee754<T>
    {
        // y = 1: 1 − p_t = q, BCE = −log p, dℓ/dx = −α·q^γ·(γ·p·(−log p) + q); y = 0: the same with p and q swapped.
        var one = Power(a.Q, gamma);
        var zero = Power(a.P, gamma);
        if (alphaPositive != 1) one *= Splat<T>(alphaPositive);
        if (alphaNegative != 1) zero *= Splat<T>(alphaNegative);
        valueOne = one * a.NegLogP;
        valueZero = zero * a.NegLogQ;
        derivativeOne = -(one * Fma(Times(gamma, a.P), a.NegLogP, a.Q));
        derivativeZero = zero * Fma(Times(gamma, a.Q), a.NegLogQ, a.P);
    }

    /// <summary><c>u^γ</c> for <c>u</c> in [0, 1]: multiplies for γ of 0 to 4, <c>exp(γ·log u)</c> otherwise (0 at u = 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Power<T>(Vector512<T> u, double gamma) where T : IBinaryFloatingPointIeee754<T> => gamma switch
    {
        0 => Vector512<T>.One,
        1 => u,
        2 => u * u,
        3 => u * u * u,
        4 => u * u * (u * u),
        _ => Exp(Splat<T>(gamma) * Log(u)),
    };

    /// <summary><c>γ·v</c>, an add for γ = 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Times<T>(double gamma, Vector512<T> v) where T : IBinaryFloatingPointIeee754<T> =>
        gamma == 2 ? v + v : Splat<T>(gamma) * v;

    /// <summary>
    /// Whether every target of a segment, its own and its mirror's, is 0 or 1 (<c>y − y²</c> is 0 exactly there), so
    /// that its cells' evaluations can be added up at the two binary targets (<see cref="FocalBinary"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool BinaryTargets<T>(Span<T> targets, Span<T> mirrorTargets, int length) where T : IBinaryFloatingPointIeee754<T>
    {
        var soft = Vector512<T>.Zero;
        for (int k = 0; k < length; k += Vector512<T>.Count)
        {
            var y = Load(targets, k);
            var yT = Load(mirrorTargets, k);
            soft |= Vector512.Abs(Fma(-y, y, y)) | Vector512.Abs(Fma(-yT, yT, yT));
        }
        return soft == Vector512<T>.Zero;
    }

    /// <summary><c>a·b + c</c> rounded once (one instruction where the hardware has FMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c) =>
        typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    /// <summary>
    /// <c>binary_cross_entropy_with_logits</c> with <c>pos_weight</c> on the smoothed target <c>y' = y·targetScale + targetShift</c>
    /// (<c>y(1 − ε) + ε/2</c>): <c>ℓ = −[w₊·y'·log p + (1 − y')·log(1 − p)]</c> and <c>dℓ/dx = (1 − y')·p − w₊·y'·(1 − p)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BinaryCrossEntropy<T>(in Activation<T> a, Vector512<T> y, double posWeight, double targetScale, double targetShift,
        out Vector512<T> value, out Vector512<T> derivative) where T : IBinaryFloatingPointIeee754<T>
    {
        if (targetScale != 1 || targetShift != 0) y = y * Splat<T>(targetScale) + Splat<T>(targetShift);
        var n = Vector512<T>.One - y;
        var py = posWeight == 1 ? y : Splat<T>(posWeight) * y;
        value = Fma(py, a.NegLogP, n * a.NegLogQ);
        derivative = Fma(-py, a.Q, n * a.P);
    }

    /// <summary>
    /// A symmetry penalty <c>φ(d)</c> and <c>φ'(d)</c>: <c>|d|</c>, <c>d²</c>, or PyTorch's <c>huber_loss(d, 0, δ)</c>.
    /// <c>φ'(0) = 0</c> for all three, as PyTorch's autograd has it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Penalty<T>(Vector512<T> d, SymmetryPenalty penalty, double delta, out Vector512<T> value, out Vector512<T> derivative)
        where T : IBinaryFloatingPointIeee754<T>
    {
        var one = Vector512<T>.One;
        d += NonFinite(d); // ±∞ − ±∞ is NaN already; a lone ±∞ becomes NaN too
        var magnitude = Vector512.Abs(d);
        var sign = Vector512.ConditionalSelect(Vector512.GreaterThan(d, Vector512<T>.Zero), one, Vector512<T>.Zero)
                 - Vector512.ConditionalSelect(Vector512.LessThan(d, Vector512<T>.Zero), one, Vector512<T>.Zero);
        // The compiler checks that every member has its arm; the generated kernel passes a constant, so the JIT keeps one.
        (value, derivative) = penalty switch
        {
            SymmetryPenalty.L1 => (magnitude, sign),
            SymmetryPenalty.Mse => (d * d, d + d),
            SymmetryPenalty.Huber => Huber(d, magnitude, sign, delta),
        };
    }

    /// <summary>PyTorch's <c>huber_loss(d, 0, δ)</c> and its derivative, given <c>|d|</c> and <c>sign(d)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<T> Value, Vector512<T> Derivative) Huber<T>(Vector512<T> d, Vector512<T> magnitude, Vector512<T> sign, double delta)
        where T : IBinaryFloatingPointIeee754<T>
    {
        var deltaV = Splat<T>(delta);
        var inside = Vector512.LessThan(magnitude, deltaV);
        return (Vector512.ConditionalSelect(inside, Splat<T>(0.5) * d * d, deltaV * (magnitude - Splat<T>(0.5 * delta))),
                Vector512.ConditionalSelect(inside, d, deltaV * sign));
    }

    /// <summary>
    /// Soft Dice <c>D = 1 − (2TP + s)/(2TP + FP + FN + s)</c> from the soft confusion sums, times <paramref name="scale"/>,
    /// and the coefficients of <c>∂(scale·D)/∂p_k = w_k·(a + b·y_k)</c>; 0 when nothing is covered (TP + FP + FN + TN = Σw = 0).
    /// </summary>
    public static double Dice(double tp, double fp, double fn, double tn, double smooth, double scale, out double a, out double b)
    {
        if (tp + fp + fn + tn <= 0) return Empty(out a, out b); // a NaN sum (a non-finite logit) stays NaN
        var numerator = 2 * tp + smooth;
        var denominator = 2 * tp + fp + fn + smooth;
        a = scale * numerator / (denominator * denominator);
        b = -2 * scale / denominator;
        return scale * (1 - numerator / denominator);
    }

    /// <summary>
    /// Soft Jaccard <c>J = 1 − (TP + s)/(TP + FP + FN + s)</c> from the soft confusion sums, times <paramref name="scale"/>,
    /// and the coefficients of <c>∂(scale·J)/∂p_k = w_k·(a + b·y_k)</c>; 0 when nothing is covered.
    /// </summary>
    public static double Jaccard(double tp, double fp, double fn, double tn, double smooth, double scale, out double a, out double b)
    {
        if (tp + fp + fn + tn <= 0) return Empty(out a, out b); // a NaN sum (a non-finite logit) stays NaN
        // ∂U/∂p_k = w_k·(1 − y_k) for the union U, ∂I/∂p_k = w_k·y_k for the intersection I = TP + s.
        var intersection = tp + smooth;
        var union = tp + fp + fn + smooth;
        var ratio = intersection / union;
        a = scale * ratio / union;
        b = -scale * (1 + ratio) / union;
        return scale * (1 - ratio);
    }

    /// <summary>
    /// Soft MCC loss <c>1 − MCC</c> with ε = <paramref name="smooth"/> added to each of TP, FP, FN and TN, times
    /// <paramref name="scale"/>, and the coefficients of its gradient <c>w_k·(a + b·y_k)</c>; 0 when nothing is covered.
    /// </summary>
    public static double MatthewsCorrelation(double tp, double fp, double fn, double tn, double smooth, double scale, out double a, out double b)
    {
        if (tp + fp + fn + tn <= 0) return Empty(out a, out b); // a NaN sum (a non-finite logit) stays NaN
        double tpE = tp + smooth, fpE = fp + smooth, fnE = fn + smooth, tnE = tn + smooth;
        // The four factors of the denominator: ∂/∂p_k of TP + FP is w_k, of TN + FN is −w_k, the other two are constant.
        double predictedPositive = tpE + fpE, actualPositive = tpE + fnE, actualNegative = tnE + fpE, predictedNegative = tnE + fnE;
        var root = Math.Sqrt(predictedPositive * actualPositive * actualNegative * predictedNegative);
        var mcc = (tpE * tnE - fpE * fnE) / root;
        // ∂(TP·TN − FP·FN)/∂p_k = w_k·(y_k·(TP + FN + TN + FP) − (TP + FN)), all with ε.
        a = scale * (actualPositive / root + 0.5 * mcc * (1 / predictedPositive - 1 / predictedNegative));
        b = -scale * (actualPositive + actualNegative) / root;
        return scale * (1 - mcc);
    }

    /// <summary>
    /// (Focal) Tversky <c>T = (1 − (TP + s)/(TP + α·FP + β·FN + s))^γ</c> from the soft confusion sums, times
    /// <paramref name="scale"/>, and the coefficients of <c>∂(scale·T)/∂p_k = w_k·(a + b·y_k)</c>; 0 when nothing is covered.
    /// </summary>
    public static double Tversky(double tp, double fp, double fn, double tn, double alpha, double beta, double gamma, double smooth,
        double scale, out double a, out double b)
    {
        if (tp + fp + fn + tn <= 0) return Empty(out a, out b); // a NaN sum (a non-finite logit) stays NaN
        var denominator = tp + alpha * fp + beta * fn + smooth;
        var ratio = (tp + smooth) / denominator;
        var complement = 1 - ratio;
        if (gamma < 1 && complement <= 0)
        {
            // At its minimum 0 c^γ with γ < 1 has an infinite slope; the gradient is taken as 0 there, as in
            // LossOps.Tversky, so that it stays finite.
            return Empty(out a, out b);
        }
        var value = gamma == 1 ? complement : Math.Pow(complement, gamma);
        // dT/dR = −γ(1 − R)^(γ−1); dR/dp_k = w_k·(−R·α + y_k·(1 − R·(1 − α − β)))/den.
        var slope = gamma == 1 ? -1.0 : -gamma * Math.Pow(complement, gamma - 1);
        a = scale * slope * (-ratio * alpha) / denominator;
        b = scale * slope * (1 - ratio * (1 - alpha - beta)) / denominator;
        return scale * value;
    }

    /// <summary>A region term of a sample (or batch) with no covered cell: 0, with a zero gradient.</summary>
    private static double Empty(out double a, out double b)
    {
        a = 0;
        b = 0;
        return 0;
    }
}
