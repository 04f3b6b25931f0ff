using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LossDsl.Fused;

/// <summary>
/// The transcendental functions of the fused kernels for float32 lanes, sixteen at a time: the float32 counterparts
/// of <see cref="DoubleLanes"/>, with constants and polynomial lengths for float32's 24-bit mantissa (about 1 ulp).
/// </summary>
internal static class SingleLanes
{
    // exp: x = k·ln 2 + r (Cody–Waite with Cephes' split of ln 2), exp(r) = 1 + r + r²·P(r) (about 1 ulp on
    // |r| ≤ ln 2 / 2), 2^k from the bits.
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;
    private const float RoundingMagic = 12582912f; // 1.5·2^23: adding it rounds to an integer held in the low bits

    /// <summary>
    /// <c>eˣ</c> to about 1 ulp for <c>x ≤ 88.7</c>, subnormal results included (a gradient of saturated logits can be
    /// all subnormal, and flushing it to 0 loses all of it); 0 below −103.97, where float32 has nothing left.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        if (Avx512F.IsSupported) return ExpScaled(x);
        var magic = Vector512.Create(RoundingMagic);
        var t = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), magic);
        var k = t - magic;
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Lo), r);
        var p = ExpPolynomial(r);
        // 2^k as 2^⌊k/2⌋·2^(k − ⌊k/2⌋): both factors stay normal down to k = −150, so subnormal results round once.
        var exponent = t.AsInt32() - magic.AsInt32();
        var half = Vector512.ShiftRightArithmetic(exponent, 1);
        var bias = Vector512.Create(127);
        var result = p * Vector512.ShiftLeft(half + bias, 23).AsSingle() * Vector512.ShiftLeft(exponent - half + bias, 23).AsSingle();
        result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-103.97f)), Vector512<float>.Zero, result);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(88.72f)), Vector512.Create(float.PositiveInfinity), result);
    }

    /// <summary>
    /// <c>exp(−|x|)</c>, NaN for ±∞ or NaN, on AVX-512: one <c>vfixupimmps</c> turns ±∞ into NaN, and the argument,
    /// never above 0, needs only the lower clamp (taken so that NaN goes through).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ExpOfMinusAbs(Vector512<float> x)
    {
        // Per input class, from QNaN to positive: QNaN, QNaN, itself, itself, QNaN (−∞), QNaN (+∞), itself, itself.
        var v = Avx512F.Fixup(x, -Vector512.Abs(x), Vector512.Create(0x11331133), 0);
        v = Vector512.MaxNative(Vector512.Create(-104f), v); // vmaxps returns its second operand when one is NaN
        var k = Avx512F.RoundScale(v * Vector512.Create(Log2E), 0);
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi), v);
        r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Lo), r);
        return Avx512F.Scale(ExpPolynomial(r), k);
    }

    /// <summary>
    /// <see cref="Exp"/> with AVX-512's <c>vscalefps</c> for the <c>2^k</c>: it rounds subnormal results once and
    /// saturates to 0 and ∞ by itself, which saves the two-factor scaling and both range checks (half the operations).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpScaled(Vector512<float> x)
    {
        // Clamped so that k stays small enough for r to be exact: e^±104 is already 0 or ∞ in float32.
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-104f)), Vector512.Create(104f));
        var k = Avx512F.RoundScale(x * Vector512.Create(Log2E), 0); // round to nearest
        var r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(k, Vector512.Create(-Ln2Lo), r);
        return Avx512F.Scale(ExpPolynomial(r), k);
    }

    /// <summary>
    /// <c>exp(r)</c> for <c>|r| ≤ ln 2 / 2</c>: <c>1 + r + r²·P(r)</c>, <c>P</c> of degree 4 fitted for the least largest
    /// relative error by docs/lanes/fit_polynomials.py (3e-9 exactly, 1.2e-7 in float32 lanes, as Cephes' expf with
    /// <c>P</c> of degree 5 gave), by Estrin's scheme: a multiply fewer, no longer a chain.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpPolynomial(Vector512<float> r)
    {
        var r2 = r * r;
        var low = Vector512.FusedMultiplyAdd(r, Vector512.Create(1.666652113e-01f), Vector512.Create(4.999999404e-01f));
        var high = Vector512.FusedMultiplyAdd(r, Vector512.Create(8.368710056e-03f), Vector512.Create(4.166838899e-02f));
        high = Vector512.FusedMultiplyAdd(r2, Vector512.Create(1.381460461e-03f), high);
        var p = Vector512.FusedMultiplyAdd(high, r2, low);
        return Vector512.FusedMultiplyAdd(p, r2, r + Vector512<float>.One);
    }

    /// <summary>
    /// <c>log(1 + e) = 2·atanh(s) = 2s + s·z·Q(z)</c> for <c>e</c> in [0, 1], given <c>s = e/(2 + e)</c> in [0, 1/3]
    /// and <c>z = s²</c>, so no range reduction is needed: on AVX-512, what <see cref="Log1pKernel"/> computes. <c>Q</c>
    /// is of degree 3, fitted on [0, 1/9] for the least largest relative error by docs/lanes/fit_polynomials.py (4e-9 exactly,
    /// 1.2e-7 in float32 lanes, as the atanh series to <c>z⁶</c> gave with two multiplies more).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Log1pSeries(Vector512<float> s)
    {
        var z = s * s;
        var q = Vector512.FusedMultiplyAdd(z, Vector512.Create(2.801195085e-01f), Vector512.Create(2.800181210e-01f));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(4.002152681e-01f));
        q = Vector512.FusedMultiplyAdd(q, z, Vector512.Create(6.666641831e-01f));
        return Vector512.FusedMultiplyAdd(s * z, q, s + s);
    }

    /// <summary>
    /// <c>1/a</c> for normal positive <c>a</c> (the activation's <c>(1 + e)(2 + f)</c>), on AVX-512: <c>vrcp14ps</c>'s 14 bits and one
    /// Newton step give 28, within an ulp, at a fraction of a 16-lane division's cost.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reciprocal(Vector512<float> a)
    {
        var r = Avx512F.Reciprocal14(a);
        return r * Avx512F.FusedMultiplyAddNegated(a, r, Vector512.Create(2f));
    }

    // musl's logf kernel: log(1 + f) = 2·atanh(s), s = f/(2 + f), a 4-term minimax polynomial in s² (error < 2^-34).
    private const float Lg1 = 0.66666662693f, Lg2 = 0.40000972152f, Lg3 = 0.28498786688f, Lg4 = 0.24279078841f;
    private const float LogLn2Hi = 6.9313812256e-01f, LogLn2Lo = 9.0580006145e-06f;

    /// <summary><c>1 + e = 2^k·(1 + f)</c> with <c>1 + f</c> in [√2/2, √2], computed without rounding <c>1 + e</c> (on AVX-512: <c>k = 0</c>, <c>f = e</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log1pArgument(Vector512<float> e, out Vector512<float> k)
    {
        if (Avx512F.IsSupported)
        {
            // The AVX-512 kernel is the series on all of [0, 1]: no reduction, f = e.
            k = Vector512<float>.Zero;
            return e;
        }
        var big = Vector512.GreaterThan(e, Vector512.Create(0.41421356237f));
        k = Vector512.ConditionalSelect(big, Vector512<float>.One, Vector512<float>.Zero);
        return Vector512.ConditionalSelect(big, (e - Vector512<float>.One) * Vector512.Create(0.5f), e);
    }

    /// <summary><c>k·ln 2 + log(1 + f)</c> given <c>s = f/(2 + f)</c> (on AVX-512 from <c>s</c> alone, see <see cref="Log1pSeries"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log1pKernel(Vector512<float> f, Vector512<float> s, Vector512<float> k)
    {
        if (Avx512F.IsSupported) return Log1pSeries(s);
        var z = s * s;
        var w = z * z;
        var t1 = w * Vector512.FusedMultiplyAdd(w, Vector512.Create(Lg4), Vector512.Create(Lg2));
        var t2 = z * Vector512.FusedMultiplyAdd(w, Vector512.Create(Lg3), Vector512.Create(Lg1));
        var halfSquare = Vector512.Create(0.5f) * f * f;
        var log1pf = f - (halfSquare - s * (halfSquare + t1 + t2));
        return Vector512.FusedMultiplyAdd(k, Vector512.Create(LogLn2Hi), log1pf + k * Vector512.Create(LogLn2Lo));
    }
}
