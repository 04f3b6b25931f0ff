using System;
using System.Collections.Generic;
using System.Linq;

namespace RnaPairs;

/// <summary>
/// The network's input from the sequence alone, for the bases at given indices (a crop): 16 one-hot pair channels
/// (base i's A, C, G, U share times base j's; IUPAC codes spread over the bases they stand for) and a "can pair"
/// channel, the share of A–U, G–C and G–U among those 16. Channel-major <c>[17, n, n]</c>.
/// </summary>
public static class PairFeatures
{
    /// <summary>Channels: 16 one-hot pairs and "can pair".</summary>
    public const int Channels = 17;

    /// <summary>The channel index of "can pair".</summary>
    public const int CanPair = 16;

    /// <summary>The features of <paramref name="sequence"/> at <paramref name="indices"/> (all bases by default).</summary>
    public static float[] Build(string sequence, IReadOnlyList<int>? indices = null)
    {
        indices ??= Enumerable.Range(0, sequence.Length).ToArray();
        int n = indices.Count;
        var shares = indices.Select(i => Bases.Shares(sequence[i])).ToArray();
        var features = new float[Channels * n * n];
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++)
            {
                int channel = 4 * a + b;
                bool canonical = Bases.CanPair(Bases.Four[a], Bases.Four[b]);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                    {
                        float v = shares[i][a] * shares[j][b];
                        features[(channel * n + i) * n + j] = v;
                        if (canonical) features[(CanPair * n + i) * n + j] += v;
                    }
            }
        return features;
    }
}

/// <summary>
/// The length bound and crops of long sequences. A crop is a sorted set of base indices: the whole sequence up to
/// <see cref="DefaultBound"/> bases; beyond it one window of the bound, or two windows of half the bound each, so
/// that the crop's map (rows and columns at the same indices) stays symmetric and keeps long-range pairs.
/// </summary>
public static class Crops
{
    /// <summary>The longest sequence used whole: tRNAs, Vault, U1, U2, both SRP families and most U3 fit; 16S rRNAs and more than half the RNase P RNAs are cropped (data/summary.md counts them).</summary>
    public const int DefaultBound = 320;

    /// <summary>A random crop of a sequence of <paramref name="length"/> bases for training.</summary>
    public static int[] Random(int length, int bound, Random random)
    {
        Check(bound);
        if (length <= bound) return Enumerable.Range(0, length).ToArray();
        int half = bound / 2, a = random.Next(length - half + 1), b = random.Next(length - half + 1);
        if (Math.Abs(a - b) < half) return Enumerable.Range(Math.Min(Math.Min(a, b), length - bound), bound).ToArray();
        return Window(Math.Min(a, b), half).Concat(Window(Math.Max(a, b), half)).ToArray();
    }

    /// <summary>
    /// Crops for evaluation that together hold every pair of bases <c>(i, j)</c>: the whole sequence up to the bound;
    /// beyond it, windows of half the bound (the last one ending at the last base) taken two at a time.
    /// </summary>
    public static List<int[]> Cover(int length, int bound)
    {
        Check(bound);
        if (length <= bound) return new List<int[]> { Enumerable.Range(0, length).ToArray() };
        int half = bound / 2;
        var starts = Enumerable.Range(0, (length + half - 1) / half).Select(k => Math.Min(k * half, length - half)).ToList();
        var crops = new List<int[]>();
        for (int s = 0; s < starts.Count; s++)
            for (int t = s + 1; t < starts.Count; t++)
                crops.Add(Window(starts[s], half).Union(Window(starts[t], half)).OrderBy(i => i).ToArray());
        return crops;
    }

    /// <summary>The pair map of <paramref name="structure"/> at the crop's indices (row-major <c>n × n</c>).</summary>
    public static float[] Map(RnaStructure structure, IReadOnlyList<int> indices)
    {
        int n = indices.Count;
        var position = new Dictionary<int, int>();
        for (int k = 0; k < n; k++) position[indices[k]] = k;
        var map = new float[n * n];
        for (int k = 0; k < n; k++)
            if (structure.Partner[indices[k]] is var j and >= 0 && position.TryGetValue(j, out var m)) map[k * n + m] = 1;
        return map;
    }

    private static IEnumerable<int> Window(int start, int size) => Enumerable.Range(start, size);

    private static void Check(int bound)
    {
        if (bound < 2 || bound % 2 != 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "the length bound must be even and at least 2.");
    }
}
