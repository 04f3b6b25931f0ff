using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using LossDsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LossDsl.Tests;

/// <summary>
/// Proves the generator's pipeline cacheable, in the manner of NetEscapades.EnumGenerators' TestHelpers: run the
/// driver, run it again on a clone of the compilation and after an unrelated edit, and check that every tracked
/// step was <see cref="IncrementalStepRunReason.Cached"/> or <see cref="IncrementalStepRunReason.Unchanged"/>,
/// that every step produced equal outputs, and that no step's output holds a Roslyn object (symbol, syntax,
/// compilation, semantic model, location) that would defeat caching or keep a compilation alive.
/// </summary>
internal static class IncrementalTestHelpers
{
    /// <summary>The name Roslyn gives the steps of RegisterSourceOutput in <see cref="GeneratorRunResult.TrackedOutputSteps"/>.</summary>
    public const string SourceOutput = "SourceOutput";

    /// <summary>Every constant of <see cref="TrackingNames"/>: the steps the generator names.</summary>
    public static readonly string[] AllTrackingNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    /// <summary>
    /// Steps that re-run with every new compilation by design: the diagnostics are paired with the compilation so that
    /// they can be reported in its syntax trees. Their outputs are still compared (the diagnostics part) and walked
    /// (everything but the compilation itself).
    /// </summary>
    private static readonly string[] RerunByDesign = { TrackingNames.DiagnosticsWithCompilation };

    /// <summary>Types no pipeline model may hold (nor anything deriving from or implementing them).</summary>
    private static readonly Type[] Banned =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(Location),
        // Roslyn objects that hold one of the above without being one.
        typeof(SyntaxTree), typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(SyntaxReference), typeof(AttributeData), typeof(TypedConstant),
    };

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static SyntaxTree Tree(string source, string path) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: path);

    /// <summary>A compilation of <paramref name="files"/> (path, source), with the references the other generator tests use.</summary>
    public static CSharpCompilation Compilation(params (string Path, string Source)[] files) =>
        GeneratorHarness.Compilation("")
            .RemoveAllSyntaxTrees()
            .AddSyntaxTrees(files.Select(f => Tree(f.Source, f.Path)));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            new[] { new LossGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>The one generator's result, after checking it did not throw.</summary>
    public static GeneratorRunResult Single(GeneratorDriver driver)
    {
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null) throw new InvalidOperationException("The generator threw.", result.Exception);
        return result;
    }

    /// <summary>
    /// Runs the generator over <paramref name="compilation"/>, then (from that driver) over a clone of it, then over
    /// it with <paramref name="unrelatedPath"/>'s tree edited (a member added: nothing a loss class depends on), and
    /// asserts after each later run that every tracked step was cached, with outputs equal to the first run's.
    /// Returns the first run's result.
    /// </summary>
    public static GeneratorRunResult AssertCacheable(CSharpCompilation compilation, string unrelatedPath)
    {
        var driver = CreateDriver().RunGenerators(compilation);
        var first = Single(driver);
        foreach (var name in new[] { TrackingNames.Parse, TrackingNames.Owned, TrackingNames.Validate })
            if (!first.TrackedSteps.ContainsKey(name)) throw Fail($"the first run has no step named '{name}'");

        var clone = Single(driver.RunGenerators(compilation.Clone()));
        AssertRunsEqual(first, clone, "a clone of the compilation");

        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == unrelatedPath);
        var text = tree.GetText().ToString();
        var closing = text.LastIndexOf('}');
        if (closing < 0) throw Fail($"'{unrelatedPath}' has no closing brace to edit before");
        var edited = text.Insert(closing, "    public static int AddedByAnEdit() => 42;\n");
        var afterEdit = Single(driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, Tree(edited, unrelatedPath))));
        AssertRunsEqual(first, afterEdit, $"an edit of '{unrelatedPath}'");
        return first;
    }

    /// <summary>
    /// Asserts that <paramref name="second"/> (a run after <paramref name="first"/>, from the same driver) re-used
    /// every step: same steps, equal outputs, each output Cached or Unchanged (but for <see cref="RerunByDesign"/>),
    /// every emit output Cached, the same generated sources and diagnostics; and that no step's output in either run
    /// holds a banned Roslyn object. All problems are reported together.
    /// </summary>
    public static void AssertRunsEqual(GeneratorRunResult first, GeneratorRunResult second, string what)
    {
        var problems = new List<string>();
        foreach (var name in AllTrackingNames)
        {
            var steps1 = first.TrackedSteps.TryGetValue(name, out var s1) ? s1 : ImmutableArray<IncrementalGeneratorRunStep>.Empty;
            var steps2 = second.TrackedSteps.TryGetValue(name, out var s2) ? s2 : ImmutableArray<IncrementalGeneratorRunStep>.Empty;
            problems.AddRange(Leaks(steps1, name, "first run"));
            problems.AddRange(Leaks(steps2, name, "second run"));
            if (steps1.Length != steps2.Length)
            {
                problems.Add($"{name}: {steps1.Length} step executions in the first run, {steps2.Length} in the second");
                continue;
            }
            for (int i = 0; i < steps1.Length; i++)
            {
                var outputs1 = steps1[i].Outputs.Select(o => Comparable(name, o.Value)).ToList();
                var outputs2 = steps2[i].Outputs.Select(o => Comparable(name, o.Value)).ToList();
                if (!outputs1.SequenceEqual(outputs2))
                    problems.Add($"{name}[{i}]: outputs not equal to the first run's: {Short(string.Join(", ", outputs2))}");
                if (RerunByDesign.Contains(name)) continue;
                foreach (var (value, reason) in steps2[i].Outputs)
                    if (reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                        problems.Add($"{name}[{i}]: output {reason} (expected Cached or Unchanged): {Short(value)}");
            }
        }

        // The emit outputs (fed by the Spec step) must all come from the cache: no class is generated again.
        foreach (var step in OutputSteps(second, TrackingNames.Spec))
            foreach (var (value, reason) in step.Outputs)
                if (reason != IncrementalStepRunReason.Cached)
                    problems.Add($"{SourceOutput} (emit): output {reason} (expected Cached)");

        var sources1 = first.GeneratedSources.Select(s => (s.HintName, Text: s.SourceText.ToString())).ToList();
        var sources2 = second.GeneratedSources.Select(s => (s.HintName, Text: s.SourceText.ToString())).ToList();
        if (!sources1.SequenceEqual(sources2))
            problems.Add($"generated sources differ: [{string.Join(", ", sources1.Select(s => s.HintName))}] then [{string.Join(", ", sources2.Select(s => s.HintName))}]");
        var diagnostics1 = first.Diagnostics.Select(Describe).ToList();
        var diagnostics2 = second.Diagnostics.Select(Describe).ToList();
        if (!diagnostics1.SequenceEqual(diagnostics2))
            problems.Add($"diagnostics differ:\n    {string.Join("\n    ", diagnostics1)}\n  then\n    {string.Join("\n    ", diagnostics2)}");

        const int shown = 30;
        if (problems.Count > 0)
            throw Fail($"the run after {what} is not fully cached ({problems.Count} problems):\n  "
                + string.Join("\n  ", problems.Take(shown))
                + (problems.Count > shown ? $"\n  … and {problems.Count - shown} more" : ""));
    }

    /// <summary>The output steps (RegisterSourceOutput) whose input is the step named <paramref name="inputStep"/>.</summary>
    public static IEnumerable<IncrementalGeneratorRunStep> OutputSteps(GeneratorRunResult run, string inputStep) =>
        run.TrackedOutputSteps.TryGetValue(SourceOutput, out var steps)
            ? steps.Where(s => s.Inputs.Any(i => i.Source.Name == inputStep))
            : Enumerable.Empty<IncrementalGeneratorRunStep>();

    /// <summary>
    /// Every step between the generator's outputs and its inputs (the syntax provider's transform, named
    /// Parse, and the compilation) that has no tracking name: a step the cacheability checks would not see.
    /// </summary>
    public static IEnumerable<string> UnnamedSteps(GeneratorRunResult run)
    {
        var seen = new HashSet<IncrementalGeneratorRunStep>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(IncrementalGeneratorRunStep Step, string Path)>(
            run.TrackedOutputSteps.SelectMany(kv => kv.Value.Select(s => (s, kv.Key))));
        while (pending.Count > 0)
        {
            var (step, path) = pending.Pop();
            if (!seen.Add(step)) continue;
            foreach (var (source, _) in step.Inputs)
            {
                var sourcePath = (source.Name ?? "<unnamed>") + " → " + path;
                if (source.Name is null) yield return sourcePath;
                if (source.Name is TrackingNames.Parse or "Compilation") continue;
                pending.Push((source, sourcePath));
            }
        }
    }

    /// <summary>
    /// What of a step's output is compared and walked: for <see cref="TrackingNames.DiagnosticsWithCompilation"/>,
    /// the diagnostics without the compilation they are paired with; for every other step, the output itself.
    /// </summary>
    private static object? Comparable(string step, object? value) =>
        step == TrackingNames.DiagnosticsWithCompilation && value is ITuple { Length: 2 } pair ? pair[0] : value;

    private static IEnumerable<string> Leaks(ImmutableArray<IncrementalGeneratorRunStep> steps, string name, string run)
    {
        for (int i = 0; i < steps.Length; i++)
            for (int j = 0; j < steps[i].Outputs.Length; j++)
                foreach (var leak in FindBanned(Comparable(name, steps[i].Outputs[j].Value), $"{name}[{i}] output {j}"))
                    yield return $"{leak} ({run})";
    }

    /// <summary>
    /// Walks <paramref name="root"/>'s object graph (every instance field, public or not, of every class up the
    /// hierarchy; every array element) and describes each banned Roslyn object it reaches.
    /// </summary>
    public static IEnumerable<string> FindBanned(object? root, string rootName)
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Visit(root, rootName);
        return found;

        void Visit(object? node, string path)
        {
            if (node is null) return;
            var type = node.GetType();
            if (type.IsPrimitive || type.IsEnum || node is string or decimal or Type or MemberInfo) return;
            if (Banned.FirstOrDefault(b => b.IsInstanceOfType(node)) is { } banned)
            {
                found.Add($"{path} holds a {type.FullName} (banned: {banned.Name})");
                return;
            }
            if (!type.IsValueType && !visited.Add(node)) return;
            if (node is Array array)
            {
                int k = 0;
                foreach (var element in array) Visit(element, $"{path}[{k++}]");
                return;
            }
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    if (!field.FieldType.IsPointer && !field.FieldType.IsByRefLike)
                        Visit(field.GetValue(node), $"{path}.{FieldName(field)}");
        }
    }

    // Records keep their properties in '<Name>k__BackingField'.
    private static string FieldName(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.IndexOf('>') is var end and > 0 ? field.Name.Substring(1, end - 1) : field.Name;

    private static string Short(object? value, int length = 160) =>
        value?.ToString() is { } text && text.Length > length ? text.Substring(0, length) + "…" : value?.ToString() ?? "null";

    private static string Describe(Diagnostic d) =>
        $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";

    private static Exception Fail(string message) => new Xunit.Sdk.XunitException("Not cacheable: " + message);
}
