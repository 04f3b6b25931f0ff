using System;
using System.IO;

namespace RnaPairs;

/// <summary>Nucleotides: the IUPAC codes an RNA sequence may hold, as shares of A, C, G and U, and which pairs are canonical.</summary>
public static class Bases
{
    /// <summary>The four bases, in the order of <see cref="Shares"/>.</summary>
    public const string Four = "ACGU";

    /// <summary>The IUPAC codes and the bases each stands for (T reads as U).</summary>
    private static readonly (char Code, string Bases)[] Codes =
    {
        ('A', "A"), ('C', "C"), ('G', "G"), ('U', "U"), ('T', "U"), ('R', "AG"), ('Y', "CU"), ('S', "CG"), ('W', "AU"),
        ('K', "GU"), ('M', "AC"), ('B', "CGU"), ('D', "AGU"), ('H', "ACU"), ('V', "ACG"), ('N', "ACGU"),
    };

    /// <summary>Whether <paramref name="c"/> (either case) is a residue of an aligned row, not a gap.</summary>
    public static bool IsResidue(char c) => char.IsLetter(c);

    /// <summary>The upper-case IUPAC code of residue <paramref name="c"/> (T becomes U, and X, unknown, N); any other letter is an error.</summary>
    public static char Normalize(char c, string what)
    {
        var upper = char.ToUpperInvariant(c) switch { 'T' => 'U', 'X' => 'N', var u => u };
        if (Array.FindIndex(Codes, x => x.Code == upper) < 0) throw new InvalidDataException($"{what}: `{c}` is not an IUPAC nucleotide code.");
        return upper;
    }

    /// <summary>The shares of A, C, G, U that IUPAC code <paramref name="code"/> stands for (N: a quarter each).</summary>
    public static float[] Shares(char code)
    {
        var bases = Array.Find(Codes, x => x.Code == code).Bases ?? throw new ArgumentException($"`{code}` is not an upper-case IUPAC code.", nameof(code));
        var shares = new float[4];
        foreach (var b in bases) shares[Four.IndexOf(b)] = 1f / bases.Length;
        return shares;
    }

    /// <summary>Watson–Crick (A–U, G–C) or wobble (G–U), either way round; a code that is not a single base is not canonical.</summary>
    public static bool CanPair(char a, char b) => (a, b) is ('A', 'U') or ('U', 'A') or ('G', 'C') or ('C', 'G') or ('G', 'U') or ('U', 'G');
}
