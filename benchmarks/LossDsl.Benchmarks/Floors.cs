using System;
using System.Linq;
using LossDsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.Benchmarks;

/// <summary>
/// What any generator built like LossGenerator pays before its own code runs: the same one pipeline over attributed
/// class declarations (same predicate), with a transform that only binds each class's symbol and attributes, as
/// LossGenerator's must to know whether a class is a loss.
/// </summary>
// Driven in memory only: no [Generator] attribute, so the compiler never loads it from this .NET 10 assembly.
#pragma warning disable RS1036 // not an analyzer project: the benchmark drives this generator itself
public sealed class EmptyTransformGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var targets = context.SyntaxProvider.CreateSyntaxProvider(
            static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax
                && ((TypeDeclarationSyntax)node).AttributeLists.Count > 0 && !((TypeDeclarationSyntax)node).Identifier.IsMissing,
            static (ctx, ct) => ctx.SemanticModel.GetDeclaredSymbol(ctx.Node, ct) is INamedTypeSymbol symbol ? symbol.GetAttributes().Length : 0);
        context.RegisterSourceOutput(targets, static (_, _) => { });
    }
}
#pragma warning restore RS1036

/// <summary>Roslyn's binding alone, no generator: each loss class's declared symbol and its attributes.</summary>
public static class Binding
{
    public static int BindLossClasses(Compilation compilation)
    {
        int attributes = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (!tree.FilePath.StartsWith("Losses/", StringComparison.Ordinal)) continue;
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
                if (declaration.AttributeLists.Count > 0 && model.GetDeclaredSymbol(declaration) is { } symbol)
                    attributes += symbol.GetAttributes().Length;
        }
        return attributes;
    }
}
