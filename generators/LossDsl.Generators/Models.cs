using System.Collections.Immutable;
using System.Linq;
using LossDsl.Generators.Terms;
using LossDsl.Generators.Vocabulary;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace LossDsl.Generators;

// Pipeline models: plain equatable data only (no ISymbol, SyntaxNode, Compilation or Location),
// so the incremental driver can cache every step.

/// <summary>A source location as data; turned back into a <see cref="Location"/> only when a diagnostic is reported.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>The location in its syntax tree when <paramref name="compilation"/> holds that tree, else by file path.</summary>
    public Location ToLocation(Compilation? compilation)
    {
        foreach (var tree in compilation?.SyntaxTrees ?? Enumerable.Empty<SyntaxTree>())
            if (tree.FilePath == FilePath && Span.End <= tree.Length) return Location.Create(tree, Span);
        return Location.Create(FilePath, Span, LineSpan);
    }

    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>One entry of a diagnostic's <see cref="Diagnostic.Properties"/>: data for code fixes (see <see cref="DiagnosticProperties"/>).</summary>
internal sealed record DiagnosticProperty(string Key, string? Value);

/// <summary>A diagnostic as data: which descriptor, where, with which message arguments and properties.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments, EquatableArray<DiagnosticProperty> Properties = default)
{
    public Diagnostic ToDiagnostic(Compilation? compilation) =>
        Diagnostic.Create(
            DiagnosticDescriptors.ById(Id),
            Location?.ToLocation(compilation),
            Properties.Count == 0 ? null : Properties.ToImmutableDictionary(p => p.Key, p => p.Value),
            Arguments.Cast<object>().ToArray());
}

/// <summary>One type that contains the loss class, outermost first, e.g. <c>partial class Outer</c>.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>What the parser saw of the class itself.</summary>
internal sealed record ClassModel(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Name,
    LocationInfo? Location,
    bool IsPartial,
    bool IsStatic,
    bool IsGeneric,
    bool IsRecord,
    string? BaseClass,
    string? NonPartialContainer,
    string? GenericContainer,
    bool IsFileLocal,
    bool HintNameMayCollide = false);

/// <summary>One argument of a LossDsl attribute: its name (<c>#0</c> for the constructor argument) and its value
/// (bools as 1/0, enums as their underlying value).</summary>
internal sealed record ArgumentModel(string Name, double Value);

/// <summary>One LossDsl attribute as written on the class.</summary>
internal sealed record AttributeModel(string Name, LocationInfo? Location, EquatableArray<ArgumentModel> Arguments);

/// <summary>The parser's output for one class: its facts and its LossDsl attributes in source order.</summary>
internal sealed record ParsedLoss(ClassModel Class, EquatableArray<AttributeModel> Attributes, DiagnosticInfo? Failure);

/// <summary>A validated term: its descriptor and every parameter resolved (defaults filled in), in the descriptor's order.
/// Descriptors are singletons, so comparing them by reference keeps the record equatable data.</summary>
internal sealed record TermSpec(TermDescriptor Term, double Weight, EquatableArray<double> Values)
{
    public double this[ParameterDescriptor parameter] => Values[Term.IndexOf(parameter)];

    public bool Flag(ParameterDescriptor parameter) => this[parameter] != 0;
}

/// <summary>A validated <c>[TransposeConsistency]</c>.</summary>
internal sealed record ConsistencySpec(SymmetryPenalty Penalty, double Delta, double Weight, bool InLogits);

/// <summary>A validated loss class: everything the emitter needs, nothing else.</summary>
internal sealed record LossSpec(
    ClassModel Class,
    EquatableArray<TermSpec> Terms,
    bool Symmetrize,
    bool SymmetricTranspose,
    MapHalf Half,
    bool IncludeDiagonal,
    int MinSeparation,
    ConsistencySpec? Consistency,
    bool Sum)
{
    /// <summary>Whether the attributes restrict the map to a region (or compare it with its transpose), which needs N = M.</summary>
    public bool NeedsSquare => Symmetrize || SymmetricTranspose || Half != MapHalf.Both || MinSeparation > 0 || Consistency is not null;
}

/// <summary>The validator's output: the spec when the class is valid, and every diagnostic found.</summary>
internal sealed record ValidatedLoss(LossSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
