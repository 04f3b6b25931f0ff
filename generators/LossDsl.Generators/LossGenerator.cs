using System;
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
        // One pipeline per attribute; Parser.Owns lets exactly one of them take each class.
        foreach (var attribute in Parser.AttributeNames)
        {
            var losses = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    Parser.MetadataName(attribute),
                    // Classes and records only ([AttributeUsage(Class)]: anything else is already CS0592), and only once
                    // they have a name: half-typed 'class { }' would otherwise get a nameless generated part.
                    static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax && !((TypeDeclarationSyntax)node).Identifier.IsMissing,
                    (ctx, ct) => ParseSafely(ctx, attribute, ct))
                .WithTrackingName(TrackingNames.Parse)
                .Where(static parsed => parsed is not null)
                .Select(static (parsed, _) => parsed!)
                .WithTrackingName(TrackingNames.Owned)
                .Select(static (parsed, _) => Validator.Validate(parsed))
                .WithTrackingName(TrackingNames.Validate);
            context.RegisterSourceOutput(losses, Output);
        }
    }

    private static ParsedLoss? ParseSafely(GeneratorAttributeSyntaxContext context, string attribute, System.Threading.CancellationToken ct)
    {
        try
        {
            return Parser.Owns(context, attribute) ? Parser.Parse((INamedTypeSymbol)context.TargetSymbol, context.TargetNode, ct) : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Failed(context.TargetSymbol.Name, LocationInfo.From(context.TargetNode.GetLocation()), e);
        }
    }

    private static ParsedLoss Failed(string name, LocationInfo? location, Exception e)
    {
        var failure = new DiagnosticInfo(DiagnosticDescriptors.GeneratorFailure.Id, location, new[] { name, e.GetType().Name + ": " + e.Message }.ToEquatableArray());
        var model = new ClassModel(null, EquatableArray<ContainingType>.Empty, name, location, true, false, false, false, null, null, null);
        return new ParsedLoss(model, EquatableArray<AttributeModel>.Empty, failure);
    }

    private static void Output(SourceProductionContext context, ValidatedLoss loss)
    {
        foreach (var diagnostic in loss.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
        if (loss.Spec is not { } spec) return;
        string source;
        try
        {
            source = Emitter.Emit(new Plan(spec));
        }
        catch (Exception e)
        {
            context.ReportDiagnostic(Failed(spec.Class.Name, spec.Class.Location, e).Failure!.ToDiagnostic());
            return;
        }
        context.AddSource(Emitter.HintName(spec.Class), source);
    }
}
