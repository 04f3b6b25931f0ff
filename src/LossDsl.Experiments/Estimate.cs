using System;
using System.Globalization;

namespace LossDsl.Experiments;

/// <summary>A point estimate with a 95 % interval (<see cref="Low"/> = <see cref="High"/> = <see cref="Value"/> when there is none).</summary>
public readonly record struct Estimate(double Value, double Low, double High)
{
    /// <summary>The two-sided p-value of "the true value is 0" (NaN where none was computed).</summary>
    public double P { get; init; } = double.NaN;

    /// <summary>The number of seeds behind it.</summary>
    public int Seeds { get; init; }

    /// <summary>Whether an interval was computed (at least two seeds).</summary>
    public bool HasInterval => Seeds >= 2;

    /// <summary><c>0.123 [0.110, 0.136]</c>, or <c>+0.004 [−0.010, +0.018]</c> with <paramref name="signed"/>; minus signs are U+2212.</summary>
    public string Show(int digits = 3, bool signed = false) => HasInterval
        ? $"{Number(Value, digits, signed)} [{Number(Low, digits, signed)}, {Number(High, digits, signed)}]"
        : $"{Number(Value, digits, signed)} (1 seed, no interval)";

    /// <summary>One number with <paramref name="digits"/> decimals; a value that rounds to zero has no minus sign.</summary>
    public static string Number(double x, int digits, bool signed = false)
    {
        var rounded = Math.Round(x, digits);
        var text = Math.Abs(rounded).ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return rounded < 0 ? "−" + text : signed ? "+" + text : text;
    }
}
