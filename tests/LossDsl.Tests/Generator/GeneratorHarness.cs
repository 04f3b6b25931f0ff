using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using LossDsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LossDsl.Tests;

/// <summary>Runs the real generator over source text in memory, as a user's build would.</summary>
public static class GeneratorHarness
{
    /// <summary>.NET 10 reference assemblies, LossDsl and TorchSharp: what a user's project compiles against.</summary>
    internal static readonly MetadataReference[] References =
        Basic.Reference.Assemblies.Net100.References.All
            .Concat(new[] { typeof(LossModule).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location }
                .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)))
            .ToArray();

    public sealed record Result(
        Compilation Input,
        Compilation Output,
        ImmutableArray<Diagnostic> GeneratorDiagnostics,
        ImmutableArray<(string HintName, string Source)> Sources)
    {
        /// <summary>Compiler diagnostics of the generated program (warnings and errors), generator diagnostics excluded.</summary>
        public ImmutableArray<Diagnostic> CompilationDiagnostics =>
            Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
    }

    private static readonly CSharpParseOptions DefaultParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(string source, string? assemblyName = null, CSharpCompilationOptions? options = null, CSharpParseOptions? parseOptions = null) =>
        CSharpCompilation.Create(
            // Each loaded program needs a name of its own in the default load context.
            assemblyName ?? "LossUser" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, parseOptions ?? DefaultParseOptions, path: "Losses.cs") },
            References,
            options ?? new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Runs the generator over <paramref name="source"/>; the generated files are parsed with <paramref name="parseOptions"/> too, as in a real build.</summary>
    public static Result Run(string source, CSharpCompilationOptions? options = null, CSharpParseOptions? parseOptions = null)
    {
        var input = Compilation(source, options: options, parseOptions: parseOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new LossGenerator().AsSourceGenerator() },
            parseOptions: parseOptions ?? DefaultParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var run = driver.GetRunResult();
        var sources = run.Results.SelectMany(r => r.GeneratedSources).Select(s => (s.HintName, s.SourceText.ToString())).ToImmutableArray();
        var crash = run.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
        if (crash is not null) throw new InvalidOperationException("The generator threw (CS8785 for a user).", crash);
        return new Result(input, output, diagnostics, sources);
    }

    /// <summary>Generates, compiles and loads <paramref name="source"/>; throws with the diagnostics if it does not compile.</summary>
    public static Assembly Load(string source)
    {
        var result = Run(source);
        var errors = result.GeneratorDiagnostics.Concat(result.Output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new InvalidOperationException("Does not compile:\n" + string.Join("\n", errors));
        using var image = new MemoryStream();
        var emit = result.Output.Emit(image);
        if (!emit.Success) throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", emit.Diagnostics));
        image.Position = 0;
        // The default context resolves LossDsl and TorchSharp to the copies the tests already use.
        return AssemblyLoadContext.Default.LoadFromStream(image);
    }

    /// <summary>Whether the generator gave <paramref name="loss"/>'s class a fused kernel (it does unless a term cannot be fused).</summary>
    public static bool HasFusedKernel(LossModule loss) =>
        loss.GetType().GetNestedType("FusedKernel", BindingFlags.NonPublic) is { } kernel
        && kernel.GetInterfaces().Contains(typeof(Fused.IFusedKernel));

    /// <summary>A fresh instance of the generated loss class <paramref name="typeName"/> from <paramref name="assembly"/>.</summary>
    public static LossModule Create(Assembly assembly, string typeName) =>
        (LossModule)Activator.CreateInstance(assembly.GetType(typeName, throwOnError: true)!)!;
}
