using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RnaPairs;

/// <summary>One alignment of a Stockholm file: its members in file order, and the structure lines this sample reads.</summary>
/// <param name="Id">The <c>#=GF ID</c> line, if any.</param>
/// <param name="Accession">The <c>#=GF AC</c> line (an Rfam accession such as <c>RF00006</c>), if any.</param>
/// <param name="Names">Member names in the order of their first line.</param>
/// <param name="Rows">Each member's aligned row, blocks joined.</param>
/// <param name="Structures">Each member's own structure (<c>#=GR name SS</c>), where the file has one.</param>
/// <param name="Consensus">The family structure (<c>#=GC SS_cons</c>), if any.</param>
public sealed record StockholmAlignment(
    string? Id, string? Accession, IReadOnlyList<string> Names, IReadOnlyDictionary<string, string> Rows,
    IReadOnlyDictionary<string, string> Structures, string? Consensus)
{
    /// <summary>Alignment columns.</summary>
    public int Columns => Rows.Count == 0 ? 0 : Rows[Names[0]].Length;
}

/// <summary>Reads Stockholm 1.0 files: several alignments per file, interleaved blocks, <c>#=GF ID/AC</c>, <c>#=GR SS</c> and <c>#=GC SS_cons</c>.</summary>
public static class Stockholm
{
    /// <summary>Reads every alignment of <paramref name="lines"/>; <paramref name="source"/> names the file in errors.</summary>
    public static IReadOnlyList<StockholmAlignment> Parse(IEnumerable<string> lines, string source)
    {
        var alignments = new List<StockholmAlignment>();
        Builder? current = null;
        int number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.TrimEnd();
            if (line.StartsWith("# STOCKHOLM", StringComparison.Ordinal))
            {
                if (current is not null) throw Error(source, number, "a new alignment starts before `//` ends the last one");
                current = new Builder();
                continue;
            }
            if (line.Length == 0) continue;
            if (current is null) throw Error(source, number, "text outside an alignment (no `# STOCKHOLM 1.0` header)");
            if (line == "//")
            {
                alignments.Add(current.Build(source, number));
                current = null;
                continue;
            }
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields[0] == "#=GF" && fields.Length >= 3 && fields[1] is "ID" or "AC")
            {
                if (fields[1] == "ID") current.Id = fields[2]; else current.Accession = fields[2];
            }
            else if (fields[0] == "#=GC" && fields.Length == 3 && fields[1] == "SS_cons") current.Consensus += fields[2];
            else if (fields[0] == "#=GR" && fields.Length == 4 && fields[2] == "SS") Append(current.Structures, fields[1], fields[3]);
            else if (line[0] == '#') continue; // other markup (#=GF, #=GS, #=GC RF, comments)
            else if (fields.Length == 2)
            {
                if (!current.Rows.ContainsKey(fields[0])) current.Names.Add(fields[0]);
                Append(current.Rows, fields[0], fields[1]);
            }
            else throw Error(source, number, $"a sequence line has {fields.Length} fields, not 2: `{line}`");
        }
        if (current is not null) throw Error(source, number, "the file ends inside an alignment (no closing `//`)");
        return alignments;
    }

    /// <summary>Reads the Stockholm file at <paramref name="path"/> (plain or <c>.gz</c>).</summary>
    public static IReadOnlyList<StockholmAlignment> Read(string path) => Parse(TextFiles.ReadLines(path), Path.GetFileName(path));

    private static void Append(Dictionary<string, string> rows, string name, string text) =>
        rows[name] = rows.TryGetValue(name, out var before) ? before + text : text;

    private static InvalidDataException Error(string source, int line, string what) => new($"{source}, line {line}: {what}.");

    private sealed class Builder
    {
        public string? Id, Accession, Consensus;
        public readonly List<string> Names = new();
        public readonly Dictionary<string, string> Rows = new(StringComparer.Ordinal), Structures = new(StringComparer.Ordinal);

        public StockholmAlignment Build(string source, int line)
        {
            int columns = Names.Count == 0 ? 0 : Rows[Names[0]].Length;
            foreach (var name in Names.Where(n => Rows[n].Length != columns))
                throw Error(source, line, $"row {name} has {Rows[name].Length} columns, the first row {columns}");
            foreach (var (name, ss) in Structures)
            {
                if (!Rows.ContainsKey(name)) throw Error(source, line, $"#=GR {name} SS names no sequence");
                if (ss.Length != columns) throw Error(source, line, $"#=GR {name} SS has {ss.Length} columns, the rows {columns}");
            }
            if (Consensus is not null && Consensus.Length != columns)
                throw Error(source, line, $"#=GC SS_cons has {Consensus.Length} columns, the rows {columns}");
            return new StockholmAlignment(Id, Accession, Names, Rows, Structures, Consensus);
        }
    }
}
