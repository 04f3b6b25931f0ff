using System.Collections.Generic;
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

/// <summary>
/// LD0005: removes the mask attribute the diagnostic is on (the second of [MaskLower] and [MaskUpper]). An attribute
/// list that becomes empty goes too, with its line when it stood alone on one; comments before it stay.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveMaskCodeFix)), Shared]
public sealed class RemoveMaskCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(FixableIds.BothMasks);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>() is not { Parent: AttributeListSyntax } attribute)
                continue;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Remove [{SyntaxNames.AttributeName(attribute)}]",
                    ct => RemoveAsync(context.Document, attribute, ct),
                    equivalenceKey: nameof(RemoveMaskCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> RemoveAsync(Document document, AttributeSyntax attribute, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is null ? document : document.WithSyntaxRoot(Remove(root, attribute));
    }

    internal static SyntaxNode Remove(SyntaxNode root, AttributeSyntax attribute)
    {
        var list = (AttributeListSyntax)attribute.Parent!;
        if (list.Attributes.Count > 1)
            return root.ReplaceNode(list, list.WithAttributes(list.Attributes.Remove(attribute)));

        // The whole list goes. Its trivia decides what happens to the whitespace around it; tracking finds it again
        // after the tokens on either side have been rewritten.
        var original = list;
        root = root.TrackNodes(original);
        list = root.GetCurrentNode(original)!;
        var first = list.GetFirstToken();
        var last = list.GetLastToken();
        var previous = first.GetPreviousToken();
        var next = last.GetNextToken();
        var startsLine = previous.IsKind(SyntaxKind.None) || previous.TrailingTrivia.Any(SyntaxKind.EndOfLineTrivia) || first.LeadingTrivia.Any(SyntaxKind.EndOfLineTrivia);
        var endsLine = last.TrailingTrivia.Any(SyntaxKind.EndOfLineTrivia);

        var replacements = new Dictionary<SyntaxToken, SyntaxToken>();
        if (startsLine && endsLine)
        {
            // '    [MaskUpper]\n': the line goes; comments and directives before the list stay, before what follows.
            replacements[next] = next.WithLeadingTrivia(WithoutTrailingWhitespace(first.LeadingTrivia).AddRange(next.LeadingTrivia));
        }
        else if (startsLine)
        {
            // '    [MaskUpper] public ...': what follows takes over the indentation.
            replacements[next] = next.WithLeadingTrivia(first.LeadingTrivia.AddRange(next.LeadingTrivia));
        }
        else if (endsLine)
        {
            // '[MaskLower] [MaskUpper]\n': the line ends after what precedes, without trailing spaces.
            replacements[previous] = previous.WithTrailingTrivia(WithoutTrailingWhitespace(previous.TrailingTrivia).AddRange(last.TrailingTrivia));
        }
        else if (!EndsWithWhitespace(previous.TrailingTrivia))
        {
            // '[MaskLower][MaskUpper] public': keep the space that separated the list from what follows.
            replacements[next] = next.WithLeadingTrivia(last.TrailingTrivia.AddRange(next.LeadingTrivia));
        }
        if (replacements.Count > 0)
            root = root.ReplaceTokens(replacements.Keys, (original, _) => replacements[original]);
        return root.RemoveNode(root.GetCurrentNode(original)!, SyntaxRemoveOptions.KeepNoTrivia)!;
    }

    private static SyntaxTriviaList WithoutTrailingWhitespace(SyntaxTriviaList trivia)
    {
        var items = trivia.ToList();
        while (items.Count > 0 && items[items.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)) items.RemoveAt(items.Count - 1);
        return SyntaxFactory.TriviaList(items);
    }

    private static bool EndsWithWhitespace(SyntaxTriviaList trivia) =>
        trivia.Count > 0 && trivia.Last().Kind() is SyntaxKind.WhitespaceTrivia or SyntaxKind.EndOfLineTrivia;
}
