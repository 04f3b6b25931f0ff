using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.Generators;

/// <summary>
/// Turns every partial class carrying LossDsl attributes into a TorchSharp loss module:
/// parse (symbols → data) → validate (data → spec + diagnostics) → plan → emit.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class LossGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // One pipeline over attributed class declarations: one syntax walk and one sighting per declaration, where a
        // pipeline per LossDsl attribute (ForAttributeWithMetadataName) walked every tree eleven times and saw each class
        // once per attribute. The attributes are bound by the transform, so aliases and 'global using' still resolve;
        // Parser.Owns lets exactly one declaration of a partial class take it.
        var losses = context.SyntaxProvider
            .CreateSyntaxProvider(
                // Classes and records only ([AttributeUsage(Class)]: anything else is already CS0592), and only once they
                // have a name: half-typed 'class { }' would otherwise get a nameless generated part.
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax
                    && ((TypeDeclarationSyntax)node).AttributeLists.Count > 0
                    && !((TypeDeclarationSyntax)node).Identifier.IsMissing,
                static (ctx, ct) => ParseSafely(ctx, ct))
            .WithTrackingName(TrackingNames.Parse)
            // SelectMany rather than Where + Select: one step (so one tracking name) that drops the nulls.
            .SelectMany(static (parsed, _) => parsed is null ? ImmutableArray<ParsedLoss>.Empty : ImmutableArray.Create(parsed))
            .WithTrackingName(TrackingNames.Owned)
            .Select(static (parsed, _) => Validator.Validate(parsed))
            .WithTrackingName(TrackingNames.Validate);
        var specs = losses
            .SelectMany(static (loss, _) => loss.Spec is { } spec ? ImmutableArray.Create(spec) : ImmutableArray<LossSpec>.Empty)
            .WithTrackingName(TrackingNames.Spec);
        context.RegisterSourceOutput(specs, Emit);

        // Diagnostics get their syntax tree back from the compilation, so that '#pragma warning disable' and
        // the IDE see them in source (a Location made from a file path alone is outside every tree). Only
        // classes that have diagnostics pay for this step, which re-runs with every compilation.
        // Reference types all along: Roslyn's generic steps over them share code compiled ahead of time, where a struct
        // element type (EquatableArray) made a cold build compile them again for it.
        var diagnostics = losses
            .SelectMany(static (loss, _) => loss.Diagnostics.Count > 0 ? ImmutableArray.Create(loss) : ImmutableArray<ValidatedLoss>.Empty)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(
            diagnostics.Combine(context.CompilationProvider).WithTrackingName(TrackingNames.DiagnosticsWithCompilation),
            Report);
    }

    private static void Report(SourceProductionContext context, (ValidatedLoss Loss, Compilation Compilation) input)
    {
        foreach (var diagnostic in input.Loss.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic(input.Compilation));
    }

    private static ParsedLoss? ParseSafely(GeneratorSyntaxContext context, System.Threading.CancellationToken ct)
    {
        try
        {
            return context.SemanticModel.GetDeclaredSymbol(context.Node, ct) is INamedTypeSymbol symbol && Parser.Owns(symbol, context.Node)
                ? Parser.Parse(symbol, context.Node, ct)
                : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var name = context.Node is TypeDeclarationSyntax declaration ? declaration.Identifier.ValueText : "?";
            return Failed(name, LocationInfo.From(context.Node.GetLocation()), e);
        }
    }

    private static ParsedLoss Failed(string name, LocationInfo? location, Exception e)
    {
        var failure = new DiagnosticInfo(DiagnosticDescriptors.GeneratorFailure.Id, location, new[] { name, e.GetType().Name + ": " + e.Message }.ToEquatableArray());
        var model = new ClassModel(null, EquatableArray<ContainingType>.Empty, name, location, true, false, false, false, null, null, null, false);
        return new ParsedLoss(model, EquatableArray<AttributeModel>.Empty, failure);
    }

    private static void Emit(SourceProductionContext context, LossSpec spec)
    {
        string source;
        try
        {
            source = Emitter.Emit(new Plan(spec));
        }
        catch (Exception e)
        {
            context.ReportDiagnostic(Failed(spec.Class.Name, spec.Class.Location, e).Failure!.ToDiagnostic(compilation: null));
            return;
        }
        context.AddSource(Emitter.HintName(spec.Class), source);
    }
}
