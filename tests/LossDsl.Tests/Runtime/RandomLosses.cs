using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace LossDsl.Tests;

/// <summary>Random valid attribute sets, as the oracle's make_vectors.py draws them, for property and gradient tests.</summary>
public static class RandomLosses
{
    public static string Attributes(Random r, bool allowKinks = true)
    {
        string Pick(params string[] options) => options[r.Next(options.Length)];
        string Num(params double[] options) => options[r.Next(options.Length)].ToString("R", CultureInfo.InvariantCulture);
        string Weight() => r.NextDouble() < 0.5 ? ", Weight = " + Num(0.5, 2, 0.25) : "";
        string Bool() => r.NextDouble() < 0.3 ? "true" : "false";

        var terms = new Dictionary<string, string>();
        for (int k = 1 + r.Next(3); k > 0; k--)
        {
            var kind = Pick("Focal", "Focal", "BinaryCrossEntropy", "Dice", "Tversky", "Jaccard", "MatthewsCorrelation");
            terms[kind] = kind switch
            {
                "Focal" => $"Focal(Gamma = {Num(0, 0.5, 1, 2, 3)}, Alpha = {Num(0.25, 0.5, 0.9, -1)}{Weight()})",
                "BinaryCrossEntropy" => $"BinaryCrossEntropy(PosWeight = {Num(1, 3, 19)}, LabelSmoothing = {Num(0, 0.1)}{Weight()})",
                "Dice" => $"Dice(Smooth = {Num(1, 0.5)}, Batch = {Bool()}{Weight()})",
                "Jaccard" => $"Jaccard(Smooth = {Num(1, 0.5, 0)}, Batch = {Bool()}{Weight()})",
                "MatthewsCorrelation" => $"MatthewsCorrelation(Smooth = {Num(1e-5, 1e-3, 1)}, Batch = {Bool()}{Weight()})",
                "Tversky" => $"Tversky(Alpha = {Num(0.3, 0.5, 0.7)}, Beta = {Num(0.7, 0.5, 0.3)}, Gamma = {Num(1, 0.75, 2)}, Smooth = {Num(1, 0.5)}, Batch = {Bool()}{Weight()})",
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no random parameters for this term"),
            };
        }
        var attributes = terms.Values.ToList();
        bool symmetrize = r.NextDouble() < 0.3, mask = r.NextDouble() < 0.5;
        if (symmetrize) attributes.Add("Symmetrize");
        if (r.NextDouble() < 0.4) attributes.Add("SymmetricTranspose");
        if (mask) attributes.Add($"{Pick("MaskLower", "MaskUpper")}(IncludeDiagonal = {(r.NextDouble() < 0.7 ? "true" : "false")})");
        if (r.NextDouble() < 0.3) attributes.Add($"MinSeparation({Pick("1", "2", "3")})");
        // L1 and Huber have kinks at d = 0, which symmetrized logits sit on exactly; finite differences avoid them.
        if (r.NextDouble() < 0.35 && !symmetrize)
            attributes.Add($"TransposeConsistency(Penalty = SymmetryPenalty.{(allowKinks ? Pick("L1", "Mse", "Huber") : Pick("Mse", "Huber"))}, Delta = {Num(1, 0.1, 0.5)}, Weight = {Num(0.1, 1)}, Space = ConsistencySpace.{Pick("Probabilities", "Logits")})");
        if (r.NextDouble() < 0.2) attributes.Add("Reduction(LossReduction.Sum)");
        return string.Concat(attributes.Select(a => "[" + a + "]"));
    }

    /// <summary>Source declaring <paramref name="count"/> random loss classes <c>Random.LossK</c>, with their attribute lines.</summary>
    public static (string Source, IReadOnlyList<string> Attributes) Source(int seed, int count, bool allowKinks = true)
    {
        var r = new Random(seed);
        var lines = Enumerable.Range(0, count).Select(_ => Attributes(r, allowKinks)).ToList();
        var source = "using LossDsl;\nnamespace Random;\n" + string.Concat(lines.Select((a, k) => $"{a}\npublic partial class Loss{k} {{ }}\n"));
        return (source, lines);
    }
}
