using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl;

namespace ContactMaps;

/// <summary>What is done to the network's output at test time.</summary>
public enum TestStep
{
    /// <summary><c>sigmoid(x)</c> as it is.</summary>
    None,
    /// <summary>Keep the upper half and mirror it (<see cref="Symmetry.MirrorUpper"/>).</summary>
    MirrorUpper,
    /// <summary>Choose the better half on the validation split (<see cref="BetterHalf.Choose"/>) and mirror it.</summary>
    BetterHalf,
    /// <summary><c>sigmoid((x + xᵀ)/2)</c> (<see cref="Symmetry.Symmetrize"/>).</summary>
    Symmetrize,
}

/// <summary>One way of training under comparison: a generated loss and a test-time step.</summary>
/// <param name="Key">The name on the command line.</param>
/// <param name="Label">The name in tables and plots.</param>
/// <param name="Attributes">The loss class's attributes, as declared below.</param>
/// <param name="Create">Creates the loss module.</param>
/// <param name="Step">The test-time step.</param>
public sealed record LossOption(string Key, string Label, string Attributes, Func<LossModule> Create, TestStep Step)
{
    /// <summary>Every option: the baseline, the seed question's five answers, then the losses for context.</summary>
    public static IReadOnlyList<LossOption> All { get; } = new LossOption[]
    {
        new("focal", "focal (baseline)", "[Focal(Gamma = 2)]", () => new FocalBaseline(), TestStep.None),
        new("mask-lower", "(1) MaskLower + mirror", "[Focal(Gamma = 2)] [MaskLower]", () => new FocalMaskLower(), TestStep.MirrorUpper),
        new("sym-transpose", "(2) SymmetricTranspose", "[Focal(Gamma = 2)] [SymmetricTranspose]", () => new FocalSymmetricTranspose(), TestStep.None),
        new("consistency", "(3) TransposeConsistency", "[Focal(Gamma = 2)] [TransposeConsistency]", () => new FocalTransposeConsistency(), TestStep.None),
        new("sym-transpose-mask", "(4) (2) + MaskLower + better half", "[Focal(Gamma = 2)] [SymmetricTranspose] [MaskLower]", () => new FocalSymmetricTransposeMaskLower(), TestStep.BetterHalf),
        new("symmetrize", "(5) Symmetrize", "[Focal(Gamma = 2)] [Symmetrize]", () => new FocalSymmetrize(), TestStep.Symmetrize),
        new("bce", "BCE PosWeight = 25", "[BinaryCrossEntropy(PosWeight = 25)]", () => new WeightedBce(), TestStep.None),
        new("dice-focal", "Dice + focal", "[Dice] [Focal(Gamma = 2)]", () => new DiceFocal(), TestStep.None),
        new("focal-lovasz", "Focal + Lovász hinge", "[Focal(Gamma = 2)] [LovaszHinge]", () => new FocalLovasz(), TestStep.None),
        new("bce-jaccard", "BCE PosWeight = 25 + Jaccard", "[BinaryCrossEntropy(PosWeight = 25)] [Jaccard]", () => new WeightedBceJaccard(), TestStep.None),
    };

    /// <summary>The baseline and the five answers to the seed's question, without the losses for context.</summary>
    public static IReadOnlyList<LossOption> Question { get; } = All.Take(6).ToList();

    /// <summary>The options named in <paramref name="keys"/> (comma-separated lists allowed; <c>all</c> for all), in <see cref="All"/>'s order.</summary>
    public static IReadOnlyList<LossOption> Select(IEnumerable<string> keys)
    {
        var wanted = keys.SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (wanted.Count == 0 || wanted.Contains("all")) return All;
        var unknown = wanted.Where(k => All.All(o => o.Key != k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown option(s) {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(o => o.Key))}, all.");
        return All.Where(o => wanted.Contains(o.Key)).ToList();
    }
}

/// <summary>Focal loss on the whole map: the baseline.</summary>
[Focal(Gamma = 2)]
public partial class FocalBaseline { }

/// <summary>(1) Focal loss on the upper half; the lower half is mirrored from it at test time.</summary>
[Focal(Gamma = 2)]
[MaskLower]
public partial class FocalMaskLower { }

#pragma warning disable LD0010 // (2) alone is what the experiment measures: for symmetric targets it is exactly 2× the baseline
/// <summary>(2) <c>focal(x, y) + focal(xᵀ, y)</c> on the whole map.</summary>
[Focal(Gamma = 2)]
[SymmetricTranspose]
public partial class FocalSymmetricTranspose { }
#pragma warning restore LD0010

/// <summary>(3) Focal loss plus the default transpose-consistency penalty (Huber on probabilities, weight 0.1).</summary>
[Focal(Gamma = 2)]
[TransposeConsistency]
public partial class FocalTransposeConsistency { }

/// <summary>(4) <c>focal(x, y) + focal(xᵀ, y)</c> on the upper half; the better half is kept at test time.</summary>
[Focal(Gamma = 2)]
[SymmetricTranspose]
[MaskLower]
public partial class FocalSymmetricTransposeMaskLower { }

/// <summary>(5) Focal loss on <c>(x + xᵀ)/2</c>; predictions are symmetrized the same way.</summary>
[Focal(Gamma = 2)]
[Symmetrize]
public partial class FocalSymmetrize { }

/// <summary>For context: BCE with the positives weighted about (1 − f)/f for the data's fraction f of ones.</summary>
[BinaryCrossEntropy(PosWeight = 25)]
public partial class WeightedBce { }

/// <summary>For context: soft Dice plus focal loss.</summary>
[Dice]
[Focal(Gamma = 2)]
public partial class DiceFocal { }

/// <summary>For context: focal loss plus the Lovász hinge (a surrogate of the Jaccard index).</summary>
[Focal(Gamma = 2)]
[LovaszHinge]
public partial class FocalLovasz { }

/// <summary>For context: weighted BCE plus the soft Jaccard loss.</summary>
[BinaryCrossEntropy(PosWeight = 25)]
[Jaccard]
public partial class WeightedBceJaccard { }
