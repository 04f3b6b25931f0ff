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
using Microsoft.CodeAnalysis.Simplification;

namespace LossDsl.CodeFixes;

/// <summary>
/// LD0006: replaces the out-of-range argument with its nearest valid value. The generator decides both (the diagnostic's
/// <see cref="DiagnosticProperties.Parameter"/> and <see cref="DiagnosticProperties.Nearest"/>); without a nearest value
/// (NaN, or ∞ on an unbounded side) no fix is offered. docs/diagnostics/LD0006.md states the rule.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ClampParameterCodeFix)), Shared]
public sealed class ClampParameterCodeFix : CodeFixProvider
{
    private const string GlobalPrefix = "global::LossDsl.";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(FixableIds.ParameterOutOfRange);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.Parameter, out var parameter) || parameter is null
                || !diagnostic.Properties.TryGetValue(DiagnosticProperties.Nearest, out var nearest) || nearest is null)
                continue;
            // LD0006 is located on the attribute.
            if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute
                || Argument(attribute, parameter) is not { } argument)
                continue;
            var shownParameter = parameter.StartsWith("#", System.StringComparison.Ordinal) ? SyntaxNames.AttributeName(attribute) : parameter;
            var shownValue = nearest.StartsWith(GlobalPrefix, System.StringComparison.Ordinal) ? nearest.Substring(GlobalPrefix.Length) : nearest;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Set {shownParameter} to {shownValue}",
                    ct => ReplaceAsync(context.Document, argument.Expression, nearest, ct),
                    // One key for every LD0006 fix: 'Fix all' sets each parameter to its own nearest value.
                    equivalenceKey: nameof(ClampParameterCodeFix)),
                diagnostic);
        }
    }

    /// <summary>The argument <paramref name="parameter"/> names: <c>Gamma = …</c>, or <c>#k</c>, the k-th constructor argument.</summary>
    private static AttributeArgumentSyntax? Argument(AttributeSyntax attribute, string parameter)
    {
        var arguments = attribute.ArgumentList?.Arguments ?? default;
        if (parameter.StartsWith("#", System.StringComparison.Ordinal))
        {
            var positional = arguments.Where(a => a.NameEquals is null).ToList();
            return int.TryParse(parameter.Substring(1), out var k) && k < positional.Count ? positional[k] : null;
        }
        return arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == parameter);
    }

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax expression, string nearest, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null) return document;
        // Enum members come fully qualified; the simplifier shortens them to what the file's usings allow.
        var replacement = SyntaxFactory.ParseExpression(nearest).WithTriviaFrom(expression).WithAdditionalAnnotations(Simplifier.Annotation);
        return document.WithSyntaxRoot(root.ReplaceNode(expression, replacement));
    }
}
