using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LossDsl.Fused;

/// <summary>The sigmoid activations of eight logits, shared by every term evaluated at those cells.</summary>
/// <param name="P"><c>p = σ(x)</c>.</param>
/// <param name="Q"><c>1 − p = σ(−x)</c>, computed directly so it keeps its relative precision when tiny.</param>
/// <param name="LogP"><c>log p</c>.</param>
/// <param name="LogQ"><c>log(1 − p)</c>.</param>
public readonly record struct Activation(Vector512<double> P, Vector512<double> Q, Vector512<double> LogP, Vector512<double> LogQ)
{
    /// <summary><c>p·(1 − p) = dp/dx</c>, exact also for saturated logits (from <c>1 − p</c> computed directly).</summary>
    public Vector512<double> Slope => P * Q;
}

/// <summary>
/// The per-cell math of the fused kernels, eight float64 lanes at a time: each function returns a term's value
/// and its derivative with respect to the logit, so one pass over the data gives both. The generated kernels
/// call these with their constants as literals; everything is inlined into the kernel's loop.
/// Formulas follow docs/attributes.md and match <see cref="LossOps"/> (the composed path).
/// <para>
/// Why <see cref="Vector512{T}"/>: the chain exp → log1p → loss is long, so one 4-lane chain per iteration leaves the
/// core waiting; eight lanes are two independent chains. Measured on this project's 2-core AMD EPYC (activation and
/// focal loss over 2M doubles, one thread): Vector256 9.6 ms, Vector512 5.1 ms, and 6.9 ms with AVX-512 switched off
/// (DOTNET_EnableAVX512F=0), where .NET runs each Vector512 operation as two Vector256 ones.
/// </para>
/// </summary>
/// <remarks>Called by generated kernels; not meant to be called directly (its signatures follow the generator).</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FusedMath
{
    /// <summary>Eight doubles from <paramref name="span"/> at <paramref name="k"/> (the caller keeps <c>k + 8 ≤ Length</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(Span<double> span, int k) =>
        Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)k);

    /// <summary>Stores eight doubles into <paramref name="span"/> at <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Span<double> span, int k, Vector512<double> value) =>
        value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)k);

    /// <summary>Eight copies of <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Splat(double value) => Vector512.Create(value);

    /// <summary>
    /// <c>σ(x)</c>, <c>σ(−x)</c> and their logs from one <c>exp(−|x|)</c>, one <c>log1p</c> and one division (shared
    /// by <c>1/(1 + e)</c> and the log's <c>f/(2 + f)</c>): finite for any finite x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Activation Activate(Vector512<double> x)
    {
        var e = Exp(-Vector512.Abs(x));                       // in [0, 1]
        var onePlusE = Vector512<double>.One + e;
        var f = Log1pArgument(e, out var k);
        var twoPlusF = Vector512.Create(2.0) + f;
        var d = Vector512<double>.One / (onePlusE * twoPlusF);
        var r = twoPlusF * d;                                 // 1/(1 + e)
        var softplus = Log1pKernel(f, f * onePlusE * d, k);  // log(1 + e), s = f/(2 + f)
        var er = e * r;
        var positive = Vector512.GreaterThanOrEqual(x, Vector512<double>.Zero);
        var logP = Vector512.Min(x, Vector512<double>.Zero) - softplus;
        var logQ = -Vector512.Max(x, Vector512<double>.Zero) - softplus;
        return new Activation(Vector512.ConditionalSelect(positive, r, er), Vector512.ConditionalSelect(positive, er, r), logP, logQ);
    }

    /// <summary><c>σ(x)</c> alone, for the region terms' sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Sigmoid(Vector512<double> x)
    {
        var e = Exp(-Vector512.Abs(x));
        var r = Vector512<double>.One / (Vector512<double>.One + e);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<double>.Zero), r, e * r);
    }

    // exp: x = k·ln 2 + r with |r| ≤ ln 2 / 2 (Cody–Waite), exp(r) by its Taylor series to r¹³/13! (error < 2e-16),
    // 2^k from the bits. .NET 10's Vector512.Exp measured ~4 ns per double on this machine; this is several times faster.
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10;
    private const double RoundingMagic = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer held in the low bits

    /// <summary><c>eˣ</c> to about 1 ulp for <c>x ≤ 709</c>; 0 below −708.39, where it would leave the normal range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        var magic = Vector512.Create(RoundingMagic);
        var t = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), magic);
        var k = t - magic;
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Lo), r);
        // Estrin's scheme: the loop runs several of these at once only if each is short, so depth beats count here.
        var r2 = r * r;
        var r4 = r2 * r2;
        var r8 = r4 * r4;
        var a0 = r + Vector512<double>.One;
        var a1 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 6), Vector512.Create(0.5));
        var a2 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 120), Vector512.Create(1.0 / 24));
        var a3 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 5040), Vector512.Create(1.0 / 720));
        var a4 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 362880), Vector512.Create(1.0 / 40320));
        var a5 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 39916800), Vector512.Create(1.0 / 3628800));
        var a6 = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.0 / 6227020800), Vector512.Create(1.0 / 479001600));
        var b0 = Vector512.FusedMultiplyAdd(a1, r2, a0);
        var b1 = Vector512.FusedMultiplyAdd(a3, r2, a2);
        var b2 = Vector512.FusedMultiplyAdd(a5, r2, a4);
        var c0 = Vector512.FusedMultiplyAdd(b1, r4, b0);
        var c1 = Vector512.FusedMultiplyAdd(a6, r4, b2);
        var p = Vector512.FusedMultiplyAdd(c1, r8, c0);
        // Out-of-range lanes get a meaningless exponent here; the selects below replace them.
        var scale = Vector512.ShiftLeft(t.AsInt64() - magic.AsInt64() + Vector512.Create(1023L), 52).AsDouble();
        var result = p * scale;
        result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-708.39)), Vector512<double>.Zero, result);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(709.78)), Vector512.Create(double.PositiveInfinity), result);
    }

    // fdlibm's log kernel: log(1 + f) = 2·atanh(s), s = f/(2 + f), with its minimax polynomial in s².
    private const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
        Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01, Lg7 = 1.479819860511658591e-01;

    /// <summary>
    /// <c>log(1 + e)</c> for <c>e</c> in [0, 1], to about 1 ulp also when <c>e</c> is tiny: <c>1 + e</c> is never
    /// rounded; above √2 − 1 it is halved exactly (<c>f = (e − 1)/2</c>, one ln 2 added back).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log1pUnit(Vector512<double> e)
    {
        var f = Log1pArgument(e, out var k);
        return Log1pKernel(f, f / (Vector512.Create(2.0) + f), k);
    }

    /// <summary><c>1 + e = 2^k·(1 + f)</c> with <c>1 + f</c> in [√2/2, √2], computed without rounding <c>1 + e</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Log1pArgument(Vector512<double> e, out Vector512<double> k)
    {
        var big = Vector512.GreaterThan(e, Vector512.Create(0.41421356237309503));
        k = Vector512.ConditionalSelect(big, Vector512<double>.One, Vector512<double>.Zero);
        return Vector512.ConditionalSelect(big, (e - Vector512<double>.One) * Vector512.Create(0.5), e);
    }

    /// <summary><c>k·ln 2 + log(1 + f)</c> given <c>s = f/(2 + f)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Log1pKernel(Vector512<double> f, Vector512<double> s, Vector512<double> k)
    {
        var z = s * s;
        var w = z * z;
        var t1 = w * Vector512.FusedMultiplyAdd(w, Vector512.FusedMultiplyAdd(w, Vector512.Create(Lg6), Vector512.Create(Lg4)), Vector512.Create(Lg2));
        var t2 = z * Vector512.FusedMultiplyAdd(w, Vector512.FusedMultiplyAdd(w, Vector512.FusedMultiplyAdd(w, Vector512.Create(Lg7), Vector512.Create(Lg5)), Vector512.Create(Lg3)), Vector512.Create(Lg1));
        var halfSquare = Vector512.Create(0.5) * f * f;
        var log1pf = f - (halfSquare - s * (halfSquare + t1 + t2));
        return Vector512.FusedMultiplyAdd(k, Vector512.Create(Ln2Hi), log1pf + k * Vector512.Create(Ln2Lo));
    }

    /// <summary>
    /// torchvision's sigmoid focal loss <c>ℓ = α_t·(1 − p_t)^γ·BCE(x, y)</c> and <c>dℓ/dx</c>, for <c>γ</c> of
    /// <paramref name="gamma"/> (1 to 4 are multiplies, 0 drops the factor, others use <c>exp(γ·log)</c>).
    /// <paramref name="alphaPositive"/> = α and <paramref name="alphaNegative"/> = 1 − α; both 1 turn α weighting off.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Focal(in Activation a, Vector512<double> y, double gamma, double alphaPositive, double alphaNegative,
        out Vector512<double> value, out Vector512<double> derivative)
    {
        var one = Vector512<double>.One;
        var n = one - y;
        var ce = -(y * a.LogP + n * a.LogQ);                 // BCE with logits
        var dce = n * a.P - y * a.Q;                          // p − y without cancellation for 0/1 targets
        var u = y * a.Q + n * a.P;                            // 1 − p_t
        var du = (n - y) * a.Slope;                           // d(1 − p_t)/dx
        Vector512<double> m, dm;
        if (gamma == 2) { m = u * u; dm = (u + u) * du; }
        else if (gamma == 1) { m = u; dm = du; }
        else if (gamma == 0) { m = one; dm = Vector512<double>.Zero; }
        else if (gamma == 3) { var u2 = u * u; m = u2 * u; dm = Vector512.Create(3.0) * u2 * du; }
        else if (gamma == 4) { var u2 = u * u; var u3 = u2 * u; m = u3 * u; dm = Vector512.Create(4.0) * u3 * du; }
        else
        {
            // (1 − p_t)^γ = exp(γ·log u) is 0 at u = 0; its derivative γ·m·du/u is 0 there too (du → 0 faster).
            m = Exp(Vector512.Create(gamma) * Vector512.Log(u));
            var positive = Vector512.GreaterThan(u, Vector512<double>.Zero);
            var safeU = Vector512.ConditionalSelect(positive, u, one);
            dm = Vector512.ConditionalSelect(positive, Vector512.Create(gamma) * m * (du / safeU), Vector512<double>.Zero);
        }
        value = m * ce;
        derivative = dm * ce + m * dce;
        if (alphaPositive != 1 || alphaNegative != 1)
        {
            var alpha = Vector512.Create(alphaPositive) * y + Vector512.Create(alphaNegative) * n;
            value *= alpha;
            derivative *= alpha;
        }
    }

    /// <summary>
    /// <c>binary_cross_entropy_with_logits</c> with <c>pos_weight</c> on the smoothed target <c>y' = y·targetScale + targetShift</c>
    /// (<c>y(1 − ε) + ε/2</c>): <c>ℓ = −[w₊·y'·log p + (1 − y')·log(1 − p)]</c> and <c>dℓ/dx = (1 − y')·p − w₊·y'·(1 − p)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BinaryCrossEntropy(in Activation a, Vector512<double> y, double posWeight, double targetScale, double targetShift,
        out Vector512<double> value, out Vector512<double> derivative)
    {
        if (targetScale != 1 || targetShift != 0) y = y * Vector512.Create(targetScale) + Vector512.Create(targetShift);
        var n = Vector512<double>.One - y;
        var py = posWeight == 1 ? y : Vector512.Create(posWeight) * y;
        value = -(py * a.LogP + n * a.LogQ);
        derivative = n * a.P - py * a.Q;
    }

    /// <summary>
    /// A symmetry penalty <c>φ(d)</c> and <c>φ'(d)</c>: <c>|d|</c>, <c>d²</c>, or PyTorch's <c>huber_loss(d, 0, δ)</c>.
    /// <c>φ'(0) = 0</c> for all three, as PyTorch's autograd has it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Penalty(Vector512<double> d, SymmetryPenalty penalty, double delta, out Vector512<double> value, out Vector512<double> derivative)
    {
        var magnitude = Vector512.Abs(d);
        var sign = Vector512.ConditionalSelect(Vector512.GreaterThan(d, Vector512<double>.Zero), Vector512<double>.One, Vector512<double>.Zero)
                 - Vector512.ConditionalSelect(Vector512.LessThan(d, Vector512<double>.Zero), Vector512<double>.One, Vector512<double>.Zero);
        if (penalty == SymmetryPenalty.L1) { value = magnitude; derivative = sign; return; }
        if (penalty == SymmetryPenalty.Mse) { value = d * d; derivative = d + d; return; }
        var deltaV = Vector512.Create(delta);
        var inside = Vector512.LessThan(magnitude, deltaV);
        value = Vector512.ConditionalSelect(inside, Vector512.Create(0.5) * d * d, deltaV * (magnitude - Vector512.Create(0.5 * delta)));
        derivative = Vector512.ConditionalSelect(inside, d, deltaV * sign);
    }

    /// <summary>
    /// Soft Dice <c>D = 1 − (2TP + s)/(ΣP + ΣY + s)</c> from its sums, times <paramref name="scale"/>, and the
    /// coefficients of <c>∂(scale·D)/∂p_k = w_k·(a + b·y_k)</c>; 0 when nothing is covered (<paramref name="covered"/> = Σw = 0).
    /// </summary>
    public static double Dice(double tp, double predicted, double positive, double covered, double smooth, double scale, out double a, out double b)
    {
        if (!(covered > 0)) return Empty(out a, out b);
        var numerator = 2 * tp + smooth;
        var denominator = predicted + positive + smooth;
        a = scale * numerator / (denominator * denominator);
        b = -2 * scale / denominator;
        return scale * (1 - numerator / denominator);
    }

    /// <summary>
    /// Soft Jaccard <c>J = 1 − (TP + s)/(ΣP + ΣY − TP + s)</c> from its sums, times <paramref name="scale"/>, and the
    /// coefficients of <c>∂(scale·J)/∂p_k = w_k·(a + b·y_k)</c>; 0 when nothing is covered.
    /// </summary>
    public static double Jaccard(double tp, double predicted, double positive, double covered, double smooth, double scale, out double a, out double b)
    {
        if (!(covered > 0)) return Empty(out a, out b);
        // ∂U/∂p_k = w_k·(1 − y_k) for the union U, ∂I/∂p_k = w_k·y_k for the intersection I = TP + s.
        var intersection = tp + smooth;
        var union = predicted + positive - tp + smooth;
        var ratio = intersection / union;
        a = scale * ratio / union;
        b = -scale * (1 + ratio) / union;
        return scale * (1 - ratio);
    }

    /// <summary>
    /// Soft MCC loss <c>1 − MCC</c> with ε = <paramref name="smooth"/> added to each of TP, FP, FN and
    /// <c>TN = Σw − ΣP − ΣY + TP</c>, times <paramref name="scale"/>, and the coefficients of its gradient
    /// <c>w_k·(a + b·y_k)</c>; 0 when nothing is covered.
    /// </summary>
    public static double MatthewsCorrelation(double tp, double predicted, double positive, double covered, double smooth, double scale,
        out double a, out double b)
    {
        if (!(covered > 0)) return Empty(out a, out b);
        double fp = predicted - tp, fn = positive - tp, tn = covered - predicted - fn;
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
    /// (Focal) Tversky <c>T = (1 − (TP + s)/(TP + α·FP + β·FN + s))^γ</c> from its sums, times <paramref name="scale"/>,
    /// and the coefficients of <c>∂(scale·T)/∂p_k = w_k·(a + b·y_k)</c>; 0 when nothing is covered.
    /// </summary>
    public static double Tversky(double tp, double predicted, double positive, double covered, double alpha, double beta, double gamma, double smooth,
        double scale, out double a, out double b)
    {
        if (!(covered > 0)) return Empty(out a, out b);
        var denominator = tp + alpha * (predicted - tp) + beta * (positive - tp) + smooth;
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
