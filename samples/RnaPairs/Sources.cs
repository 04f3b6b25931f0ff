using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace RnaPairs;

/// <summary>
/// One Stockholm file of a Debian package and what this sample does with it: where its data come from, under which
/// licence, the family its members belong to (when the file does not say), and whether its brackets run the other way.
/// </summary>
/// <param name="Package">The Debian package that ships the file.</param>
/// <param name="Path">The file's path inside the package.</param>
/// <param name="Family">The family of a file without <c>#=GF ID</c>; null takes each alignment's ID.</param>
/// <param name="Origin">Where the alignment and its structures were made.</param>
/// <param name="Cc0">Whether the data are CC0 at their origin (Rfam), so that excerpts may be committed.</param>
/// <param name="Reversed">The file writes <c>&gt;</c> on the 5′ side. The builder also checks this by data (canonical-pair share both ways).</param>
public sealed record SourceFile(string Package, string Path, string? Family, string Origin, bool Cc0, bool Reversed = false)
{
    /// <summary>The file name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);
}

/// <summary>The files the data set is built from, the ones left out and why, and fetching them from Debian.</summary>
public static class Sources
{
    private const string Testsuite = "usr/share/doc/infernal/examples/testsuite/";
    private const string Biopython = "usr/share/doc/python-biopython-doc/Tests/Stockholm/";

    /// <summary>The Debian packages the files come from (Debian bookworm: infernal 1.1.4-1, python-biopython-doc 1.80+dfsg-4).</summary>
    public static readonly IReadOnlyList<string> Packages = new[] { "infernal", "python-biopython-doc" };

    /// <summary>The files read, in order: the first of two identical sequences is kept.</summary>
    public static readonly IReadOnlyList<SourceFile> Files = new SourceFile[]
    {
        new("infernal", Testsuite + "tRNA1415G.sto", "tRNA", "Sprinzl tRNA database (Steinberg et al. 1993; trna-2.sto names it), one structure per sequence", Cc0: false),
        new("infernal", Testsuite + "rnaseP-eubact.sto", "RNaseP_bact", "RNase P database (00README: J. W. Brown's a_bacterial_rnas.gb), bacterial RNase P RNAs", Cc0: false),
        new("infernal", Testsuite + "RNaseP.sto", "RNaseP_bact", "not named (RNase P database names), five bacterial RNase P RNAs with pseudoknots", Cc0: false),
        new("infernal", Testsuite + "srp-euk.sto", "SRP_euk", "not named (00README: an SRP RNA alignment), eukaryotic SRP RNAs, one structure per sequence", Cc0: false, Reversed: true),
        new("infernal", Testsuite + "bug-i15.sto", "SSU_bact", "Comparative RNA Web Site (CRW) via SSU-ALIGN 0.1, bacterial 16S rRNAs, one structure per sequence", Cc0: false),
        new("infernal", Testsuite + "ssu.sto", "SSU_bact", "not named, four bacterial 16S rRNAs, one structure per sequence", Cc0: false),
        new("infernal", Testsuite + "Plant_SRP.sto", null, "Rfam RF01855 seed", Cc0: true),
        new("infernal", Testsuite + "Vault.sto", null, "Rfam RF00006 seed", Cc0: true),
        new("infernal", Testsuite + "3.4.12.rf.stk", null, "Rfam RF00003 (U1), RF00004 (U2), RF00012 (U3) seeds", Cc0: true),
        new("infernal", Testsuite + "PK-HAV.sto", null, "Rfam RF01096 seed", Cc0: true),
        new("python-biopython-doc", Biopython + "rfam1.seed.txt", null, "Rfam RF04178 seed", Cc0: true),
        new("python-biopython-doc", Biopython + "rfam2.seed.txt", null, "Rfam RF00101 seed", Cc0: true),
        new("python-biopython-doc", Biopython + "rfam3.seed.txt", null, "Rfam RF00115 seed", Cc0: true),
        new("python-biopython-doc", Biopython + "rfam4.seed.txt", null, "Rfam RF00511 seed", Cc0: true),
        new("python-biopython-doc", Biopython + "rfam5.seed.txt", null, "Rfam RF01113 seed", Cc0: true),
    };

    /// <summary>Stockholm files of the packages that are not read, and why.</summary>
    public static readonly IReadOnlyList<(string File, string Why)> LeftOut = new[]
    {
        ("tRNA.sto, 4.sto", "Rfam's tRNA seed (967 tRNAs; 4.sto repeats it with Vault, Plant_SRP and snR75): a second tRNA source would make tRNA three quarters of the data"),
        ("trna-2.sto", "five of the Sprinzl tRNAs of tRNA1415G.sto"),
        ("snR75.sto", "no structure: its SS_cons has no pairs"),
        ("bug-i2.sto, bug-i14.sto, bug-i49.sto, se*.sto", "test fixtures of a few made-up or unannotated sequences"),
    };

    /// <summary>
    /// Makes sure <paramref name="root"/> holds the packages' files: downloads each missing package with
    /// <c>apt-get download</c> into <c>root/../debs</c> and unpacks it with <c>dpkg-deb -x</c>.
    /// </summary>
    public static void Fetch(string root, Action<string> log)
    {
        var debs = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(root))!, "debs");
        foreach (var package in Packages)
        {
            Directory.CreateDirectory(debs);
            var deb = Directory.GetFiles(debs, package + "_*.deb").FirstOrDefault();
            if (deb is null)
            {
                Run("apt-get", $"download {package}", debs, log);
                deb = Directory.GetFiles(debs, package + "_*.deb").FirstOrDefault()
                    ?? throw new InvalidOperationException($"apt-get download {package} left no {package}_*.deb in {debs}.");
            }
            if (Files.Where(f => f.Package == package).All(f => File.Exists(System.IO.Path.Combine(root, f.Path)))) continue;
            Run("dpkg-deb", $"-x {System.IO.Path.GetFileName(deb)} {System.IO.Path.GetFullPath(root)}", debs, log);
        }
    }

    /// <summary>Each package's name and version as unpacked under <paramref name="root"/>, from the first line of its Debian changelog.</summary>
    public static IReadOnlyList<string> Versions(string root) => Packages.Select(package =>
    {
        var changelog = System.IO.Path.Combine(root, "usr", "share", "doc", package, "changelog.Debian.gz");
        var first = File.Exists(changelog) ? TextFiles.ReadLines(changelog).FirstOrDefault() : null;
        var open = first?.IndexOf('(') ?? -1;
        var close = first?.IndexOf(')') ?? -1;
        return open > 0 && close > open ? $"{package} {first![(open + 1)..close]}" : $"{package} (version unknown)";
    }).ToList();

    /// <summary>Runs a command in <paramref name="folder"/>; returns its standard output; a failure or a missing program is an error.</summary>
    public static string Run(string program, string arguments, string folder, Action<string> log)
    {
        log($"{program} {arguments}");
        var start = new ProcessStartInfo(program, arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try { process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start."); }
        catch (Win32Exception e) { throw new InvalidOperationException($"{program} is not installed or not on PATH; see samples/RnaPairs/data/README.md.", e); }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {arguments} failed (exit code {process.ExitCode}): {stderr}{stdout.Result}");
            return stdout.Result;
        }
    }
}
