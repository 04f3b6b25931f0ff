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
    /// <c>--losses [rounds] [way]</c>: the loss benchmarks' ways (forward + backward, bool and uint8 targets, the value
    /// alone under no_grad) interleaved round by round, medians as a Markdown table; with a way
    /// (e.g. <c>generated</c>, <c>"generated no_grad"</c>, or a comma-separated list; <c>all</c>) only those,
    /// e.g. under a profiler;
    /// then the map size N (default 512).
    /// <c>--trace LOSS N threads calls [way]</c>: per-call timestamps (a build with -p:LossDslTrace=true, see TraceProbe).
    /// <c>--yardstick [rounds] [N]</c>: the generated [Focal] forward + backward beside a C loop built by gcc (Yardstick/), at 1 and 2 threads.
    /// <c>--step [rounds] [N]</c>: a ContactMaps training step (the sample's network) with the generated loss and the hand-written one.
    /// <c>--terms [rounds]</c>: Dice, Jaccard, MatthewsCorrelation and LovaszHinge as generated modules, interleaved.
    /// <c>--threads [rounds]</c>: a training step (convolution, loss, backward) with the kernel on one thread or two.
    /// <c>--profile [runs]</c>: where a generator run spends its time, from the driver's own step timings (no
    /// profiler needed), next to the floors.
    /// <c>--nan-trap [runs] [on|off] [steps]</c>: float32 Conv2d training runs with NaN parameter gradients, oneDNN on or off.
    /// <c>--onednn-shapes [on|off]</c>: float32 Conv2d weight gradients against float64's over 108 shapes.
    /// <c>--cold</c>: the first generator run of this process over the 200-class project, as a cold build does it (the
    /// generator's code and Roslyn's paths through it not yet compiled), CPU and wall clock. Anything else goes to BenchmarkDotNet, e.g.
    /// <c>--filter '*GeneratorBenchmarks*'</c>.
    /// </summary>
    public static int Main(string[] args)
    {
        // LOSSDSL_KERNEL_THREADS=k: the fused kernels' thread count (default: all cores), to compare settings.
        if (int.TryParse(Environment.GetEnvironmentVariable("LOSSDSL_KERNEL_THREADS"), out var kernelThreads))
            LossDsl.Fused.FusedLoss.MaxThreads = kernelThreads;
        if (args.Length > 0 && args[0] == "--threads")
        {
            ThreadsProbe.Print(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--losses")
        {
            LossTable.Print(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30, args.Length > 2 && args[2] != "all" ? args[2] : null,
                args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 512);
            return 0;
        }
        if (args.Length > 4 && args[0] == "--trace")
        {
            TraceProbe.Print(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture), args.Length > 5 ? args[5] : "grad");
            return 0;
        }
        if (args.Length > 0 && args[0] == "--yardstick")
        {
            YardstickTable.Print(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15,
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 512);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--step")
        {
            TrainingStep.Print(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10,
                args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--terms")
        {
            LossTable.PrintTerms(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--profile")
        {
            Profile(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30);
            return 0;
        }
        if (args.Length > 1 && args[0] == "--phases")
        {
            Phases.Print(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30);
            return 0;
        }
        if (args.Length > 3 && args[0] == "--loop")
        {
            Phases.Loop(args[1], args[2], double.Parse(args[3], CultureInfo.InvariantCulture));
            return 0;
        }
        if (args.Length > 0 && args[0] == "--nan-trap")
        {
            NanTrap.Print(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30, args.Length <= 2 || args[2] != "off",
                args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20);
            return 0;
        }
        if (args.Length > 0 && args[0] == "--onednn-shapes")
        {
            NanTrap.Shapes(args.Length <= 1 || args[1] != "off");
            return 0;
        }
        if (args.Length > 0 && args[0] == "--cold")
        {
            Cold();
            return 0;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    /// <summary>
    /// One generator run in a fresh process: the corpus is built first (parsing is not the generator's), then the run is
    /// timed in CPU time, which other processes on a busy machine do not inflate. Run it several times, one process each.
    /// LOSSDSL_COLD_FLOOR=1 runs the floor instead (<see cref="EmptyTransformGenerator"/>: the same pipeline, binding only).
    /// </summary>
    private static void Cold()
    {
        var corpus = new LossCorpus(GeneratorBenchmarks.LossClasses);
        var cpuBefore = ThreadCpuMilliseconds();
        var clock = Stopwatch.StartNew();
        var floor = Environment.GetEnvironmentVariable("LOSSDSL_COLD_FLOOR") == "1";
        var driver = (floor ? GeneratorBenchmarks.NewDriver(new EmptyTransformGenerator()) : GeneratorBenchmarks.NewDriver()).RunGenerators(corpus.Compilation);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        var cpuElapsed = ThreadCpuMilliseconds() - cpuBefore;
        Console.WriteLine(FormattableString.Invariant($"cold {(floor ? "floor" : "full")} run: CPU {cpuElapsed:F1} ms, wall {elapsed:F1} ms"));
        if (!floor) GeneratorBenchmarks.Check(driver, corpus);
    }

    /// <summary>
    /// Runs the scenarios interleaved, each on a new compilation, so that a machine busy with other work slows all of
    /// them alike; prints the median wall clock of each and, for the generator runs, the time per pipeline step.
    /// </summary>
    private static void Profile(int runs)
    {
        var corpus = new LossCorpus(GeneratorBenchmarks.LossClasses);
        var ran = GeneratorBenchmarks.NewDriver().RunGenerators(corpus.Compilation);
        GeneratorBenchmarks.Check(ran, corpus);
        var ranTracked = GeneratorBenchmarks.NewDriver(track: true).RunGenerators(corpus.Compilation);
        var emptyRan = GeneratorBenchmarks.NewDriver(new EmptyTransformGenerator()).RunGenerators(corpus.Compilation);
        var boundEdited = corpus.Edited();
        ran.RunGenerators(boundEdited);

        // The timed rows run as the benchmarks do (no step tracking); the last two only collect the step timings.
        var scenarios = new (string Name, Func<GeneratorDriver?> Run)[]
        {
            ("Full run", () => GeneratorBenchmarks.NewDriver().RunGenerators(corpus.Compilation.Clone())),
            ("Incremental run", () => ran.RunGenerators(corpus.Edited())),
            ("Incremental run, bound compilation", () => ran.RunGenerators(boundEdited)),
            ("Floor: empty transform, incremental", () => emptyRan.RunGenerators(corpus.Edited())),
            ("Floor: binding only", () => { Binding.BindLossClasses(corpus.Edited()); return null; }),
            ("Full run, step tracking on", () => GeneratorBenchmarks.NewDriver(track: true).RunGenerators(corpus.Compilation.Clone())),
            ("Incremental run, step tracking on", () => ranTracked.RunGenerators(corpus.Edited())),
            ("Incremental run, bound, step tracking on", () => ranTracked.RunGenerators(boundEdited)),
        };
        var wall = scenarios.ToDictionary(s => s.Name, _ => new List<double>());
        var cpu = scenarios.ToDictionary(s => s.Name, _ => new List<double>());
        var steps = scenarios.ToDictionary(s => s.Name, _ => new Dictionary<string, double>());
        for (int i = -20; i < runs; i++) // twenty warm-up rounds, so that Roslyn's code is tiered up as in a long-lived compiler process
            foreach (var (name, run) in scenarios)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var cpuBefore = ThreadCpuMilliseconds();
                var clock = Stopwatch.StartNew();
                var driver = run();
                var elapsed = clock.Elapsed.TotalMilliseconds;
                var cpuElapsed = ThreadCpuMilliseconds() - cpuBefore;
                if (i < 0) continue;
                wall[name].Add(elapsed);
                cpu[name].Add(cpuElapsed);
                if (driver is null) continue;
                foreach (var (step, executions) in driver.GetRunResult().Results.Single().TrackedSteps)
                {
                    steps[name].TryGetValue(step, out var sum);
                    steps[name][step] = sum + executions.Sum(e => e.ElapsedTime.TotalMilliseconds) / runs;
                }
            }

        Console.WriteLine($"{runs} rounds, interleaved, each scenario on a new compilation");
        Console.WriteLine();
        Console.WriteLine($"| {"scenario",-40} | wall median ms | wall min ms | CPU median ms |");
        Console.WriteLine($"|{new string('-', 42)}|---------------:|------------:|--------------:|");
        foreach (var (name, _) in scenarios)
            Console.WriteLine($"| {name,-40} | {Median(wall[name]),14:F2} | {wall[name].Min(),11:F2} | {Median(cpu[name]),13:F2} |");
        Console.WriteLine();
        Console.WriteLine("CPU: time this thread spent on a core (/proc/thread-self/schedstat), which other processes on a busy machine do not inflate as they do the wall clock.");
        foreach (var name in scenarios.Select(s => s.Name).Where(n => n.EndsWith("step tracking on", StringComparison.Ordinal)))
        {
            Console.WriteLine();
            Console.WriteLine($"{name}: mean ms per run in each step (steps over 0.05 ms)");
            foreach (var (step, ms) in steps[name].OrderByDescending(s => s.Value).Where(s => s.Value >= 0.05))
                Console.WriteLine($"  {step,-58} {ms,8:F2}");
        }
    }

    /// <summary>The time the calling thread has spent running, from Linux's schedstat (nanoseconds); NaN elsewhere.</summary>
    private static double ThreadCpuMilliseconds()
    {
        try
        {
            var fields = System.IO.File.ReadAllText("/proc/thread-self/schedstat").Split(' ');
            return long.Parse(fields[0], CultureInfo.InvariantCulture) / 1e6;
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    /// <summary>The median (the mean of the middle two for an even count), as every table of this program reports.</summary>
    internal static double Median(List<double> xs)
    {
        var sorted = xs.OrderBy(x => x).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
