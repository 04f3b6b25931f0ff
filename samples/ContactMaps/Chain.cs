using System;
using System.Linq;

namespace ContactMaps;

/// <summary>Secondary structure of one position (3-state).</summary>
public enum Structure : byte
{
    /// <summary>Coil or loop.</summary>
    Loop,
    /// <summary>Helix (DSSP H, G, I).</summary>
    Helix,
    /// <summary>Strand (DSSP E, B).</summary>
    Strand,
}

/// <summary>
/// One protein chain: its sequence, 3-state secondary structure and Cβ coordinates. The contact map is
/// <c>d(Cβᵢ, Cβⱼ) &lt; 8 Å</c> with <c>|i − j| ≥ 6</c>, computed from the coordinates when asked for.
/// </summary>
/// <param name="Name">A name for tables and plots, e.g. <c>1TII_F</c>.</param>
/// <param name="Sequence">One-letter amino-acid codes, length <c>L</c> (<c>X</c> for anything else).</param>
/// <param name="Structure">Secondary structure per position, length <c>L</c>.</param>
/// <param name="Beta">Cβ coordinates in Å, <c>x, y, z</c> per position (length <c>3L</c>); ideal Cβ for glycine.</param>
public sealed record Chain(string Name, string Sequence, Structure[] Structure, float[] Beta)
{
    /// <summary>The contact cutoff in Å.</summary>
    public const double Cutoff = 8.0;

    /// <summary>The smallest sequence separation that counts as a contact.</summary>
    public const int MinSeparation = 6;

    /// <summary>The number of positions.</summary>
    public int Length => Sequence.Length;

    /// <summary>The Cβ–Cβ distance of positions <paramref name="i"/> and <paramref name="j"/> in Å.</summary>
    public float Distance(int i, int j)
    {
        float dx = Beta[3 * i] - Beta[3 * j], dy = Beta[3 * i + 1] - Beta[3 * j + 1], dz = Beta[3 * i + 2] - Beta[3 * j + 2];
        return MathF.Sqrt(dx * dx + dy * dy + dz * dz);
    }

    /// <summary>Whether <paramref name="i"/> and <paramref name="j"/> are in contact.</summary>
    public bool Contact(int i, int j) => Math.Abs(i - j) >= MinSeparation && Distance(i, j) < Cutoff;

    /// <summary>The number of contacts, each pair <c>i &lt; j</c> once.</summary>
    public int Contacts()
    {
        int count = 0;
        for (int i = 0; i < Length; i++)
            for (int j = i + MinSeparation; j < Length; j++)
                if (Contact(i, j)) count++;
        return count;
    }

    /// <summary>The fraction of contacts among the pairs <c>i &lt; j</c> with <c>j − i ≥ 6</c>.</summary>
    public double Density
    {
        get
        {
            long pairs = (long)Math.Max(0, Length - MinSeparation) * (Length - MinSeparation + 1) / 2;
            return pairs > 0 ? (double)Contacts() / pairs : 0;
        }
    }

    /// <summary>The 3-state class of a DSSP code: H, G, I helix; E, B strand; anything else loop.</summary>
    public static Structure FromDssp(char code) => code switch
    {
        'H' or 'G' or 'I' => ContactMaps.Structure.Helix,
        'E' or 'B' => ContactMaps.Structure.Strand,
        _ => ContactMaps.Structure.Loop,
    };

    /// <summary>The letter of a 3-state class: H, E or C.</summary>
    public static char Letter(Structure s) => s switch
    {
        ContactMaps.Structure.Helix => 'H',
        ContactMaps.Structure.Strand => 'E',
        _ => 'C',
    };
}
