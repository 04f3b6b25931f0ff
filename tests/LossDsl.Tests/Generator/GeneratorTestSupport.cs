using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace LossDsl.Tests;

/// <summary>Helpers shared by the generator tests (snapshots, diagnostics, robustness).</summary>
internal static class GeneratorTestSupport
{
    /// <summary>
    /// Warnings and errors of the output compilation. CS1701/CS1702 (assembly version unification: LossDsl and
    /// TorchSharp are built against an older System.Runtime than the .NET 10 reference assemblies) are left out,
    /// as the SDK's default NoWarn leaves them out of every real build.
    /// </summary>
    public static ImmutableArray<Diagnostic> Warnings(GeneratorHarness.Result result) =>
        result.CompilationDiagnostics.Where(d => d.Id is not ("CS1701" or "CS1702")).ToImmutableArray();

    /// <summary>The source text a diagnostic points at in the input compilation.</summary>
    public static string LocatedText(GeneratorHarness.Result result, Diagnostic diagnostic)
    {
        var location = diagnostic.Location;
        Assert(location != Location.None, $"{diagnostic.Id} has no location");
        // In a syntax tree of the compilation, not just a path: '#pragma warning disable' and IDEs need that.
        var tree = location.SourceTree
            ?? throw new InvalidOperationException($"{diagnostic.Id} points into '{location.GetLineSpan().Path}' outside every syntax tree");
        Assert(result.Input.SyntaxTrees.Contains(tree), $"{diagnostic.Id} points into a tree that is not an input file");
        var text = tree.GetText();
        Assert(location.SourceSpan.End <= text.Length, $"{diagnostic.Id}'s span {location.SourceSpan} lies outside the file");
        // The line span must agree with the span, or IDEs underline the wrong place.
        Assert(text.Lines.GetLinePositionSpan(location.SourceSpan) == location.GetLineSpan().Span, $"{diagnostic.Id}'s line span disagrees with its span");
        return text.ToString(location.SourceSpan);
    }

    private static void Assert(bool condition, string message)
    {
        if (!condition) throw new Xunit.Sdk.XunitException(message);
    }
}
