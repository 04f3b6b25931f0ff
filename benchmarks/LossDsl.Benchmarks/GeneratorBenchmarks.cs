using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using LossDsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LossDsl.Benchmarks;

/// <summary>
/// The generator over a project of 200 loss classes: a full run (a new driver) and an incremental run (a driver
/// that already ran, after an edit to a file no loss class depends on).
/// <para>
/// Each iteration gets a compilation made in <see cref="IterationSetup"/>, so that only the generator run is
/// measured, and a new one each time: a compilation caches its symbols, so re-running on the same object would
/// measure a compilation whose attributes are already bound, which no real edit gives. The <c>*_BoundCompilation</c>
/// rows do exactly that on purpose: the generator's own work without Roslyn's binding.
/// </para>
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[Config(typeof(SteadyState))]
public class GeneratorBenchmarks
{
    /// <summary>
    /// One run per iteration, as each needs a fresh compilation (a run takes milliseconds, far above the timer's
    /// resolution), after 100 warm-up runs. A compiler runs in a long-lived process (the compiler server, the IDE's
    /// Roslyn host) whose Roslyn code is long since tiered up; with one run per iteration and the default warm-up,
    /// much of Roslyn's code is still at tier 0 when measured, which made every row several times slower and noisy.
    /// </summary>
    private sealed class SteadyState : ManualConfig
    {
        public SteadyState() =>
            AddJob(Job.Default.WithInvocationCount(1).WithUnrollFactor(1).WithWarmupCount(100).WithId("Warm"));
    }

    public const int LossClasses = 200;

    private LossCorpus _corpus = null!;
    private GeneratorDriver _ran = null!, _emptyRan = null!;
    private CSharpCompilation _full = null!, _edited = null!, _boundFull = null!, _boundEdited = null!;

    public static GeneratorDriver NewDriver(bool track = false) => NewDriver(new LossGenerator(), track);

    public static GeneratorDriver NewDriver(IIncrementalGenerator generator, bool track = false) =>
        CSharpGeneratorDriver.Create(
            new[] { generator.AsSourceGenerator() },
            parseOptions: LossCorpus.Options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    [GlobalSetup]
    public void GlobalSetup()
    {
        _corpus = new LossCorpus(LossClasses);
        _ran = NewDriver().RunGenerators(_corpus.Compilation);
        Check(_ran, _corpus);
        _boundFull = _corpus.Compilation;
        _boundEdited = _corpus.Edited();
        Check(_ran.RunGenerators(_boundEdited), _corpus);
        _emptyRan = NewDriver(new EmptyTransformGenerator()).RunGenerators(_corpus.Compilation);
    }

    /// <summary>Throws unless the run generated every class and reported only the corpus's warnings.</summary>
    public static void Check(GeneratorDriver driver, LossCorpus corpus)
    {
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null) throw new InvalidOperationException("The generator threw.", result.Exception);
        if (result.GeneratedSources.Length != corpus.LossClasses)
            throw new InvalidOperationException($"{result.GeneratedSources.Length} sources generated, expected {corpus.LossClasses}");
        if (result.Diagnostics.Length != corpus.Warnings || result.Diagnostics.Any(d => d.Id != "LD0010"))
            throw new InvalidOperationException("Unexpected diagnostics: " + string.Join("; ", result.Diagnostics));
    }

    [IterationSetup(Targets = new[] { nameof(FullRun), nameof(IncrementalRun), nameof(Floor_EmptyTransform), nameof(Floor_BindingOnly) })]
    public void FreshCompilations()
    {
        _full = _corpus.Compilation.Clone();
        _edited = _corpus.Edited();
    }

    /// <summary>A new driver over the whole project, as a command-line build does.</summary>
    [Benchmark(Baseline = true)]
    public GeneratorDriver FullRun() => NewDriver().RunGenerators(_full);

    /// <summary>A driver that ran over the project, run again after an edit to an unrelated file, as an IDE does.</summary>
    [Benchmark]
    public GeneratorDriver IncrementalRun() => _ran.RunGenerators(_edited);

    /// <summary><see cref="FullRun"/> over a compilation whose symbols earlier runs already bound.</summary>
    [Benchmark]
    public GeneratorDriver FullRun_BoundCompilation() => NewDriver().RunGenerators(_boundFull);

    /// <summary><see cref="IncrementalRun"/> over an edited compilation whose symbols earlier runs already bound.</summary>
    [Benchmark]
    public GeneratorDriver IncrementalRun_BoundCompilation() => _ran.RunGenerators(_boundEdited);

    /// <summary>
    /// Floor for <see cref="IncrementalRun"/>: the same one pipeline over attributed classes with a transform that only
    /// binds each class's attributes, run again after the same edit.
    /// </summary>
    [Benchmark]
    public GeneratorDriver Floor_EmptyTransform() => _emptyRan.RunGenerators(_edited);

    /// <summary>Floor under that: no generator, only each loss class's symbol and attributes bound in the edited compilation.</summary>
    [Benchmark]
    public int Floor_BindingOnly() => Binding.BindLossClasses(_edited);
}
