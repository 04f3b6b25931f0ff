using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnaPairs;

/// <summary>The two splits: by 80 %-identity cluster within each family, and by family (some families held out for test).</summary>
public static class Splits
{
    /// <summary>The families the family split tests on: none of them is trained on.</summary>
    public static readonly IReadOnlyList<string> HeldOutFamilies = new[] { "SRP_euk", "Plant_SRP", "U2", "U3", "Vault" };

    /// <summary>
    /// Each item's part, whole clusters at a time: per family (a cluster counts for the family most of its members are
    /// in), each cluster in a seeded order goes to test if that brings test closer to a <paramref name="test"/> share
    /// of the family's sequences, else to validation if that brings it closer to a <paramref name="validation"/>
    /// share, else to train. A family of one cluster trains.
    /// </summary>
    public static Split[] ByCluster(IReadOnlyList<(string Family, int Cluster)> items, double test, double validation, int seed)
    {
        var random = new Random(seed);
        var members = items.Select((x, k) => (x.Cluster, k)).GroupBy(x => x.Cluster).ToDictionary(g => g.Key, g => g.Select(x => x.k).ToList());
        var familyOf = members.ToDictionary(m => m.Key, m => m.Value.GroupBy(k => items[k].Family).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key);
        var splits = new Split[items.Count];
        foreach (var family in familyOf.GroupBy(f => f.Value).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var clusters = family.Select(f => f.Key).OrderBy(c => c).ToList();
            Shuffle(clusters, random);
            int total = clusters.Sum(c => members[c].Count), inTest = 0, inValidation = 0;
            foreach (var cluster in clusters)
            {
                int size = members[cluster].Count;
                var part = Closer(inTest, size, test * total) ? Split.Test : Closer(inValidation, size, validation * total) ? Split.Validation : Split.Train;
                if (part == Split.Test) inTest += members[cluster].Count;
                if (part == Split.Validation) inValidation += members[cluster].Count;
                foreach (var k in members[cluster]) splits[k] = part;
            }
        }
        return splits;
    }

    /// <summary>
    /// The family split: the <paramref name="heldOut"/> families are the test part; the other families keep their
    /// validation part of <paramref name="byCluster"/> and train on the rest. A cluster across the line is an error.
    /// </summary>
    public static Split[] ByFamily(IReadOnlyList<(string Family, int Cluster)> items, IReadOnlyList<Split> byCluster, IReadOnlyCollection<string> heldOut)
    {
        var splits = items.Select((x, k) => heldOut.Contains(x.Family) ? Split.Test : byCluster[k] == Split.Validation ? Split.Validation : Split.Train).ToArray();
        CheckDisjoint(items.Select(x => x.Cluster).ToList(), splits, "family split");
        return splits;
    }

    /// <summary>Throws unless no cluster has members in two parts of <paramref name="splits"/>.</summary>
    public static void CheckDisjoint(IReadOnlyList<int> clusters, IReadOnlyList<Split> splits, string what)
    {
        var mixed = clusters.Select((c, k) => (c, s: splits[k])).GroupBy(x => x.c).FirstOrDefault(g => g.Select(x => x.s).Distinct().Count() > 1);
        if (mixed is not null) throw new InvalidDataException($"{what}: cluster {mixed.Key} is in {string.Join(" and ", mixed.Select(x => x.s).Distinct())}.");
    }

    private static bool Closer(int count, int size, double target) => Math.Abs(count + size - target) < Math.Abs(count - target);

    private static void Shuffle<T>(IList<T> list, Random random)
    {
        for (int k = list.Count - 1; k > 0; k--)
        {
            int r = random.Next(k + 1);
            (list[k], list[r]) = (list[r], list[k]);
        }
    }
}
