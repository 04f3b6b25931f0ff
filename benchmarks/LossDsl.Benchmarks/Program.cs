using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Running;
using Microsoft.CodeAnalysis;

namespace LossDsl.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>--profile [runs]</c>: where a generator run spends its time, from the driver's own step timings (no
    /// profiler needed). Anything else goes to BenchmarkDotNet, e.g. <c>--filter '*GeneratorBenchmarks*'</c>.
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--profile")
        {
            Profile(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30);
            return 0;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static void Profile(int runs)
    {
        var corpus = new LossCorpus(GeneratorBenchmarks.LossClasses);
        var ran = GeneratorBenchmarks.NewDriver(track: true).RunGenerators(corpus.Compilation);
        GeneratorBenchmarks.Check(ran, corpus);
        // Warm-up: JIT the generator and Roslyn's paths.
        for (int i = 0; i < 5; i++)
        {
            GeneratorBenchmarks.NewDriver(track: true).RunGenerators(corpus.Compilation.Clone());
            ran.RunGenerators(corpus.Edited());
        }
        Report("Full run (new driver, fresh compilation)", runs, () => (GeneratorBenchmarks.NewDriver(track: true), corpus.Compilation.Clone()));
        Report("Incremental run (driver that ran, fresh edited compilation)", runs, () => (ran, corpus.Edited()));
        BindingFloor(corpus, runs);
    }

    /// <summary>
    /// What Roslyn alone needs, on a fresh compilation, to hand any ForAttributeWithMetadataName transform its
    /// input: each loss class's declared symbol and bound attributes. No generator runs.
    /// </summary>
    private static void BindingFloor(LossCorpus corpus, int runs)
    {
        var wall = new List<double>();
        for (int i = 0; i < runs + 5; i++)
        {
            var compilation = corpus.Edited();
            var clock = Stopwatch.StartNew();
            int attributes = 0;
            foreach (var tree in compilation.SyntaxTrees)
            {
                if (!tree.FilePath.StartsWith("Losses/", StringComparison.Ordinal)) continue;
                var model = compilation.GetSemanticModel(tree);
                foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>())
                    if (declaration.AttributeLists.Count > 0 && model.GetDeclaredSymbol(declaration) is { } symbol)
                        attributes += symbol.GetAttributes().Length;
            }
            if (i >= 5) wall.Add(clock.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"## Binding floor (no generator): declared symbol + GetAttributes() of every loss class, fresh edited compilation, {runs} runs");
        Console.WriteLine($"wall clock  median {Median(wall):F2} ms, min {wall.Min():F2} ms");
        Console.WriteLine();
    }

    private static void Report(string title, int runs, Func<(GeneratorDriver Driver, Compilation Compilation)> prepare)
    {
        var wall = new List<double>();
        var generator = new List<double>();
        var steps = new Dictionary<string, (double Ms, int Executions)>();
        for (int i = 0; i < runs; i++)
        {
            var (driver, compilation) = prepare();
            var clock = Stopwatch.StartNew();
            driver = driver.RunGenerators(compilation);
            wall.Add(clock.Elapsed.TotalMilliseconds);
            generator.Add(driver.GetTimingInfo().GeneratorTimes.Single().ElapsedTime.TotalMilliseconds);
            foreach (var (name, executions) in driver.GetRunResult().Results.Single().TrackedSteps)
                foreach (var step in executions)
                {
                    steps.TryGetValue(name, out var sum);
                    steps[name] = (sum.Ms + step.ElapsedTime.TotalMilliseconds / runs, sum.Executions + 1);
                }
        }
        Console.WriteLine($"## {title}: {runs} runs, step tracking on");
        Console.WriteLine($"wall clock  median {Median(wall):F2} ms, min {wall.Min():F2} ms");
        Console.WriteLine($"generator   median {Median(generator):F2} ms (the driver's own timing)");
        Console.WriteLine("step (all 11 pipelines)                                  mean ms/run  executions/run");
        foreach (var (name, (ms, executions)) in steps.OrderByDescending(s => s.Value.Ms))
            Console.WriteLine($"  {name,-55} {ms,10:F3}  {executions / (double)runs,10:F0}");
        Console.WriteLine();
    }

    private static double Median(List<double> xs)
    {
        var sorted = xs.OrderBy(x => x).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
