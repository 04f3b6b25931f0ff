using System.Collections.Generic;
using System.Linq;
using LossDsl;
using LossDsl.Experiments;

namespace ContactMaps;

/// <summary>The options of the command line: the package's baseline and five answers (<see cref="Candidates.Question"/>), then losses for context.</summary>
public static class SampleOptions
{
    /// <summary>Every option, by key.</summary>
    public static IReadOnlyList<Candidate> All { get; } = Candidates.Question.Concat(new Candidate[]
    {
        new("bce", "BCE PosWeight = 25", "[BinaryCrossEntropy(PosWeight = 25)]", () => new WeightedBce(), TestStep.None),
        new("dice-focal", "Dice + focal", "[Dice] [Focal(Gamma = 2)]", () => new DiceFocal(), TestStep.None),
        new("focal-lovasz", "Focal + Lovász hinge", "[Focal(Gamma = 2)] [LovaszHinge]", () => new FocalLovasz(), TestStep.None),
        new("bce-jaccard", "BCE PosWeight = 25 + Jaccard", "[BinaryCrossEntropy(PosWeight = 25)] [Jaccard]", () => new WeightedBceJaccard(), TestStep.None),
    }).ToList();

    /// <summary>The options named in <paramref name="keys"/> (comma-separated lists allowed; <c>all</c> for all), in <see cref="All"/>'s order.</summary>
    public static IReadOnlyList<Candidate> Select(IEnumerable<string> keys) => Candidates.Select(All, keys);
}

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
