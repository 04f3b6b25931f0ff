using System.Globalization;
using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators.Emitting;

/// <summary>C# literals and small expressions as the emitters write them.</summary>
internal static class Code
{
    /// <summary>A double literal that reads back exactly, always with a '.' or exponent: <c>2.0</c>, <c>1E-05</c>.</summary>
    public static string Lit(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
    }

    public static string Bool(bool value) => value ? "true" : "false";

    public static string Region(MapHalf half, bool includeDiagonal, int minSeparation) =>
        $"new global::LossDsl.Region(global::LossDsl.MapHalf.{half}, IncludeDiagonal: {Bool(includeDiagonal)}, MinSeparation: {minSeparation})";

    public static string Reduction(bool sum) =>
        "global::LossDsl.LossReduction." + (sum ? nameof(LossReduction.Sum) : nameof(LossReduction.Mean));

    /// <summary><c>weight * value</c>, or the value alone for a weight of 1.</summary>
    public static string Weighted(double weight, string value) => weight == 1 ? value : $"{Lit(weight)} * {value}";
}
