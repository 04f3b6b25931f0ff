using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>
/// Tensor arithmetic with scalars that stay alive until libtorch is done with them. TorchSharp 0.107 passes libtorch
/// the <see cref="Scalar"/> an implicit conversion makes (the <c>c</c> of <c>x * c</c>, <c>1 - x</c> or <c>x &gt; c</c>,
/// and the <c>alpha = 1</c> of <c>x + y</c>) and leaves it to the finalizer, unreachable, while the native call runs: a
/// GC started by any other thread during that call frees it under libtorch ("Unknown scalar type", or a failed
/// <c>toFloat</c> check; dotnet/TorchSharp#1434). The composed path failed that way within 2 s beside a thread that
/// allocates. Library code calls these instead of the operators; a test scans the assembly for the unsafe ones.
/// </summary>
internal static class KeptScalars
{
    /// <summary>The <c>alpha</c> of every sum, alive for the whole process (<c>add(Scalar)</c> would make its own).</summary>
    private static readonly Scalar One = 1.ToScalar();

    /// <summary><c>a + b</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a + weight·b</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b, double weight)
    {
        if (weight == 1) return a.Plus(b);
        using var alpha = weight.ToScalar();
        return a.add(b, alpha);
    }

    /// <summary><c>a + c</c>.</summary>
    public static Tensor Plus(this Tensor a, double c) => With(a, c, static (t, s) => t.add(s, One));

    /// <summary><c>a += c</c> in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, double c) => With(a, c, static (t, s) => t.add_(s, One));

    /// <summary><c>a · c</c>.</summary>
    public static Tensor Times(this Tensor a, double c) => With(a, c, static (t, s) => t.mul(s));

    /// <summary><c>a ·= c</c> in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, double c) => With(a, c, static (t, s) => t.mul_(s));

    /// <summary><c>a / c</c>.</summary>
    public static Tensor Over(this Tensor a, double c) => With(a, c, static (t, s) => t.div(s));

    /// <summary><c>c − a</c>.</summary>
    public static Tensor SubtractedFrom(this Tensor a, double c) => With(a, c, static (t, s) => t.neg().add_(s, One));

    /// <summary><c>a^c</c>.</summary>
    public static Tensor Power(this Tensor a, double c) => With(a, c, static (t, s) => t.pow(s));

    /// <summary><c>a &gt; c</c>.</summary>
    public static Tensor Above(this Tensor a, double c) => With(a, c, static (t, s) => t.gt(s));

    /// <summary><c>a ≥ c</c>.</summary>
    public static Tensor AtLeast(this Tensor a, double c) => With(a, c, static (t, s) => t.ge(s));

    /// <summary><c>a &lt; c</c>.</summary>
    public static Tensor Below(this Tensor a, double c) => With(a, c, static (t, s) => t.lt(s));

    /// <summary><c>a ≠ c</c>.</summary>
    public static Tensor NotEqualTo(this Tensor a, double c) => With(a, c, static (t, s) => t.ne(s));

    /// <summary><c>a ≤ c</c>.</summary>
    public static Tensor AtMost(this Tensor a, double c) => With(a, c, static (t, s) => t.le(s));

    /// <summary><c>op(a, c)</c> with <c>c</c> as a Scalar that lives until <paramref name="op"/> returns.</summary>
    private static Tensor With(Tensor a, double c, System.Func<Tensor, Scalar, Tensor> op)
    {
        using var s = c.ToScalar();
        return op(a, s);
    }

    /// <summary><c>a + c·b·d</c> (<c>addcmul</c>).</summary>
    public static Tensor PlusProduct(this Tensor a, Tensor b, Tensor d, double c)
    {
        using var s = c.ToScalar();
        return a.addcmul(b, d, s);
    }

    /// <summary><c>0, 1, …, n − 1</c> as int64 on <paramref name="device"/>.</summary>
    public static Tensor Range(long n, Device? device)
    {
        using var end = n.ToScalar();
        return arange(end, device: device);
    }

    /// <summary><c>start, …, end − 1</c> in <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public static Tensor Range(long start, long end, ScalarType dtype, Device? device)
    {
        using var from = start.ToScalar();
        using var to = end.ToScalar();
        return arange(from, to, dtype, device: device);
    }
}
