using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LossDsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.CodeFixes;

/// <summary>LD0001: adds <c>partial</c> to every declaration of the loss class that lacks it, in every file.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(FixableIds.NotPartial);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            // LD0001 is located on the class name.
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
                continue;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{declaration.Identifier.ValueText}' partial",
                    ct => MakePartialAsync(context.Document, declaration, ct),
                    equivalenceKey: nameof(MakePartialCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Solution> MakePartialAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var declarations = model?.GetDeclaredSymbol(declaration, cancellationToken) is INamedTypeSymbol symbol
            ? symbol.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().ToList()
            : new() { declaration };

        var solution = document.Project.Solution;
        foreach (var inTree in declarations.Where(d => !d.Modifiers.Any(SyntaxKind.PartialKeyword)).GroupBy(d => d.SyntaxTree))
        {
            var target = solution.GetDocument(inTree.Key);
            if (target is null) continue; // not a document of this solution (e.g. generated): nothing to edit
            var root = await inTree.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            solution = solution.WithDocumentSyntaxRoot(target.Id, root.ReplaceNodes(inTree, (_, rewritten) => WithPartial(rewritten)));
        }
        return solution;
    }

    /// <summary>The declaration with <c>partial</c> as its last modifier, right before the keyword, where C# wants it.</summary>
    internal static TypeDeclarationSyntax WithPartial(TypeDeclarationSyntax declaration)
    {
        var modifiers = declaration.Modifiers;
        if (modifiers.Count == 0)
        {
            // 'class C' → 'partial class C': 'partial' takes over the keyword's leading trivia (indentation, line break).
            var keyword = declaration.Keyword;
            var partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return declaration.WithKeyword(keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial));
        }
        // 'public sealed class C' → 'public sealed partial class C': 'partial' takes over the trivia that followed the last modifier.
        var last = modifiers.Last();
        var added = SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.PartialKeyword, last.TrailingTrivia);
        return declaration.WithModifiers(modifiers.Replace(last, last.WithTrailingTrivia(SyntaxFactory.Space)).Add(added));
    }
}
