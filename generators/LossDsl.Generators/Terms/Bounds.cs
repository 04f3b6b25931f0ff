namespace LossDsl.Generators.Terms;

/// <summary>
/// A parameter's valid range; either side may be open or unbounded (±∞). <see cref="Nearest"/> is what LD0006's code
/// fix writes: a closed bound itself, an open bound moved <see cref="OpenBoundStep"/> inside the range (an open bound
/// has no nearest value), or nothing for NaN and for ∞ on an unbounded side. docs/diagnostics/LD0006.md states this rule.
/// </summary>
internal readonly struct Bounds
{
    public const double OpenBoundStep = 0.01;

    private readonly double _min, _max;
    private readonly bool _minOpen, _maxOpen;

    public Bounds(double min, bool minOpen, double max, bool maxOpen) => (_min, _minOpen, _max, _maxOpen) = (min, minOpen, max, maxOpen);

    public static Bounds All => new(double.NegativeInfinity, false, double.PositiveInfinity, false);

    public static Bounds Above(double min, bool open = false) => new(min, open, double.PositiveInfinity, false);

    public static Bounds Below(double max, bool open = false) => new(double.NegativeInfinity, false, max, open);

    private bool BelowMin(double value) => _minOpen ? value <= _min : value < _min;

    private bool AboveMax(double value) => _maxOpen ? value >= _max : value > _max;

    /// <summary>Whether the value is in range (NaN never is); finiteness is checked separately.</summary>
    public bool Contains(double value) => !double.IsNaN(value) && !BelowMin(value) && !AboveMax(value);

    /// <summary>The range in words, as LD0006 and the docs state it, e.g. <c>a finite number ≥ 0</c>, <c>in [0, 1)</c>.</summary>
    public string Describe(string noun = "a finite number")
    {
        static string Show(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        bool hasMin = !double.IsInfinity(_min), hasMax = !double.IsInfinity(_max);
        return (hasMin, hasMax) switch
        {
            (true, true) => $"in {(_minOpen ? "(" : "[")}{Show(_min)}, {Show(_max)}{(_maxOpen ? ")" : "]")}",
            (true, false) => $"{noun} {(_minOpen ? ">" : "≥")} {Show(_min)}",
            (false, true) => $"{noun} {(_maxOpen ? "<" : "≤")} {Show(_max)}",
            (false, false) => noun,
        };
    }

    public double? Nearest(double value) =>
        double.IsNaN(value) ? null
        : BelowMin(value) ? (double.IsInfinity(_min) ? null : _minOpen ? _min + OpenBoundStep : _min)
        : AboveMax(value) ? (double.IsInfinity(_max) ? null : _maxOpen ? _max - OpenBoundStep : _max)
        : null;
}
