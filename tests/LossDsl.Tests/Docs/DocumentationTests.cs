using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// The user's pages stay short and whole: size limits, every relative link and image resolves (files and GitHub
/// heading anchors), the package README links only absolutely into the repository, and the numbers the README quotes
/// agree with the pages and result files they come from.
/// </summary>
public sealed class DocumentationTests
{
    private static string Root => RepositoryFiles.Root;

    private static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    [Theory]
    [InlineData("README.md", 12)]
    [InlineData("benchmarks/README.md", 15)]
    [InlineData("src/LossDsl/PACKAGE.md", 8)]
    public void PagesStayWithinTheirSize(string page, int kilobytes)
    {
        var bytes = new FileInfo(Path.Combine(Root, page)).Length;
        Assert.True(bytes <= kilobytes * 1024, $"{page} is {bytes:N0} bytes, over {kilobytes} KB");
    }

    /// <summary>The pages whose relative links must resolve: the README, docs/, the samples' and the benchmarks' READMEs.</summary>
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md", "benchmarks/README.md" };
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories)
                     .Concat(Directory.GetFiles(Path.Combine(Root, "samples"), "README.md", SearchOption.AllDirectories))
                     .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
                     .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
                     .Order(StringComparer.Ordinal))
            pages.Add(file);
        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void RelativeLinksAndImagesResolveToFilesAndHeadings(string page)
    {
        var path = Path.Combine(Root, page);
        var broken = new List<string>();
        foreach (var target in Links(File.ReadAllText(path)))
        {
            if (Regex.IsMatch(target, "^[a-z]+:", RegexOptions.IgnoreCase)) continue; // http:, https:, mailto:
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? target : target[..hash];
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(file)));
            if (!File.Exists(resolved) && !Directory.Exists(resolved)) broken.Add(target + ": no such file");
            else if (hash >= 0 && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(File.ReadAllText(resolved)).Contains(target[(hash + 1)..]))
                broken.Add(target + ": no such heading");
        }
        Assert.True(broken.Count == 0, page + ":\n" + string.Join("\n", broken));
    }

    [Fact]
    public void ThePackageReadmeLinksOnlyIntoTheRepositoryByAbsoluteUrls()
    {
        var repository = Props("RepositoryUrl");
        var blob = repository + "/blob/main/";
        var text = Read("src/LossDsl/PACKAGE.md");
        Assert.DoesNotContain("![", text, StringComparison.Ordinal);
        var links = Links(text).ToList();
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            if (link == repository + "#readme") continue;
            Assert.True(link.StartsWith(blob, StringComparison.Ordinal), $"PACKAGE.md: {link} is not under {blob}");
            var hash = link.IndexOf('#', StringComparison.Ordinal);
            var file = Path.Combine(Root, hash < 0 ? link[blob.Length..] : link[blob.Length..hash]);
            Assert.True(File.Exists(file), $"PACKAGE.md: {link} names no file of the repository");
            if (hash >= 0) Assert.Contains(link[(hash + 1)..], Anchors(File.ReadAllText(file)));
        }
    }

    [Fact]
    public void TheLicenseIsMitWithThePackagesCopyright()
    {
        var license = Read("LICENSE");
        Assert.StartsWith("MIT License", license, StringComparison.Ordinal);
        Assert.Contains(Props("Copyright"), license, StringComparison.Ordinal);
        var project = XDocument.Load(Path.Combine(Root, "src", "LossDsl", "LossDsl.csproj"));
        Assert.Equal("MIT", project.Descendants("PackageLicenseExpression").Single().Value);
    }

    [Fact]
    public void TheQuickStartIsTheMainJobThenTheTests()
    {
        var section = Section(Read("README.md"), "## Quick start");
        var block = Regex.Match(section, "```bash\n(?<body>.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "README.md's Quick start has no bash block");
        Assert.Equal(new[] { "dotnet run --project samples/ContactMaps", "dotnet test" },
            block.Groups["body"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void TheReadmesSpeedRowsAreThoseOfThePerformancePage()
    {
        var readme = Tables(Section(Read("README.md"), "## Speed")).Single();
        var performance = Tables(Between(Read("docs/performance.md"), "<!-- losses:begin -->", "<!-- losses:end -->"));
        var times = performance[0];
        var ratios = performance[1];
        Assert.NotEmpty(readme.Rows);
        foreach (var row in readme.Rows)
        {
            var loss = row["loss"];
            var timed = times.Rows.Single(r => r["loss"] == loss);
            Assert.Equal(timed["hand-composed"], row["hand-composed"]);
            Assert.Equal(timed["generated"], row["generated"]);
            var ratio = ratios.Rows.Single(r => r["loss"] == loss)["hand ÷ generated"];
            Assert.Equal(ratio.Split(' ')[0], row["hand ÷ generated"]);
        }
    }

    /// <summary>The committed comparisons whose numbers the pages quote: contact maps (two inputs) and RNA base pairs (two splits).</summary>
    private static readonly string[] FullRuns = { "results/full/denoise", "results/full/predict", "results/rna/cluster", "results/rna/family" };

    [Fact]
    public void TheReadmesAnswerQuotesTheFullRun()
    {
        var results = Intervals(string.Concat(FullRuns.Select(f => Read(f + "/results.md")))).ToList();
        var quoted = Intervals(Section(Read("README.md"), "## Which option to use")).ToList();
        Assert.True(quoted.Count >= 5, "The answer quotes too few intervals");
        foreach (var q in quoted)
            Assert.True(results.Any(r => Rounds(r.Mean, q.Mean) && Rounds(r.Low, q.Low) && Rounds(r.High, q.High)),
                $"README.md quotes {q.Text}, which no interval in results/full/*/results.md rounds to");
    }

    /// <summary>Every interval cell of a sample page's "## Results" tables, as its run's results.md files have it.</summary>
    [Theory]
    [InlineData("samples/ContactMaps/README.md", "results/full/denoise", "results/full/predict")]
    [InlineData("samples/RnaPairs/README.md", "results/rna/cluster", "results/rna/family")]
    public void ASamplePagesTablesAreCopiedFromItsFullRun(string page, string first, string second)
    {
        var results = Read(first + "/results.md") + Read(second + "/results.md");
        var cells = Tables(Section(Read(page), "## Results")).SelectMany(t => t.Rows).SelectMany(r => r.Values)
            .Where(c => c.Contains(" [", StringComparison.Ordinal)).ToList();
        Assert.True(cells.Count >= 60, $"{page}'s tables are missing");
        Assert.All(cells, c => Assert.Contains(c, results, StringComparison.Ordinal));
    }

    /// <summary>
    /// Each cell of the two-domain table is its run's verdict on AUPRC (Holm), the difference to four decimals, and F1's
    /// verdict, from that run's results.csv; "not run" where the option was not in it.
    /// </summary>
    [Fact]
    public void TheTwoDomainTableIsTheRunsVerdicts()
    {
        var columns = new Dictionary<string, string>
        {
            ["contacts, denoise"] = FullRuns[0], ["contacts, predict"] = FullRuns[1],
            ["RNA, cluster split"] = FullRuns[2], ["RNA, family split"] = FullRuns[3],
        };
        var table = Tables(Section(Read("samples/RnaPairs/README.md"), "## The two domains side by side")).First();
        Assert.True(table.Rows.Count >= 6, "The two-domain table is missing rows");
        foreach (var row in table.Rows)
        {
            var label = Regex.Replace(row["option"], @" \((placebo|context)\)$", "");
            foreach (var (column, folder) in columns)
            {
                var rows = ResultRows(folder).Where(r => r["label"] == label).ToDictionary(r => r["metric"]);
                var expected = rows.Count == 0 ? "not run" : string.Create(CultureInfo.InvariantCulture,
                    $"{Short(rows["auprc"]["verdict"])} ({Signed(rows["auprc"]["difference"])}); F1 {Short(rows["f1"]["verdict"])}");
                Assert.True(expected == row[column], $"{label}, {column}: the table says '{row[column]}', {folder}/results.csv '{expected}'");
            }
        }
        static string Short(string verdict) => verdict == "no detectable difference" ? "n.d.d." : verdict;
        static string Signed(string value) => double.Parse(value, CultureInfo.InvariantCulture).ToString("+0.0000;−0.0000", CultureInfo.InvariantCulture);
    }

    /// <summary>A results.csv as rows of column → value (quoted fields hold no quotes).</summary>
    private static List<Dictionary<string, string>> ResultRows(string folder)
    {
        var lines = Read(folder + "/results.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        static string[] Fields(string line) => Regex.Matches(line.TrimEnd('\r'), "(?<=^|,)(\"(?<v>[^\"]*)\"|(?<v>[^,]*))").Select(m => m.Groups["v"].Value).ToArray();
        var header = Fields(lines[0]);
        return lines.Skip(1).Select(l => header.Zip(Fields(l)).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    /// <summary>Every link or image target of a Markdown text, outside fenced code.</summary>
    private static IEnumerable<string> Links(string markdown) =>
        Regex.Matches(WithoutCode(markdown), @"\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)").Select(m => m.Groups["target"].Value);

    /// <summary>The anchors GitHub makes for a page: a slug per heading (repeats numbered -1, -2, …) and explicit ids.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var text = WithoutCode(markdown);
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Regex.Matches(text, @"^#{1,6}\s+(?<title>.+?)\s*#*\s*$", RegexOptions.Multiline))
        {
            var slug = Slug(heading.Groups["title"].Value);
            var unique = slug;
            for (var i = 1; !anchors.Add(unique); i++) unique = slug + "-" + i.ToString(CultureInfo.InvariantCulture);
        }
        foreach (Match id in Regex.Matches(text, @"<a\s+(id|name)=""(?<id>[^""]+)"""))
            anchors.Add(id.Groups["id"].Value);
        return anchors;
    }

    /// <summary>GitHub's heading slug: links reduced to their text, lower case, only letters, marks, digits, '_', '-' and spaces kept, spaces to '-'.</summary>
    private static string Slug(string title)
    {
        var text = Regex.Replace(title, @"\[(?<text>[^\]]*)\]\([^)]*\)", "${text}").ToLowerInvariant();
        var slug = new StringBuilder();
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (c == ' ') slug.Append('-');
            else if (c == '-' || char.IsLetterOrDigit(c) || category is UnicodeCategory.ConnectorPunctuation
                         or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
                slug.Append(c);
        }
        return slug.ToString();
    }

    private static string WithoutCode(string markdown) => Regex.Replace(markdown, "^```.*?^```", "", RegexOptions.Multiline | RegexOptions.Singleline);

    /// <summary>From the heading line <paramref name="heading"/> (a prefix of it) to the next heading of the same level.</summary>
    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf("\n" + heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section '{heading}'");
        var level = heading.TakeWhile(c => c == '#').Count();
        var next = Regex.Match(markdown[(start + 1 + heading.Length)..], "^#{1," + level + "} ", RegexOptions.Multiline);
        return next.Success ? markdown.Substring(start, 1 + heading.Length + next.Index) : markdown[start..];
    }

    private static string Between(string text, string begin, string end)
    {
        var from = text.IndexOf(begin, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"No {begin} … {end}");
        return text[(from + begin.Length)..to];
    }

    private sealed record Table(IReadOnlyList<IReadOnlyDictionary<string, string>> Rows);

    /// <summary>The Markdown tables of a text, each row as column → cell.</summary>
    private static List<Table> Tables(string markdown)
    {
        var tables = new List<Table>();
        var lines = markdown.Split('\n');
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (!lines[i].StartsWith('|') || !lines[i + 1].StartsWith("|---", StringComparison.Ordinal)) continue;
            var header = Cells(lines[i]);
            var rows = new List<IReadOnlyDictionary<string, string>>();
            for (i += 2; i < lines.Length && lines[i].StartsWith('|'); i++)
                rows.Add(header.Zip(Cells(lines[i])).ToDictionary(p => p.First, p => p.Second));
            tables.Add(new Table(rows));
        }
        return tables;
    }

    private static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();

    private sealed record Interval(string Text, string Mean, string Low, string High);

    /// <summary>Every "m [lo, hi]" in a text (with '−' or '-' as minus).</summary>
    private static IEnumerable<Interval> Intervals(string text) =>
        Regex.Matches(text, @"(?<m>[+−-]?\d+\.\d+) \[(?<lo>[+−-]?\d+\.\d+), (?<hi>[+−-]?\d+\.\d+)\]")
            .Select(m => new Interval(m.Value, m.Groups["m"].Value, m.Groups["lo"].Value, m.Groups["hi"].Value));

    /// <summary>Whether <paramref name="precise"/> rounds to <paramref name="quoted"/> at the quoted number of decimals.</summary>
    private static bool Rounds(string precise, string quoted)
    {
        static double Parse(string s) => double.Parse(s.Replace('−', '-'), CultureInfo.InvariantCulture);
        var decimals = quoted.Length - quoted.IndexOf('.', StringComparison.Ordinal) - 1;
        return Math.Abs(Parse(precise) - Parse(quoted)) <= 0.5 * Math.Pow(10, -decimals) + 1e-12;
    }

    private static string Props(string property) =>
        XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants(property).Single().Value.Trim();
}
