using System.Collections.Generic;
using System.Linq;
using LossDsl;
using LossDsl.Experiments;

namespace RnaPairs;

/// <summary>The options of <c>compare</c>: the package's baseline and five answers (<see cref="Candidates.Question"/>), then weighted BCE for context.</summary>
public static class SampleOptions
{
    /// <summary>Every option, by key.</summary>
    public static IReadOnlyList<Candidate> All { get; } = Candidates.Question.Append(
        new Candidate("bce", "BCE PosWeight = 300", "[BinaryCrossEntropy(PosWeight = 300)]", () => new PairBce(), TestStep.None)).ToList();

    /// <summary>The default: the baseline, the five answers and weighted BCE.</summary>
    public static IReadOnlyList<string> Default { get; } = All.Select(o => o.Key).ToList();

    /// <summary>The options named in <paramref name="keys"/> (comma-separated lists allowed; <c>all</c> for all), in <see cref="All"/>'s order.</summary>
    public static IReadOnlyList<Candidate> Select(IEnumerable<string> keys) => Candidates.Select(All, keys);
}

/// <summary>For context: BCE with the pairs weighted 300 to 1, as SPOT-RNA and its successors train on base-pair maps (0.2–0.8 % ones).</summary>
[BinaryCrossEntropy(PosWeight = 300)]
public partial class PairBce { }
