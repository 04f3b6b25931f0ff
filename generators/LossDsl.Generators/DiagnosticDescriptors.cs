using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace LossDsl.Generators;

/// <summary>Every diagnostic LossDsl reports. Messages say what to change.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "LossDsl";

    /// <summary>
    /// Where each diagnostic's page lives: <c>docs/diagnostics/{id}.md</c> in the repository named by
    /// <c>RepositoryUrl</c> in Directory.Build.props (a test checks that the two agree and that every page exists).
    /// </summary>
    public const string HelpLinkBase = "https://github.com/lossdsl/LossDsl/blob/main/docs/diagnostics/";

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    // Each descriptor is created with constant id, category and severity, so that the release-tracking analyzer
    // (RS2000–RS2008) sees it and checks it against AnalyzerReleases.Shipped.md / Unshipped.md.

    public static readonly DiagnosticDescriptor NotPartial = new(FixableIds.NotPartial,
        "Loss class must be partial",
        "Loss class '{0}' must be declared 'partial' so that LossDsl can generate its module; add the 'partial' modifier",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(FixableIds.NotPartial));

    public static readonly DiagnosticDescriptor Generic = new("LD0002",
        "Loss class must not be generic",
        "Loss class '{0}' must not be generic{1}; a loss module is one concrete class, so remove the type parameters",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0002"));

    public static readonly DiagnosticDescriptor Static = new("LD0003",
        "Loss class must not be static",
        "Loss class '{0}' must not be static: it becomes a module that is instantiated; remove 'static'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0003"));

    public static readonly DiagnosticDescriptor OwnBaseClass = new("LD0004",
        "Loss class must not declare a base class",
        "Loss class '{0}' derives from '{1}', but the generated part derives from LossDsl.LossModule; remove the base class (interfaces are fine)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0004"));

    public static readonly DiagnosticDescriptor BothMasks = new(FixableIds.BothMasks,
        "[MaskLower] and [MaskUpper] together",
        "'{0}' has both [MaskLower] and [MaskUpper]; they keep opposite halves, so keep only the one whose half the loss should learn",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(FixableIds.BothMasks));

    public static readonly DiagnosticDescriptor ParameterOutOfRange = new(FixableIds.ParameterOutOfRange,
        "Attribute parameter out of range",
        "{0}.{1} must be {2}; got {3}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(FixableIds.ParameterOutOfRange));

    public static readonly DiagnosticDescriptor BadWeight = new("LD0007",
        "Weight must be finite and non-negative",
        "{0}.Weight must be " + Terms.TermDescriptor.WeightRange.Describe() + "; got {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0007"));

    public static readonly DiagnosticDescriptor DuplicateTerm = new("LD0008",
        "Duplicated term",
        "[{0}] appears more than once on '{1}'; keep one (scale it with Weight instead of repeating it)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0008"));

    public static readonly DiagnosticDescriptor NoTerm = new("LD0009",
        "Symmetry or region attribute without a term",
        "'{0}' has [{1}] but no term; add " + Terms.TermCatalog.Listed("or") + ", or remove [{1}]",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0009"));

    public static readonly DiagnosticDescriptor TransposeWithoutMask = new("LD0010",
        "[SymmetricTranspose] without a mask only doubles the loss",
        "[SymmetricTranspose] on '{0}' has no [MaskLower] or [MaskUpper]: for symmetric targets T(xᵀ, y) equals T(x, y) exactly (value and gradient), so it only doubles the loss; add [MaskLower] or [MaskUpper], or remove [SymmetricTranspose]",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0010"));

    public static readonly DiagnosticDescriptor Redundant = new("LD0011",
        "Redundant attribute combination",
        "[{0}] is redundant on '{1}': {2}; remove it",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0011"));

    public static readonly DiagnosticDescriptor NotAClass = new("LD0012",
        "Loss class must be a class",
        "'{0}' is a record; a loss must be a plain partial class, because the generated part derives from LossDsl.LossModule",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0012"));

    public static readonly DiagnosticDescriptor ContainerNotPartial = new("LD0013",
        "Containing type must be partial",
        "'{1}' contains loss class '{0}' and must be declared 'partial' too, so that the generated part can be nested in it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0013"));

    public static readonly DiagnosticDescriptor FileLocal = new("LD0014",
        "Loss class must not be file-local",
        "Loss class '{0}' is file-local: the generated part lives in another file and could not extend it; declare it 'internal' or 'public' instead of 'file'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0014"));

    public static readonly DiagnosticDescriptor GeneratorFailure = new("LD0099",
        "LossDsl could not generate the loss",
        "LossDsl could not generate '{0}': {1}. This is a bug in LossDsl; please report it with the class's attributes.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("LD0099"));

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        NotPartial, Generic, Static, OwnBaseClass, BothMasks, ParameterOutOfRange, BadWeight, DuplicateTerm,
        NoTerm, TransposeWithoutMask, Redundant, NotAClass, ContainerNotPartial, FileLocal, GeneratorFailure,
    };

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => s_byId[id];
}
