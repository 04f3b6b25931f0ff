using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LossDsl.Fused;

/// <summary>
/// The transcendental functions of the fused kernels for float64 lanes, eight at a time (<see cref="SingleLanes"/> has
/// their float32 counterparts); <see cref="FusedMath"/> picks one by the element type.
/// </summary>
internal static class DoubleLanes
{
    // exp: x = k·ln 2 + r with |r| ≤ ln 2 / 2 (Cody–Waite), exp(r) by its Taylor series to r¹³/13! (error < 2e-16),
    // 2^k from the bits: several times faster than .NET 10's Vector512.Exp (docs/performance-tunings.md).
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10;
    private const double RoundingMagic = 6755399441055744.0; // 1.5·2^52: adding it rounds to an integer held in the low bits

    /// <summary><c>eˣ</c> to about 1 ulp for <c>x ≤ 709</c>, subnormal results included; 0 below −745.13, where float64 has nothing left.</summary>
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
        // 2^k as 2^⌊k/2⌋·2^(k − ⌊k/2⌋): both factors stay normal down to k = −1075, so subnormal results round once.
        var exponent = t.AsInt64() - magic.AsInt64();
        var half = Vector512.ShiftRightArithmetic(exponent, 1);
        var bias = Vector512.Create(1023L);
        var result = p * Vector512.ShiftLeft(half + bias, 52).AsDouble() * Vector512.ShiftLeft(exponent - half + bias, 52).AsDouble();
        result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-745.13)), Vector512<double>.Zero, result);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(709.78)), Vector512.Create(double.PositiveInfinity), result);
    }

    // fdlibm's log kernel: log(1 + f) = 2·atanh(s), s = f/(2 + f), with its minimax polynomial in s².
    private const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
        Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01, Lg7 = 1.479819860511658591e-01;

    /// <summary><c>1 + e = 2^k·(1 + f)</c> with <c>1 + f</c> in [√2/2, √2], computed without rounding <c>1 + e</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log1pArgument(Vector512<double> e, out Vector512<double> k)
    {
        var big = Vector512.GreaterThan(e, Vector512.Create(0.41421356237309503));
        k = Vector512.ConditionalSelect(big, Vector512<double>.One, Vector512<double>.Zero);
        return Vector512.ConditionalSelect(big, (e - Vector512<double>.One) * Vector512.Create(0.5), e);
    }

    /// <summary><c>k·ln 2 + log(1 + f)</c> given <c>s = f/(2 + f)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Log1pKernel(Vector512<double> f, Vector512<double> s, Vector512<double> k)
    {
        var z = s * s;
        var w = z * z;
        var t1 = w * Vector512.FusedMultiplyAdd(w, Vector512.FusedMultiplyAdd(w, Vector512.Create(Lg6), Vector512.Create(Lg4)), Vector512.Create(Lg2));
        var t2 = z * Vector512.FusedMultiplyAdd(w, Vector512.FusedMultiplyAdd(w, Vector512.FusedMultiplyAdd(w, Vector512.Create(Lg7), Vector512.Create(Lg5)), Vector512.Create(Lg3)), Vector512.Create(Lg1));
        var halfSquare = Vector512.Create(0.5) * f * f;
        var log1pf = f - (halfSquare - s * (halfSquare + t1 + t2));
        return Vector512.FusedMultiplyAdd(k, Vector512.Create(Ln2Hi), log1pf + k * Vector512.Create(Ln2Lo));
    }
}
