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

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    public static readonly DiagnosticDescriptor NotPartial = Error(FixableIds.NotPartial,
        "Loss class must be partial",
        "Loss class '{0}' must be declared 'partial' so that LossDsl can generate its module; add the 'partial' modifier");

    public static readonly DiagnosticDescriptor Generic = Error("LD0002",
        "Loss class must not be generic",
        "Loss class '{0}' must not be generic{1}; a loss module is one concrete class, so remove the type parameters");

    public static readonly DiagnosticDescriptor Static = Error("LD0003",
        "Loss class must not be static",
        "Loss class '{0}' must not be static: it becomes a module that is instantiated; remove 'static'");

    public static readonly DiagnosticDescriptor OwnBaseClass = Error("LD0004",
        "Loss class must not declare a base class",
        "Loss class '{0}' derives from '{1}', but the generated part derives from LossDsl.LossModule; remove the base class (interfaces are fine)");

    public static readonly DiagnosticDescriptor BothMasks = Error(FixableIds.BothMasks,
        "[MaskLower] and [MaskUpper] together",
        "'{0}' has both [MaskLower] and [MaskUpper]; they keep opposite halves, so keep only the one whose half the loss should learn");

    public static readonly DiagnosticDescriptor ParameterOutOfRange = Error(FixableIds.ParameterOutOfRange,
        "Attribute parameter out of range",
        "{0}.{1} must be {2}; got {3}");

    public static readonly DiagnosticDescriptor BadWeight = Error("LD0007",
        "Weight must be finite and non-negative",
        "{0}.Weight must be a finite number ≥ 0; got {1}");

    public static readonly DiagnosticDescriptor DuplicateTerm = Error("LD0008",
        "Duplicated term",
        "[{0}] appears more than once on '{1}'; keep one (scale it with Weight instead of repeating it)");

    public static readonly DiagnosticDescriptor NoTerm = Error("LD0009",
        "Symmetry or region attribute without a term",
        "'{0}' has [{1}] but no term; add [Focal], [BinaryCrossEntropy], [Dice] or [Tversky], or remove [{1}]");

    public static readonly DiagnosticDescriptor TransposeWithoutMask = Warning("LD0010",
        "[SymmetricTranspose] without a mask only doubles the loss",
        "[SymmetricTranspose] on '{0}' has no [MaskLower] or [MaskUpper]: for symmetric targets T(xᵀ, y) equals T(x, y) exactly (value and gradient), so it only doubles the loss; add [MaskLower] or [MaskUpper], or remove [SymmetricTranspose]");

    public static readonly DiagnosticDescriptor Redundant = Warning("LD0011",
        "Redundant attribute combination",
        "[{0}] is redundant on '{1}': {2}; remove it");

    public static readonly DiagnosticDescriptor NotAClass = Error("LD0012",
        "Loss class must be a class",
        "'{0}' is a record; a loss must be a plain partial class, because the generated part derives from LossDsl.LossModule");

    public static readonly DiagnosticDescriptor ContainerNotPartial = Error("LD0013",
        "Containing type must be partial",
        "'{1}' contains loss class '{0}' and must be declared 'partial' too, so that the generated part can be nested in it");

    public static readonly DiagnosticDescriptor FileLocal = Error("LD0014",
        "Loss class must not be file-local",
        "Loss class '{0}' is file-local: the generated part lives in another file and could not extend it; declare it 'internal' or 'public' instead of 'file'");

    public static readonly DiagnosticDescriptor GeneratorFailure = Error("LD0099",
        "LossDsl could not generate the loss",
        "LossDsl could not generate '{0}': {1}. This is a bug in LossDsl; please report it with the class's attributes.");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        NotPartial, Generic, Static, OwnBaseClass, BothMasks, ParameterOutOfRange, BadWeight, DuplicateTerm,
        NoTerm, TransposeWithoutMask, Redundant, NotAClass, ContainerNotPartial, FileLocal, GeneratorFailure,
    };

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => s_byId[id];
}
