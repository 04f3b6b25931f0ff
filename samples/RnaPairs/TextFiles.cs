using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace RnaPairs;

/// <summary>Text files that may be gzip-compressed (Debian compresses some documentation files).</summary>
public static class TextFiles
{
    /// <summary>The lines of <paramref name="path"/>, decompressed when it ends in <c>.gz</c>.</summary>
    public static IEnumerable<string> ReadLines(string path)
    {
        if (!path.EndsWith(".gz", System.StringComparison.Ordinal))
        {
            foreach (var line in File.ReadLines(path)) yield return line;
            yield break;
        }
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        while (reader.ReadLine() is { } line) yield return line;
    }
}
