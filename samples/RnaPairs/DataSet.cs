using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace RnaPairs;

/// <summary>Which part of a split a sequence is in.</summary>
public enum Split : byte
{
    /// <summary>Training sequences.</summary>
    Train,
    /// <summary>Validation sequences: early stopping, thresholds, the better half.</summary>
    Validation,
    /// <summary>Test sequences: the tables, never any choice.</summary>
    Test,
}

/// <summary>A sequence of the data set with its structure, family, source file, 80 %-identity cluster and its part in both splits.</summary>
/// <param name="Split">Its part in the cluster split (train, validation and test disjoint at the cluster level).</param>
/// <param name="FamilySplit">Its part in the family split (the held-out families are the test part).</param>
public sealed record RnaEntry(string Name, string Family, string Source, RnaStructure Structure, int Cluster, int ClusterSize, Split Split, Split FamilySplit);

/// <summary>
/// The data set file: gzip of <c>"RNAP"</c>, version byte 1, u32 count, then per sequence: name, family and source
/// file (u8 length and ASCII each), i32 cluster, u16 cluster size, u8 split, u8 family split, u16 length <c>L</c>,
/// <c>L</c> IUPAC letters, u16 pair count and the pairs (u16 i, u16 j). Little-endian. Reading checks every structure.
/// </summary>
public static class DataSet
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("RNAP");
    private const byte Version = 1;

    /// <summary>Writes <paramref name="entries"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<RnaEntry> entries)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var writer = new BinaryWriter(new GZipStream(File.Create(path), CompressionLevel.SmallestSize));
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((uint)entries.Count);
        foreach (var e in entries)
        {
            foreach (var text in new[] { e.Name, e.Family, e.Source }) WriteText(writer, text);
            writer.Write(e.Cluster);
            writer.Write(checked((ushort)e.ClusterSize));
            writer.Write((byte)e.Split);
            writer.Write((byte)e.FamilySplit);
            writer.Write(checked((ushort)e.Structure.Length));
            writer.Write(Encoding.ASCII.GetBytes(e.Structure.Sequence));
            var pairs = e.Structure.Pairs.ToList();
            writer.Write(checked((ushort)pairs.Count));
            foreach (var (i, j) in pairs) { writer.Write((ushort)i); writer.Write((ushort)j); }
        }
    }

    /// <summary>Reads the data set at <paramref name="path"/>.</summary>
    public static IReadOnlyList<RnaEntry> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No data set at {path}: build it with `dotnet run --project samples/RnaPairs -- data build` (see samples/RnaPairs/data/README.md).", path);
        using var reader = new BinaryReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        if (!reader.ReadBytes(4).SequenceEqual(Magic) || reader.ReadByte() != Version)
            throw new InvalidDataException($"{path} is not an RnaPairs data set (version {Version}).");
        var count = reader.ReadUInt32();
        var entries = new List<RnaEntry>((int)count);
        for (int n = 0; n < count; n++)
        {
            string name = ReadText(reader), family = ReadText(reader), source = ReadText(reader);
            int cluster = reader.ReadInt32(), clusterSize = reader.ReadUInt16();
            Split split = ReadSplit(reader, path, name), familySplit = ReadSplit(reader, path, name);
            var sequence = Encoding.ASCII.GetString(reader.ReadBytes(reader.ReadUInt16()));
            var pairs = Enumerable.Range(0, reader.ReadUInt16()).Select(_ => ((int)reader.ReadUInt16(), (int)reader.ReadUInt16())).ToList();
            entries.Add(new RnaEntry(name, family, source, new RnaStructure(sequence, pairs, $"{path}: {name}"), cluster, clusterSize, split, familySplit));
        }
        return entries;
    }

    private static void WriteText(BinaryWriter writer, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        writer.Write(checked((byte)bytes.Length));
        writer.Write(bytes);
    }

    private static string ReadText(BinaryReader reader) => Encoding.ASCII.GetString(reader.ReadBytes(reader.ReadByte()));

    private static Split ReadSplit(BinaryReader reader, string path, string name)
    {
        var split = (Split)reader.ReadByte();
        return Enum.IsDefined(split) ? split : throw new InvalidDataException($"{path}: {name} has an unknown split {(byte)split}.");
    }
}
