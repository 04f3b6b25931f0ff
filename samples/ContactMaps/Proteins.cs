using System;
using System.Collections.Generic;
using System.Linq;

namespace ContactMaps;

/// <summary>Secondary structure of one position.</summary>
public enum Structure : byte
{
    /// <summary>Coil or loop.</summary>
    Loop,
    /// <summary>α-helix.</summary>
    Helix,
    /// <summary>β-strand.</summary>
    Strand,
}

/// <summary>
/// One chain: its length, per-position secondary structure, a distance-like <c>L × L</c> matrix (Å, symmetric) and the
/// 0/1 contact map (symmetric). Synthetic chains and chains read from PDB files look the same to the experiment.
/// </summary>
/// <param name="Name">A name for tables and plots.</param>
/// <param name="Structure">Secondary structure per position, length <c>L</c>.</param>
/// <param name="Distance">Row-major <c>L × L</c> distance-like matrix in Å.</param>
/// <param name="Contacts">Row-major <c>L × L</c> contact map, 0/1.</param>
public sealed record Chain(string Name, Structure[] Structure, float[] Distance, float[] Contacts)
{
    /// <summary>The number of positions.</summary>
    public int Length => Structure.Length;

    /// <summary>The fraction of ones among all <c>L × L</c> cells.</summary>
    public double Density => Contacts.Average(c => (double)c);

    /// <summary>The fraction of ones among the pairs with <c>|i − j| ≥ minSeparation</c>.</summary>
    public double DensityAtSeparation(int minSeparation)
    {
        long pairs = 0, ones = 0;
        for (int i = 0; i < Length; i++)
            for (int j = i + minSeparation; j < Length; j++)
            {
                pairs++;
                if (Contacts[i * Length + j] > 0) ones++;
            }
        return pairs > 0 ? (double)ones / pairs : 0;
    }
}

/// <summary>
/// Synthetic protein-like chains: secondary-structure segments, helix bands at <c>|i − j| ∈ {3, 4}</c>, parallel and
/// antiparallel β-sheet stripes, helix–helix packing and scattered long-range contacts; 2–5 % of the cells are ones.
/// </summary>
public static class Synthetic
{
    /// <summary><paramref name="count"/> chains with lengths uniform in <c>[minLength, maxLength]</c>, deterministic in <paramref name="seed"/>.</summary>
    public static List<Chain> Chains(int count, int minLength, int maxLength, int seed, string prefix = "synthetic")
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(k => Chain(random, random.Next(minLength, maxLength + 1), $"{prefix}-{k}")).ToList();
    }

    /// <summary>One synthetic chain of length <paramref name="length"/>.</summary>
    public static Chain Chain(Random random, int length, string name)
    {
        var structure = new Structure[length];
        var segments = new List<(Structure Kind, int Start, int Length)>();
        int position = random.Next(0, 4);
        while (position < length)
        {
            var roll = random.NextDouble();
            var (kind, span) = roll < 0.45 ? (Structure.Helix, random.Next(8, 17)) : (Structure.Strand, random.Next(4, 9));
            span = Math.Min(span, length - position);
            if (span >= 4)
            {
                segments.Add((kind, position, span));
                for (int k = 0; k < span; k++) structure[position + k] = kind;
            }
            position += span + random.Next(2, 6); // a loop after every element
        }

        var contact = new bool[length, length];
        void Add(int i, int j)
        {
            if (i < 0 || j < 0 || i >= length || j >= length || Math.Abs(i - j) < 3) return;
            contact[i, j] = contact[j, i] = true;
        }

        // Helix bands: i ↔ i + 3 and i ↔ i + 4 inside a helix.
        foreach (var (kind, start, span) in segments.Where(s => s.Kind == Structure.Helix))
            for (int i = start; i < start + span; i++)
                for (int d = 3; d <= 4; d++)
                    if (i + d < start + span) Add(i, i + d);

        // β-sheets: each strand pairs with an earlier one (mostly the previous: a hairpin, antiparallel), as a stripe
        // along or across the diagonal, one to two cells wide.
        var strands = segments.Where(s => s.Kind == Structure.Strand).ToList();
        for (int s = 1; s < strands.Count; s++)
        {
            if (random.NextDouble() > 0.85) continue;
            var partner = random.NextDouble() < 0.5 ? strands[s - 1] : strands[random.Next(0, s)];
            var strand = strands[s];
            var antiparallel = partner == strands[s - 1] ? random.NextDouble() < 0.8 : random.NextDouble() < 0.5;
            var overlap = Math.Min(partner.Length, strand.Length);
            for (int t = 0; t < overlap; t++)
            {
                var i = partner.Start + t;
                var j = antiparallel ? strand.Start + strand.Length - 1 - t : strand.Start + t;
                Add(i, j);
                if (random.NextDouble() < 0.5) Add(i, j + (antiparallel ? -1 : 1));
                if (random.NextDouble() < 0.3) Add(i + 1, j);
            }
        }

        // Helix–helix packing: a few helix pairs touch every 3–4 positions along an antiparallel line.
        var helices = segments.Where(s => s.Kind == Structure.Helix).ToList();
        for (int a = 0; a < helices.Count; a++)
            for (int b = a + 1; b < helices.Count; b++)
            {
                if (random.NextDouble() > 0.5) continue;
                var (_, startA, spanA) = helices[a];
                var (_, startB, spanB) = helices[b];
                for (int t = random.Next(0, 3); t < Math.Min(spanA, spanB); t += random.Next(3, 5))
                {
                    Add(startA + t, startB + spanB - 1 - t);
                    if (random.NextDouble() < 0.5) Add(startA + t + 1, startB + spanB - 1 - t);
                }
            }

        // Scattered long-range contacts, in small clusters, mostly between structured positions.
        var structured = Enumerable.Range(0, length).Where(i => structure[i] != Structure.Loop).ToArray();
        int clusters = length / 5;
        for (int c = 0; c < clusters; c++)
        {
            int i, j;
            if (structured.Length > 1 && random.NextDouble() < 0.8) { i = structured[random.Next(structured.Length)]; j = structured[random.Next(structured.Length)]; }
            else { i = random.Next(length); j = random.Next(length); }
            if (Math.Abs(i - j) < 12) continue;
            Add(i, j);
            if (random.NextDouble() < 0.6) Add(i + 1, j);
            if (random.NextDouble() < 0.6) Add(i, j - 1);
            if (random.NextDouble() < 0.3) Add(i + 1, j - 1);
        }

        return new Chain(name, structure, PseudoDistance(random, contact, length), Flatten(contact, length));
    }

    /// <summary>
    /// A distance-like matrix consistent with the contacts: 4–7.5 Å on a contact; off a contact 8 Å plus 2.5 Å per
    /// cell of Chebyshev distance to the nearest contact; never more than a chain-like <c>3.8·√|i − j| + 1.5</c> Å.
    /// </summary>
    private static float[] PseudoDistance(Random random, bool[,] contact, int length)
    {
        const int Far = 8;
        var steps = new int[length, length];
        for (int i = 0; i < length; i++)
            for (int j = 0; j < length; j++)
                steps[i, j] = contact[i, j] ? 0 : Far;
        for (int round = 1; round < Far; round++)
            for (int i = 0; i < length; i++)
                for (int j = 0; j < length; j++)
                {
                    if (steps[i, j] < round) continue;
                    for (int di = -1; di <= 1 && steps[i, j] > round; di++)
                        for (int dj = -1; dj <= 1; dj++)
                        {
                            int a = i + di, b = j + dj;
                            if (a >= 0 && b >= 0 && a < length && b < length && steps[a, b] == round - 1) { steps[i, j] = round; break; }
                        }
                }
        var distance = new float[length * length];
        for (int i = 0; i < length; i++)
            for (int j = i; j < length; j++)
            {
                var d = steps[i, j] == 0 ? 4 + 3.5 * random.NextDouble() : 8 + 2.5 * steps[i, j];
                d = Math.Min(d, 3.8 * Math.Sqrt(j - i) + 1.5);
                distance[i * length + j] = distance[j * length + i] = (float)d;
            }
        return distance;
    }

    private static float[] Flatten(bool[,] contact, int length)
    {
        var flat = new float[length * length];
        for (int i = 0; i < length; i++)
            for (int j = 0; j < length; j++)
                flat[i * length + j] = contact[i, j] ? 1 : 0;
        return flat;
    }
}
