using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ContactMaps;

/// <summary>
/// Reads ProMod3's structure database (<c>structure_db.dat</c> of Debian's <c>promod3-data</c>): a raw
/// little-endian dump. At byte 77 the chain count (u64); then one 33-byte record per chain
/// <c>[u32 4]["12AS"][u32 1][chain][u32 offset][u16 size][u16 start residue number][3 × f32 shift]</c>; then
/// per-residue arrays, each <c>[u64 n]</c> and <c>n</c> entries: sequence (1 byte), backbone (N, Cα, C, O as
/// int16 x, y, z in 0.01 Å, 24 bytes), three arrays of 4, 2 and 2 bytes (not used), DSSP (1 byte), two 40-byte
/// profiles (not used).
/// </summary>
public sealed class StructureDb
{
    private const int CountOffset = 77;
    private const int RecordSize = 33;
    private static readonly int[] ArrayEntrySizes = { 1, 24, 4, 2, 2, 1, 40, 40 };
    private const int SequenceArray = 0, BackboneArray = 1, DsspArray = 5;

    /// <summary>One chain's entry.</summary>
    public readonly record struct Entry(string Pdb, char ChainId, int Offset, int Size, int StartResidue);

    private readonly byte[] _sequence;
    private readonly byte[] _backbone;
    private readonly byte[] _dssp;

    /// <summary>The chains, in file order.</summary>
    public IReadOnlyList<Entry> Entries { get; }

    private StructureDb(IReadOnlyList<Entry> entries, byte[] sequence, byte[] backbone, byte[] dssp) =>
        (Entries, _sequence, _backbone, _dssp) = (entries, sequence, backbone, dssp);

    /// <summary>Reads <paramref name="path"/>, checking the layout (every array holds one entry per residue, the file ends after the last).</summary>
    public static StructureDb Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        stream.Position = CountOffset;
        var count = checked((int)reader.ReadUInt64());
        var entries = new Entry[count];
        long residues = 0;
        for (int k = 0; k < count; k++)
        {
            if (reader.ReadUInt32() != 4) throw Bad(path, $"record {k} does not start with the id length 4");
            var pdb = Encoding.ASCII.GetString(reader.ReadBytes(4));
            if (reader.ReadUInt32() != 1) throw Bad(path, $"record {k} has no one-character chain id");
            var chain = (char)reader.ReadByte();
            var offset = reader.ReadUInt32();
            var size = reader.ReadUInt16();
            var start = reader.ReadUInt16();
            stream.Position += 12; // the shift: distances do not need it
            if (offset != residues) throw Bad(path, $"record {k} ({pdb} {chain}) starts at residue {offset}, expected {residues}");
            entries[k] = new Entry(pdb, chain, checked((int)offset), size, start);
            residues += size;
        }
        var arrays = new byte[ArrayEntrySizes.Length][];
        for (int a = 0; a < ArrayEntrySizes.Length; a++)
        {
            var n = reader.ReadUInt64();
            if ((long)n != residues) throw Bad(path, $"array {a} at byte {stream.Position - 8} holds {n} entries, expected {residues}");
            var bytes = checked((int)(residues * ArrayEntrySizes[a]));
            if (a is SequenceArray or BackboneArray or DsspArray)
            {
                arrays[a] = reader.ReadBytes(bytes);
                if (arrays[a].Length != bytes) throw Bad(path, $"array {a} is cut short");
            }
            else stream.Position += bytes;
        }
        if (stream.Position != stream.Length) throw Bad(path, $"{stream.Length - stream.Position} bytes after the last array");
        return new StructureDb(entries, arrays[SequenceArray], arrays[BackboneArray], arrays[DsspArray]);
    }

    /// <summary>The one-letter sequence of <paramref name="entry"/>.</summary>
    public string Sequence(Entry entry) => Encoding.ASCII.GetString(_sequence, entry.Offset, entry.Size);

    /// <summary>The DSSP codes of <paramref name="entry"/>.</summary>
    public string Dssp(Entry entry) => Encoding.ASCII.GetString(_dssp, entry.Offset, entry.Size);

    /// <summary>Backbone atom <paramref name="atom"/> (0 N, 1 Cα, 2 C, 3 O) of residue <paramref name="residue"/> of <paramref name="entry"/>, in Å.</summary>
    public (double X, double Y, double Z) Atom(Entry entry, int residue, int atom)
    {
        var at = (entry.Offset + residue) * 24 + atom * 6;
        return (BitConverter.ToInt16(_backbone, at) * 0.01, BitConverter.ToInt16(_backbone, at + 2) * 0.01, BitConverter.ToInt16(_backbone, at + 4) * 0.01);
    }

    /// <summary>The largest Cα–Cα distance of consecutive residues of <paramref name="entry"/>, in Å (about 3.8 for a continuous chain).</summary>
    public double LargestStep(Entry entry)
    {
        double largest = 0;
        for (int i = 1; i < entry.Size; i++) largest = Math.Max(largest, Geometry.Distance(Atom(entry, i - 1, 1), Atom(entry, i, 1)));
        return largest;
    }

    /// <summary>The chain of <paramref name="entry"/>: sequence, 3-state structure from DSSP, ideal Cβ from N, Cα, C.</summary>
    public Chain Chain(Entry entry)
    {
        var beta = new float[3 * entry.Size];
        var structure = new Structure[entry.Size];
        var dssp = Dssp(entry);
        for (int i = 0; i < entry.Size; i++)
        {
            var (x, y, z) = Geometry.IdealBeta(Atom(entry, i, 0), Atom(entry, i, 1), Atom(entry, i, 2));
            (beta[3 * i], beta[3 * i + 1], beta[3 * i + 2]) = ((float)x, (float)y, (float)z);
            structure[i] = ContactMaps.Chain.FromDssp(dssp[i]);
        }
        return new Chain($"{entry.Pdb}_{entry.ChainId}", Sequence(entry), structure, beta);
    }

    private static InvalidDataException Bad(string path, string what) =>
        new($"{path} is not the structure database this reader knows: {what}.");
}
