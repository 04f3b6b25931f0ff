using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.CodeFixes;

internal static class SyntaxNames
{
    /// <summary>The attribute's name as a user would say it: <c>MaskUpper</c> for <c>[LossDsl.MaskUpperAttribute]</c>.</summary>
    public static string AttributeName(AttributeSyntax attribute)
    {
        var name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            var other => other.ToString(),
        };
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) && name.Length > "Attribute".Length
            ? name.Substring(0, name.Length - "Attribute".Length)
            : name;
    }
}
