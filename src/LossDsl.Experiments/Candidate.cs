using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace LossDsl.Experiments;

/// <summary>What is done to the network's output at test time.</summary>
public enum TestStep
{
    /// <summary><c>sigmoid(x)</c> as it is.</summary>
    None,
    /// <summary>Keep the upper half and mirror it (<see cref="Symmetry.MirrorUpper"/>).</summary>
    MirrorUpper,
    /// <summary>Choose the better half on the validation samples (<see cref="BetterHalf.Choose"/>) and mirror it.</summary>
    BetterHalf,
    /// <summary><c>sigmoid((x + xᵀ)/2)</c> (<see cref="Symmetry.Symmetrize"/>).</summary>
    Symmetrize,
}

/// <summary>One way of training under comparison: a loss and a test-time step.</summary>
/// <param name="Key">A short name for files and the command line (letters, digits, '-').</param>
/// <param name="Label">The name in tables and plots.</param>
/// <param name="Loss">The loss in words, e.g. its attributes.</param>
/// <param name="Create">Creates the loss module.</param>
/// <param name="Step">The test-time step.</param>
public sealed record Candidate(string Key, string Label, string Loss, Func<LossModule> Create, TestStep Step)
{
    /// <summary>Added to every seed this option trains under: the A/A control trains the baseline under other seeds.</summary>
    public int SeedOffset { get; init; }

    /// <summary>Whether no real difference to the baseline is expected (an A/A control or a placebo); the report counts its verdicts.</summary>
    public bool IsControl { get; init; }

    /// <summary>The step in words.</summary>
    public string StepName => Step switch
    {
        TestStep.MirrorUpper => "mirror upper",
        TestStep.BetterHalf => "better half",
        TestStep.Symmetrize => "symmetrize",
        TestStep.None => "—",
    };

    /// <summary>The A/A control of <paramref name="baseline"/>: the same option trained under seeds offset by <paramref name="seedOffset"/>.</summary>
    public static Candidate Control(Candidate baseline, int seedOffset = 1000) =>
        baseline with { Key = baseline.Key + "-aa", Label = $"A/A: {baseline.Label} under seeds + {seedOffset}", SeedOffset = seedOffset, IsControl = true };

    /// <summary>The option's test-time step on <paramref name="logits"/>; <paramref name="raw"/> is <c>sigmoid(logits)</c> before it.</summary>
    internal Tensor TestTime(Tensor logits, HalfChoice? choice, out Tensor raw)
    {
        raw = sigmoid(logits);
        return Step switch
        {
            TestStep.MirrorUpper => Symmetry.MirrorUpper(raw),
            TestStep.BetterHalf => choice is HalfChoice c ? c.Apply(raw) : Symmetry.MirrorUpper(raw),
            TestStep.Symmetrize => sigmoid(Symmetry.Symmetrize(logits)),
            TestStep.None => raw,
        };
    }
}

/// <summary>The built-in options: focal loss as the baseline and the five known answers to a symmetric target.</summary>
public static class Candidates
{
    /// <summary>Focal loss (γ = 2) on the whole map.</summary>
    public static Candidate Baseline { get; } = new("focal", "focal (baseline)", "[Focal(Gamma = 2)]", () => new FocalBaseline(), TestStep.None);

    /// <summary>(1) Focal loss on the upper half; the lower half is mirrored from it at test time.</summary>
    public static Candidate MaskLower { get; } = new("mask-lower", "(1) MaskLower + mirror", "[Focal(Gamma = 2)] [MaskLower]", () => new FocalMaskLower(), TestStep.MirrorUpper);

    /// <summary>(2) <c>focal(x, y) + focal(xᵀ, y)</c>: for a symmetric target exactly twice the baseline's loss, which Adam
    /// does not see (its steps do not depend on the loss's scale), so it is a placebo against focal.</summary>
    public static Candidate SymmetricTranspose { get; } = new("sym-transpose", "(2) SymmetricTranspose", "[Focal(Gamma = 2)] [SymmetricTranspose]", () => new FocalSymmetricTranspose(), TestStep.None) { IsControl = true };

    /// <summary>(3) Focal loss plus the default transpose-consistency penalty.</summary>
    public static Candidate Consistency { get; } = new("consistency", "(3) TransposeConsistency", "[Focal(Gamma = 2)] [TransposeConsistency]", () => new FocalTransposeConsistency(), TestStep.None);

    /// <summary>(4) (2) on the upper half; the better half, chosen on validation, is kept at test time.</summary>
    public static Candidate BetterHalf { get; } = new("sym-transpose-mask", "(4) (2) + MaskLower + better half", "[Focal(Gamma = 2)] [SymmetricTranspose] [MaskLower]", () => new FocalSymmetricTransposeMaskLower(), TestStep.BetterHalf);

    /// <summary>(5) Focal loss on <c>(x + xᵀ)/2</c>; predictions are symmetrized the same way.</summary>
    public static Candidate Symmetrize { get; } = new("symmetrize", "(5) Symmetrize", "[Focal(Gamma = 2)] [Symmetrize]", () => new FocalSymmetrize(), TestStep.Symmetrize);

    /// <summary>The baseline and the five answers, in that order.</summary>
    public static IReadOnlyList<Candidate> Question { get; } = new[] { Baseline, MaskLower, SymmetricTranspose, Consistency, BetterHalf, Symmetrize };

    /// <summary>The options of <paramref name="known"/> named in <paramref name="keys"/> (comma-separated allowed; <c>all</c> for all), in <paramref name="known"/>'s order.</summary>
    public static IReadOnlyList<Candidate> Select(IReadOnlyList<Candidate> known, IEnumerable<string> keys)
    {
        var wanted = keys.SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (wanted.Count == 0 || wanted.Contains("all")) return known;
        var unknown = wanted.Where(k => known.All(o => o.Key != k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown option(s) {string.Join(", ", unknown)}; known: {string.Join(", ", known.Select(o => o.Key))}, all.");
        return known.Where(o => wanted.Contains(o.Key)).ToList();
    }
}


[Focal(Gamma = 2)]
internal partial class FocalBaseline { }

[Focal(Gamma = 2)]
[MaskLower]
internal partial class FocalMaskLower { }

#pragma warning disable LD0010 // (2) alone is the placebo: for symmetric targets it is exactly 2× the baseline
[Focal(Gamma = 2)]
[SymmetricTranspose]
internal partial class FocalSymmetricTranspose { }
#pragma warning restore LD0010

[Focal(Gamma = 2)]
[TransposeConsistency]
internal partial class FocalTransposeConsistency { }

[Focal(Gamma = 2)]
[SymmetricTranspose]
[MaskLower]
internal partial class FocalSymmetricTransposeMaskLower { }

[Focal(Gamma = 2)]
[Symmetrize]
internal partial class FocalSymmetrize { }
