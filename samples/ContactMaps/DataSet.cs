using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace ContactMaps;

/// <summary>Which split a chain belongs to. The splits are disjoint at 40 % sequence identity (one chain per cd-hit cluster).</summary>
public enum Split : byte
{
    /// <summary>Training chains.</summary>
    Train,
    /// <summary>Validation chains: early stopping, thresholds, the better half.</summary>
    Validation,
    /// <summary>Test chains: the tables, never any choice.</summary>
    Test,
}

/// <summary>A chain of the data set with its split and the size of its 40 %-identity cluster in the source database.</summary>
public sealed record DataChain(Chain Chain, Split Split, int ClusterSize);

/// <summary>
/// The committed real data set (<c>data/chains.bin.gz</c>): gzip of <c>"CMAP"</c>, version byte 1, u32 count, then per
/// chain: u8 name length and ASCII name, u8 split, u16 cluster size, u16 length <c>L</c>, <c>L</c> sequence letters,
/// <c>L</c> structure letters (H, E, C), and <c>3L</c> int16 Cβ coordinates in 0.01 Å around the chain's centroid.
/// Little-endian.
/// </summary>
public static class DataSet
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("CMAP");
    private const byte Version = 1;

    /// <summary>The data set bundled next to the program (copied from <c>samples/ContactMaps/data/</c>).</summary>
    public static string BundledPath => Path.Combine(AppContext.BaseDirectory, "data", "chains.bin.gz");

    /// <summary>Writes <paramref name="chains"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<DataChain> chains)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        using var writer = new BinaryWriter(gzip);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((uint)chains.Count);
        foreach (var (chain, split, clusterSize) in chains)
        {
            var name = Encoding.ASCII.GetBytes(chain.Name);
            writer.Write(checked((byte)name.Length));
            writer.Write(name);
            writer.Write((byte)split);
            writer.Write(checked((ushort)clusterSize));
            writer.Write(checked((ushort)chain.Length));
            writer.Write(Encoding.ASCII.GetBytes(chain.Sequence));
            writer.Write(chain.Structure.Select(s => (byte)Chain.Letter(s)).ToArray());
            var centre = Enumerable.Range(0, 3).Select(k => Enumerable.Range(0, chain.Length).Average(i => (double)chain.Beta[3 * i + k])).ToArray();
            for (int i = 0; i < chain.Length; i++)
                for (int k = 0; k < 3; k++)
                    writer.Write(checked((short)Math.Round((chain.Beta[3 * i + k] - centre[k]) * 100)));
        }
    }

    /// <summary>Reads the data set at <paramref name="path"/> (the bundled one by default).</summary>
    public static IReadOnlyList<DataChain> Read(string? path = null)
    {
        path ??= BundledPath;
        if (!File.Exists(path))
            throw new FileNotFoundException($"No data set at {path}: build it with `dotnet run --project samples/ContactMaps -- data build --structure-db PATH` (see samples/ContactMaps/data/README.md).", path);
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new BinaryReader(gzip);
        if (!reader.ReadBytes(4).SequenceEqual(Magic) || reader.ReadByte() != Version)
            throw new InvalidDataException($"{path} is not a ContactMaps data set (version {Version}).");
        var count = reader.ReadUInt32();
        var chains = new List<DataChain>((int)count);
        for (int c = 0; c < count; c++)
        {
            var name = Encoding.ASCII.GetString(reader.ReadBytes(reader.ReadByte()));
            var split = (Split)reader.ReadByte();
            if (!Enum.IsDefined(split)) throw new InvalidDataException($"{path}: chain {name} has an unknown split {(byte)split}.");
            int clusterSize = reader.ReadUInt16(), length = reader.ReadUInt16();
            var sequence = Encoding.ASCII.GetString(reader.ReadBytes(length));
            var structure = reader.ReadBytes(length).Select(b => Chain.FromDssp((char)b)).ToArray();
            var beta = new float[3 * length];
            for (int k = 0; k < beta.Length; k++) beta[k] = reader.ReadInt16() * 0.01f;
            if (sequence.Length != length || structure.Length != length) throw new InvalidDataException($"{path} is cut short at chain {name}.");
            chains.Add(new DataChain(new Chain(name, sequence, structure, beta), split, clusterSize));
        }
        return chains;
    }
}
