using System.Collections.Generic;
using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators.Emitting;

/// <summary>The composed formula of a loss class in words, one paragraph per line, for its XML doc comment.</summary>
internal static class Formula
{
    public static IEnumerable<string> Lines(LossSpec s)
    {
        var parts = new List<string>();
        foreach (var t in s.Terms)
        {
            var w = t.Weight == 1 ? "" : Code.Lit(t.Weight) + "·";
            var name = t.Term.Symbol;
            parts.Add(s.SymmetricTranspose ? $"{w}[{name}(x, y) + {name}(xᵀ, y)]" : $"{w}{name}(x, y)");
        }
        if (s.Consistency is { } c) parts.Add((c.Weight == 1 ? "" : Code.Lit(c.Weight) + "·") + "C");
        yield return "Loss = " + string.Join(" + ", parts) + ", " + (s.Sum ? "summed" : "averaged") + " as LossReduction." + (s.Sum ? "Sum" : "Mean") + ".";
        if (s.Symmetrize) yield return "x ← (x + xᵀ)/2 first (Symmetrize).";
        yield return $"Terms cover {Coverage(s)}, times the validity mask when one is given.";
        foreach (var t in s.Terms) yield return t.Term.Describe(t);
        if (s.Consistency is { } penalty)
        {
            var z = penalty.InLogits ? "x" : "sigmoid(x)";
            yield return $"C = {Phi(penalty)} with d = z − zᵀ, z = {z}, over pairs j − i ≥ {System.Math.Max(1, s.MinSeparation)} weighted by V[i, j]·V[j, i].";
        }
        yield return "See docs/attributes.md for each attribute.";
    }

    private static string Coverage(LossSpec s)
    {
        var coverage = s.Half switch
        {
            MapHalf.Upper => s.IncludeDiagonal ? "cells i ≤ j" : "cells i < j",
            MapHalf.Lower => s.IncludeDiagonal ? "cells i ≥ j" : "cells i > j",
            MapHalf.Both => "every cell",
        };
        return s.MinSeparation > 0 ? coverage + $" with |i − j| ≥ {s.MinSeparation}" : coverage;
    }

    private static string Phi(ConsistencySpec c) => c.Penalty switch
    {
        SymmetryPenalty.L1 => "|d|",
        SymmetryPenalty.Mse => "d²",
        SymmetryPenalty.Huber => $"huber(d, δ = {Code.Lit(c.Delta)})",
    };
}
