using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace ContactMaps;

/// <summary>
/// Reads a protein chain from a PDB file: the Cβ atom of each residue (Cα for glycine or when Cβ is missing), the
/// secondary structure from the HELIX and SHEET records, and the contact map <c>d(Cβ, Cβ) &lt; 8 Å</c> with
/// <c>|i − j| ≥ 6</c>.
/// </summary>
public static class Pdb
{
    /// <summary>The contact cutoff in Å.</summary>
    public const double Cutoff = 8.0;

    /// <summary>The smallest sequence separation that counts as a contact.</summary>
    public const int MinSeparation = 6;

    /// <summary>
    /// Reads <paramref name="chainId"/> (the first chain in the file when null) of the first model in
    /// <paramref name="path"/>. Positions are the residues in file order that have a Cβ or Cα atom; <c>|i − j|</c>
    /// counts those positions (a gap in the residue numbering is not filled). Alternate locations other than the
    /// first are skipped.
    /// </summary>
    public static Chain Read(string path, char? chainId = null)
    {
        var residues = new List<(char Chain, string Key, string Name, double[]? Beta, double[]? Alpha)>();
        var helices = new List<(char Chain, int From, int To)>();
        var strands = new List<(char Chain, int From, int To)>();
        foreach (var line in File.ReadLines(path))
        {
            var record = line.Length >= 6 ? line[..6] : line;
            if (record == "ENDMDL") break;
            if (record == "HELIX " && line.Length >= 37)
                helices.Add((line[19], Int(line, 21, 4), Int(line, 33, 4)));
            else if (record == "SHEET " && line.Length >= 37)
                strands.Add((line[21], Int(line, 22, 4), Int(line, 33, 4)));
            else if (record == "ATOM  " && line.Length >= 54)
            {
                var atom = line.Substring(12, 4).Trim();
                if (atom != "CA" && atom != "CB") continue;
                if (line[16] != ' ' && line[16] != 'A') continue; // first alternate location only
                var chain = line[21];
                if (chainId is char wanted ? chain != wanted : residues.Count > 0 && chain != residues[0].Chain) continue;
                var key = line.Substring(22, 5); // residue number and insertion code
                var xyz = new[] { Real(line, 30, 8), Real(line, 38, 8), Real(line, 46, 8) };
                if (residues.Count == 0 || residues[^1].Key != key)
                    residues.Add((chain, key, line.Substring(17, 3), null, null));
                var last = residues[^1];
                residues[^1] = atom == "CB" ? last with { Beta = xyz } : last with { Alpha = xyz };
            }
        }
        if (residues.Count == 0)
            throw new InvalidDataException($"{path}: no Cα or Cβ atoms{(chainId is null ? "" : $" in chain {chainId}")}.");

        var id = residues[0].Chain;
        int n = residues.Count;
        var structure = new Structure[n];
        for (int i = 0; i < n; i++)
        {
            var number = int.Parse(residues[i].Key[..4], CultureInfo.InvariantCulture);
            if (helices.Any(h => h.Chain == id && h.From <= number && number <= h.To)) structure[i] = Structure.Helix;
            else if (strands.Any(s => s.Chain == id && s.From <= number && number <= s.To)) structure[i] = Structure.Strand;
        }
        var points = residues.Select(r => r.Beta ?? r.Alpha!).ToArray();
        var distance = new float[n * n];
        var contacts = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                var d = Math.Sqrt(Enumerable.Range(0, 3).Sum(k => Math.Pow(points[i][k] - points[j][k], 2)));
                distance[i * n + j] = (float)d;
                contacts[i * n + j] = d < Cutoff && Math.Abs(i - j) >= MinSeparation ? 1 : 0;
            }
        return new Chain($"{Path.GetFileNameWithoutExtension(path)}:{id}", structure, distance, contacts);
    }

    /// <summary>A short description of a chain's map: length, contacts and sparsity.</summary>
    public static string Describe(Chain chain)
    {
        int n = chain.Length;
        long contacts = 0, longRange = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (chain.Contacts[i * n + j] > 0) { contacts++; if (j - i >= 24) longRange++; }
        var helix = chain.Structure.Count(s => s == Structure.Helix);
        var strand = chain.Structure.Count(s => s == Structure.Strand);
        return string.Create(CultureInfo.InvariantCulture,
            $"{chain.Name}: L = {n}, {contacts} contacts (d(Cβ, Cβ) < {Cutoff} Å, |i − j| ≥ {MinSeparation}; {longRange} with |i − j| ≥ 24), " +
            $"{chain.Density:P2} of all L² cells and {chain.DensityAtSeparation(MinSeparation):P2} of the pairs with |i − j| ≥ {MinSeparation}; " +
            $"{helix} helix and {strand} strand positions");
    }

    private static int Int(string line, int start, int length) =>
        int.Parse(line.Substring(start, length).Trim(), CultureInfo.InvariantCulture);

    private static double Real(string line, int start, int length) =>
        double.Parse(line.Substring(start, length).Trim(), CultureInfo.InvariantCulture);
}
