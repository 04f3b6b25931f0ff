using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace ContactMaps;

/// <summary>
/// Reads a protein chain from a PDB file (plain or gzip): sequence, the Cβ of each residue (the ideal Cβ from N, Cα
/// and C for glycine or when Cβ is missing, as in the data set), and the secondary structure from the HELIX and
/// SHEET records.
/// </summary>
public static class Pdb
{
    private static readonly Dictionary<string, char> OneLetter = new()
    {
        ["ALA"] = 'A', ["ARG"] = 'R', ["ASN"] = 'N', ["ASP"] = 'D', ["CYS"] = 'C', ["GLN"] = 'Q', ["GLU"] = 'E', ["GLY"] = 'G',
        ["HIS"] = 'H', ["ILE"] = 'I', ["LEU"] = 'L', ["LYS"] = 'K', ["MET"] = 'M', ["PHE"] = 'F', ["PRO"] = 'P', ["SER"] = 'S',
        ["THR"] = 'T', ["TRP"] = 'W', ["TYR"] = 'Y', ["VAL"] = 'V', ["MSE"] = 'M',
    };

    private sealed class Residue(char chain, string key, string name)
    {
        public char Chain { get; } = chain;
        public string Key { get; } = key;
        public string Name { get; } = name;
        public Dictionary<string, (double X, double Y, double Z)> Atoms { get; } = new();
    }

    /// <summary>
    /// Reads <paramref name="chainId"/> (the first chain in the file when null) of the first model in
    /// <paramref name="path"/>. Positions are the amino-acid residues in file order that have a Cα atom (ATOM records,
    /// and HETATM records of selenomethionine); <c>|i − j|</c> counts those positions (a gap in the residue numbering
    /// is not filled). Alternate locations other than the first are skipped.
    /// </summary>
    public static Chain Read(string path, char? chainId = null)
    {
        var residues = new List<Residue>();
        var helices = new List<(char Chain, int From, int To)>();
        var strands = new List<(char Chain, int From, int To)>();
        foreach (var line in Lines(path))
        {
            var record = line.Length >= 6 ? line[..6] : line;
            if (record == "ENDMDL") break;
            if (record == "HELIX " && line.Length >= 37)
                helices.Add((line[19], Int(line, 21, 4), Int(line, 33, 4)));
            else if (record == "SHEET " && line.Length >= 37)
                strands.Add((line[21], Int(line, 22, 4), Int(line, 33, 4)));
            else if (line.Length >= 54 && (record == "ATOM  " || record == "HETATM" && line.Substring(17, 3) == "MSE"))
            {
                if (line[16] != ' ' && line[16] != 'A') continue; // first alternate location only
                var name = line.Substring(17, 3);
                if (!OneLetter.ContainsKey(name)) continue; // nucleotides, waters, ligands
                var chain = line[21];
                if (chainId is char wanted ? chain != wanted : residues.Count > 0 && chain != residues[0].Chain) continue;
                var key = line.Substring(22, 5); // residue number and insertion code
                if (residues.Count == 0 || residues[^1].Key != key || residues[^1].Chain != chain)
                    residues.Add(new Residue(chain, key, name));
                residues[^1].Atoms.TryAdd(line.Substring(12, 4).Trim(), (Real(line, 30, 8), Real(line, 38, 8), Real(line, 46, 8)));
            }
        }
        residues.RemoveAll(r => !r.Atoms.ContainsKey("CA"));
        if (residues.Count == 0)
            throw new InvalidDataException($"{path}: no amino-acid residues with a Cα atom{(chainId is null ? "" : $" in chain {chainId}")}.");

        var id = residues[0].Chain;
        int n = residues.Count;
        var structure = new Structure[n];
        var beta = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            var number = int.Parse(residues[i].Key[..4], CultureInfo.InvariantCulture);
            if (helices.Any(h => h.Chain == id && h.From <= number && number <= h.To)) structure[i] = Structure.Helix;
            else if (strands.Any(s => s.Chain == id && s.From <= number && number <= s.To)) structure[i] = Structure.Strand;
            var (x, y, z) = Beta(residues[i]);
            (beta[3 * i], beta[3 * i + 1], beta[3 * i + 2]) = ((float)x, (float)y, (float)z);
        }
        var file = Path.GetFileName(path);
        foreach (var suffix in new[] { ".gz", ".pdb", ".ent" })
            if (file.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) file = file[..^suffix.Length];
        return new Chain($"{file}:{id}", string.Concat(residues.Select(r => OneLetter[r.Name])), structure, beta);
    }

    /// <summary>
    /// Reads a PDB file given as <c>FILE</c> (its first chain) or <c>FILE:CHAIN</c>; <c>FILE</c> may hold <c>*</c> and
    /// <c>?</c> in its last part (a glob, for shells that did not expand it). Returns every chain named.
    /// </summary>
    public static IEnumerable<Chain> ReadAll(string argument)
    {
        char? chain = null;
        var colon = argument.LastIndexOf(':');
        if (colon > 0 && colon == argument.Length - 2 && !File.Exists(argument)) (argument, chain) = (argument[..colon], argument[^1]);
        var name = Path.GetFileName(argument);
        if (name.IndexOfAny(new[] { '*', '?' }) < 0) return new[] { Read(argument, chain) };
        var folder = Path.GetDirectoryName(argument) is { Length: > 0 } d ? d : ".";
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, name).OrderBy(f => f, StringComparer.Ordinal).ToList() : new List<string>();
        if (files.Count == 0) throw new FileNotFoundException($"no file matches {argument}.");
        return files.Select(f => Read(f, chain)).ToList();
    }

    /// <summary>A short description of a chain's map: length, contacts and sparsity.</summary>
    public static string Describe(Chain chain)
    {
        int n = chain.Length, contacts = chain.Contacts(), longRange = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 24; j < n; j++)
                if (chain.Contact(i, j)) longRange++;
        var helix = chain.Structure.Count(s => s == Structure.Helix);
        var strand = chain.Structure.Count(s => s == Structure.Strand);
        return string.Create(CultureInfo.InvariantCulture,
            $"{chain.Name}: L = {n}, {contacts} contacts (d(Cβ, Cβ) < {Chain.Cutoff} Å, |i − j| ≥ {Chain.MinSeparation}; {longRange} with |i − j| ≥ 24), " +
            $"{chain.Density:P2} of the pairs with |i − j| ≥ {Chain.MinSeparation}; {helix} helix and {strand} strand positions");
    }

    /// <summary>The Cβ of a residue: its own, else the ideal one from N, Cα, C, else Cα.</summary>
    private static (double X, double Y, double Z) Beta(Residue residue)
    {
        var atoms = residue.Atoms;
        if (residue.Name != "GLY" && atoms.TryGetValue("CB", out var cb)) return cb;
        return atoms.TryGetValue("N", out var n) && atoms.TryGetValue("C", out var c) ? Geometry.IdealBeta(n, atoms["CA"], c) : atoms["CA"];
    }

    private static IEnumerable<string> Lines(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line) yield return line;
    }

    private static int Int(string line, int start, int length) =>
        int.Parse(line.Substring(start, length).Trim(), CultureInfo.InvariantCulture);

    private static double Real(string line, int start, int length) =>
        double.Parse(line.Substring(start, length).Trim(), CultureInfo.InvariantCulture);
}
