using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnaPairs;

/// <summary>
/// A sequence and its secondary structure as a partner array: <c>Partner[i]</c> is the base that base <c>i</c> pairs
/// with, or -1. Construction checks that no base pairs twice or with itself and that the pairing is mutual.
/// </summary>
public sealed class RnaStructure
{
    /// <summary>The sequence, upper-case IUPAC codes (U, not T).</summary>
    public string Sequence { get; }

    /// <summary>Each base's partner, or -1.</summary>
    public IReadOnlyList<int> Partner { get; }

    /// <summary>Builds and checks a structure from its base pairs (either order within a pair).</summary>
    public RnaStructure(string sequence, IEnumerable<(int I, int J)> pairs, string what = "structure")
    {
        Sequence = sequence;
        var partner = Enumerable.Repeat(-1, sequence.Length).ToArray();
        foreach (var (i, j) in pairs)
        {
            if (i == j || i < 0 || j < 0 || i >= partner.Length || j >= partner.Length)
                throw new InvalidDataException($"{what}: pair ({i}, {j}) is not a pair of two bases of 0..{partner.Length - 1}.");
            if (partner[i] >= 0 || partner[j] >= 0)
                throw new InvalidDataException($"{what}: base {(partner[i] >= 0 ? i : j)} pairs twice.");
            (partner[i], partner[j]) = (j, i);
        }
        Partner = partner;
    }

    /// <summary>Bases.</summary>
    public int Length => Sequence.Length;

    /// <summary>Base pairs <c>(i, j)</c>, <c>i &lt; j</c>, in order of <c>i</c>.</summary>
    public IEnumerable<(int I, int J)> Pairs => Partner.Select((j, i) => (i, j)).Where(p => p.i < p.j);

    /// <summary>Base pairs.</summary>
    public int PairCount => Partner.Count(j => j >= 0) / 2;

    /// <summary>Canonical pairs (A–U, G–C, G–U).</summary>
    public int CanonicalPairs => Pairs.Count(p => Bases.CanPair(Sequence[p.I], Sequence[p.J]));

    /// <summary>The share of ones in the <c>L × L</c> map: <c>2 · pairs / L²</c>.</summary>
    public double Density => 2.0 * PairCount / ((double)Length * Length);

    /// <summary>The pair map, row-major <c>L × L</c>: 1 where two bases pair.</summary>
    public float[] Map()
    {
        var map = new float[Length * Length];
        for (int i = 0; i < Length; i++)
            if (Partner[i] >= 0) map[i * Length + Partner[i]] = 1;
        return map;
    }

    /// <summary>
    /// Maps the column pairs of an alignment row's structure onto the row's bases (gaps removed). A pair with a gap on
    /// either side is dropped; <paramref name="dropped"/> counts them.
    /// </summary>
    public static RnaStructure FromAlignment(string row, IReadOnlyList<(int I, int J)> columnPairs, string what, out int dropped)
    {
        var index = new int[row.Length];
        var sequence = new char[row.Count(Bases.IsResidue)];
        for (int k = 0, n = 0; k < row.Length; k++)
        {
            index[k] = Bases.IsResidue(row[k]) ? n : -1;
            if (index[k] >= 0) sequence[n++] = Bases.Normalize(row[k], what);
        }
        var kept = columnPairs.Where(p => index[p.I] >= 0 && index[p.J] >= 0).Select(p => (index[p.I], index[p.J])).ToList();
        dropped = columnPairs.Count - kept.Count;
        return new RnaStructure(new string(sequence), kept, what);
    }
}

/// <summary>Checks of dense pair maps: what every map of this sample must be.</summary>
public static class PairMaps
{
    /// <summary>Throws unless the row-major <c>L × L</c> <paramref name="map"/> is 0/1, symmetric, zero on the diagonal and has at most one 1 per row.</summary>
    public static void Check(float[] map, int length, string what)
    {
        if (map.Length != length * length) throw new InvalidDataException($"{what}: {map.Length} cells for length {length}.");
        for (int i = 0; i < length; i++)
        {
            int ones = 0;
            for (int j = 0; j < length; j++)
            {
                float v = map[i * length + j];
                if (v is not (0 or 1)) throw new InvalidDataException($"{what}: cell ({i}, {j}) is {v}, not 0 or 1.");
                if (v != map[j * length + i]) throw new InvalidDataException($"{what}: not symmetric at ({i}, {j}).");
                ones += (int)v;
            }
            if (map[i * length + i] != 0) throw new InvalidDataException($"{what}: base {i} pairs with itself.");
            if (ones > 1) throw new InvalidDataException($"{what}: row {i} has {ones} ones.");
        }
    }
}
