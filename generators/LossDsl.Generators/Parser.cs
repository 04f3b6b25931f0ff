using System.Collections.Generic;
using System.Linq;
using System.Threading;
using LossDsl.Generators.Terms;
using LossDsl.Generators.Vocabulary;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.Generators;

/// <summary>Turns a class symbol carrying LossDsl attributes into a <see cref="ParsedLoss"/>: plain data, no judgement.</summary>
internal static class Parser
{
    public const string Namespace = "LossDsl";

    /// <summary>The attributes that shape a loss without being a term, in the order of docs/attributes.md.</summary>
    public static readonly string[] StructuralNames =
    {
        Name(nameof(SymmetrizeAttribute)), Name(nameof(SymmetricTransposeAttribute)), Name(nameof(MaskLowerAttribute)),
        Name(nameof(MaskUpperAttribute)), Name(nameof(MinSeparationAttribute)), Name(nameof(TransposeConsistencyAttribute)),
        Name(nameof(ReductionAttribute)),
    };

    /// <summary>Every LossDsl attribute: the terms of <see cref="TermCatalog"/>, then the structural ones.</summary>
    public static readonly string[] AttributeNames = TermCatalog.All.Select(t => t.AttributeName).Concat(StructuralNames).ToArray();

    private static string Name(string attributeTypeName) => attributeTypeName.Substring(0, attributeTypeName.Length - "Attribute".Length);

    /// <summary>
    /// A partial class may carry LossDsl attributes on several declarations, and the generator sees each declaration.
    /// Exactly one owns the class: the declaration that holds its first LossDsl attribute. A class without any is not a loss.
    /// </summary>
    public static bool Owns(INamedTypeSymbol symbol, SyntaxNode declaration)
    {
        var first = LossAttributes(symbol).FirstOrDefault();
        var reference = first.Data?.ApplicationSyntaxReference;
        return reference is not null
            && reference.SyntaxTree == declaration.SyntaxTree
            && declaration.Span.Contains(reference.Span);
    }

    public static ParsedLoss Parse(INamedTypeSymbol symbol, SyntaxNode target, CancellationToken cancellationToken)
    {
        var attributes = new List<AttributeModel>();
        foreach (var (name, data) in LossAttributes(symbol))
        {
            cancellationToken.ThrowIfCancellationRequested();
            attributes.Add(new AttributeModel(
                name,
                LocationInfo.From(data.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation()),
                Arguments(data).ToEquatableArray()));
        }
        return new ParsedLoss(Class(symbol, target), attributes.ToEquatableArray(), Failure: null);
    }

    private static IEnumerable<(string Name, AttributeData Data)> LossAttributes(INamedTypeSymbol symbol)
    {
        foreach (var data in symbol.GetAttributes())
        {
            var type = data.AttributeClass;
            // The namespace 'LossDsl' right under the global one; compared by name, as ToDisplayString would cost a
            // string per attribute on every run (the transform runs again with every new compilation).
            if (type is null || type.TypeKind == TypeKind.Error || type.ContainingNamespace is not { Name: Namespace, ContainingNamespace.IsGlobalNamespace: true })
                continue;
            var name = type.Name.EndsWith("Attribute") ? type.Name.Substring(0, type.Name.Length - "Attribute".Length) : type.Name;
            if (System.Array.IndexOf(AttributeNames, name) >= 0)
                yield return (name, data);
        }
    }

    private static IEnumerable<ArgumentModel> Arguments(AttributeData data)
    {
        for (int k = 0; k < data.ConstructorArguments.Length; k++)
            if (Number(data.ConstructorArguments[k]) is double value)
                yield return new ArgumentModel("#" + k, value);
        foreach (var named in data.NamedArguments)
            if (Number(named.Value) is double value)
                yield return new ArgumentModel(named.Key, value);
    }

    // Half-typed code gives error constants or values of unexpected types; those are skipped (the compiler reports them).
    private static double? Number(TypedConstant constant) =>
        constant.Kind == TypedConstantKind.Error ? null : constant.Value switch
        {
            double d => d,
            float f => f,
            int i => i,
            long l => l,
            short s => s,
            byte b => b,
            bool flag => flag ? 1 : 0,
            _ => null,
        };

    private static ClassModel Class(INamedTypeSymbol symbol, SyntaxNode target)
    {
        var declarations = symbol.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().ToList();
        var containers = new List<ContainingType>();
        string? nonPartialContainer = null, genericContainer = null;
        for (var outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containers.Insert(0, new ContainingType(Keyword(outer), outer.Name));
            var outerDeclarations = outer.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>();
            if (!outerDeclarations.Any(IsPartial)) nonPartialContainer ??= outer.Name;
            if (outer.IsGenericType) genericContainer ??= outer.Name;
        }
        var baseType = symbol.BaseType;
        var ownBase = baseType is null || baseType.SpecialType == SpecialType.System_Object || baseType.ToDisplayString() == "LossDsl.LossModule"
            ? null
            : baseType.ToDisplayString();
        var identifier = target is TypeDeclarationSyntax typeDeclaration ? typeDeclaration.Identifier.GetLocation() : target.GetLocation();
        return new ClassModel(
            symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            containers.ToEquatableArray(),
            symbol.Name,
            LocationInfo.From(identifier),
            IsPartial: declarations.Count > 0 && declarations.All(IsPartial),
            IsStatic: symbol.IsStatic,
            IsGeneric: symbol.IsGenericType,
            IsRecord: symbol.IsRecord,
            BaseClass: symbol.IsRecord ? null : ownBase,
            NonPartialContainer: nonPartialContainer,
            GenericContainer: genericContainer,
            // 'file' is matched by text: the SyntaxKind is newer than the Roslyn this generator builds against.
            IsFileLocal: declarations.Any(d => d.Modifiers.Any(m => m.ValueText == "file")),
            HintNameMayCollide: HintNameMayCollide(symbol));
    }

    /// <summary>
    /// Roslyn compares hint names ignoring case, so a sibling type or namespace (at any level) whose name differs
    /// only in case, or a same-named file-local type, would give this class's hint name twice.
    /// </summary>
    private static bool HintNameMayCollide(INamedTypeSymbol symbol)
    {
        for (INamespaceOrTypeSymbol current = symbol; current.ContainingSymbol is INamespaceOrTypeSymbol container; current = container)
        {
            foreach (var sibling in container.GetMembers())
                if (sibling is INamespaceOrTypeSymbol
                    && string.Equals(sibling.Name, current.Name, System.StringComparison.OrdinalIgnoreCase)
                    && !SymbolEqualityComparer.Default.Equals(sibling, current))
                    return true;
        }
        return false;
    }

    private static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    private static string Keyword(INamedTypeSymbol type) =>
        type.IsRecord ? (type.TypeKind == TypeKind.Struct ? "record struct" : "record")
        : type.TypeKind switch
        {
            TypeKind.Struct => "struct",
            TypeKind.Interface => "interface",
            TypeKind.Class => "class",
            // Roslyn's enum is not ours to close: any other kind (the attribute allows none) is named as Roslyn names it.
            _ => type.TypeKind.ToString().ToLowerInvariant(),
        };
}
