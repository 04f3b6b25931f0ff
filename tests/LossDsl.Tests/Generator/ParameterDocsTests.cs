using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LossDsl.Generators.Terms;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// The parameter tables of docs/attributes.md and docs/diagnostics/LD0006.md are copies of the descriptors' defaults,
/// ranges and rule texts (which read the attributes' initialisers): each row is compared with its descriptor, and each
/// descriptor must have its rows.
/// </summary>
public class ParameterDocsTests
{
    /// <summary>One documented parameter: the attribute (without <c>Attribute</c>) and its descriptor.</summary>
    internal sealed record Documented(string Attribute, ParameterDescriptor Parameter)
    {
        public override string ToString() => $"{Attribute}.{Parameter.Name}";
    }

    /// <summary>Every term parameter, every term's Weight (as a number with LD0007's range), and the structural ones.</summary>
    private static IEnumerable<Documented> All() =>
        TermCatalog.All.SelectMany(t => t.Parameters.Select(p => new Documented(t.AttributeName, p))
                .Append(new Documented(t.AttributeName, Weight(t.DefaultWeight))))
            .Concat(StructuralParameters.All.Select(s => new Documented(s.Attribute, s.Parameter)))
            .Append(new Documented("TransposeConsistency", Weight(StructuralParameters.ConsistencyWeight)));

    private static ParameterDescriptor Weight(double @default) => ParameterDescriptor.Number("Weight", @default, TermDescriptor.WeightRange);

    public static TheoryData<string> Names() => new(All().Select(d => d.ToString()));

    private static Documented Named(string name) => All().First(d => d.ToString() == name);

    private static string Doc(params string[] path) => File.ReadAllText(Path.Combine(new[] { ReferenceVectors.RepositoryRoot, "docs" }.Concat(path).ToArray()));

    /// <summary>A table row's cells, without the outer pipes.</summary>
    private static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();

    /// <summary>The first <c>`name`</c> of a cell.</summary>
    private static string? FirstCode(string cell) => Regex.Match(cell, "`([^`]+)`") is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The rows of attributes.md's parameter tables, by the section (heading) they stand in; "A / B" headings count for both.</summary>
    private static List<(string Section, string[] Cells)> AttributeRows()
    {
        var rows = new List<(string, string[])>();
        string section = "";
        bool inTable = false;
        foreach (var line in Doc("attributes.md").Split('\n'))
        {
            if (line.StartsWith("#", StringComparison.Ordinal)) { section = line.TrimStart('#').Trim(); inTable = false; }
            else if (line.StartsWith("| parameter | type | default", StringComparison.Ordinal)) inTable = true;
            else if (!line.StartsWith("|", StringComparison.Ordinal)) inTable = false;
            else if (inTable && !line.StartsWith("|---", StringComparison.Ordinal))
                foreach (var attribute in section.Split(" / "))
                    rows.Add((attribute, Cells(line)));
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AttributesMdStatesTheDescriptorsDefaultAndRange(string name)
    {
        var (attribute, parameter) = Named(name);
        var rows = AttributeRows().Where(r => r.Section == attribute && FirstCode(r.Cells[0]) == parameter.Name).ToList();
        Assert.True(rows.Count == 1, $"docs/attributes.md, section {attribute}: {rows.Count} rows for `{parameter.Name}`, expected 1");
        var cells = rows[0].Cells;
        Assert.Equal(Shown(parameter), DefaultOf(cells[2]));
        if (parameter.IsFlag) return;
        Assert.True(cells.Length > 3 && (cells[3] == parameter.Rule || cells[3].StartsWith(parameter.Rule + ";", StringComparison.Ordinal)),
            $"docs/attributes.md, {name}: the valid range is '{(cells.Length > 3 ? cells[3] : "")}', the descriptor's '{parameter.Rule}'");
    }

    [Fact]
    public void EveryParameterRowOfAttributesMdHasADescriptor()
    {
        var known = All().Select(d => (d.Attribute, d.Parameter.Name)).ToHashSet();
        foreach (var (section, cells) in AttributeRows())
            Assert.True(known.Contains((section, FirstCode(cells[0]) ?? "")), $"docs/attributes.md, section {section}: row '{string.Join(" | ", cells)}' has no descriptor");
    }

    /// <summary>Every range LD0006 checks has its row in LD0006.md, in the message's words; and every row is one of them.</summary>
    [Fact]
    public void Ld0006MdStatesEveryRuleInTheMessagesWords()
    {
        var rows = Doc("diagnostics", "LD0006.md").Split('\n').Where(l => l.StartsWith("| `[", StringComparison.Ordinal)).Select(Cells).ToList();
        var checkedByLd0006 = All().Where(d => !d.Parameter.IsFlag && d.Parameter.Name != "Weight").ToList();
        foreach (var (attribute, parameter) in checkedByLd0006)
        {
            var row = rows.SingleOrDefault(r => r[0] == $"`[{attribute}]`" && FirstCode(r[1]) == parameter.Name);
            Assert.True(row is not null, $"docs/diagnostics/LD0006.md has no row for {attribute}.{parameter.Name}");
            Assert.Equal(parameter.Rule, row![2]);
        }
        Assert.Equal(checkedByLd0006.Count, rows.Count);
    }

    [Fact]
    public void Ld0009MdListsEveryTerm() =>
        Assert.Contains("none of " + TermCatalog.Listed("or") + ".", Doc("diagnostics", "LD0009.md").Replace("\n", " "), StringComparison.Ordinal);

    /// <summary>
    /// An attribute property's doc comment (what IntelliSense shows) ends in "Default X.", X as its initialiser reads;
    /// the initialiser is the fact, which the descriptors read.
    /// </summary>
    [Fact]
    public void AttributeDocCommentsStateTheInitialisersDefault()
    {
        var src = Path.Combine(ReferenceVectors.RepositoryRoot, "src", "LossDsl");
        var files = Directory.GetFiles(Path.Combine(src, "Terms"), "*Attribute.cs").Concat(Directory.GetFiles(Path.Combine(src, "Vocabulary"), "*Attribute.cs"));
        int settable = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (Match property in Regex.Matches(text, @"public \w+ (\w+) \{ get; set; \} = ([^;]+);"))
            {
                settable++;
                var doc = Regex.Match(text[..property.Index], @"/// <summary>([^\n]*)</summary>\s*$");
                var stated = Regex.Match(doc.Groups[1].Value, @"Default (.+)\.$");
                var initialiser = property.Groups[2].Value;
                Assert.True(stated.Success, $"{Path.GetFileName(file)}: {property.Groups[1].Value}'s summary states no default ({initialiser})");
                Assert.Equal(initialiser, Regex.Replace(stated.Groups[1].Value, "<see cref=\"([^\"]+)\"/>", "$1"));
            }
        }
        Assert.True(settable >= TermCatalog.All.Sum(t => t.Parameters.Count + 1), $"only {settable} settable properties found");
    }

    /// <summary>The default as the docs write it: a number, true/false, an enum member, or "— (required)".</summary>
    private static string Shown(ParameterDescriptor p) =>
        double.IsNaN(p.Default) ? "— (required)"
        : p.IsFlag ? (p.Default != 0 ? "true" : "false")
        : p.Members is { } members ? members[(int)p.Default]
        : p.Default.ToString("R", CultureInfo.InvariantCulture);

    private static string DefaultOf(string cell)
    {
        var text = cell.Trim('`');
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number.ToString("R", CultureInfo.InvariantCulture) : text;
    }
}
