using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace LossDsl.Generators.Terms;

/// <summary>
/// Every term descriptor. A term attribute of the runtime without a descriptor here, or a descriptor that disagrees with
/// its attribute (name, parameters, defaults), fails <c>TermDescriptorTests</c>.
/// </summary>
internal static class TermCatalog
{
    public static ImmutableArray<TermDescriptor> All { get; } = ImmutableArray.Create<TermDescriptor>(
        FocalTerm.Instance,
        BinaryCrossEntropyTerm.Instance,
        DiceTerm.Instance,
        TverskyTerm.Instance,
        JaccardTerm.Instance,
        MatthewsCorrelationTerm.Instance,
        LovaszHingeTerm.Instance);

    private static readonly Dictionary<string, TermDescriptor> s_byName = All.ToDictionary(t => t.AttributeName);

    /// <summary>Every term as <c>[A], [B] {conjunction} [C]</c>, for messages and docs (LD0009).</summary>
    public static string Listed(string conjunction) =>
        string.Join(", ", All.Take(All.Length - 1).Select(t => $"[{t.AttributeName}]")) + $" {conjunction} [{All[All.Length - 1].AttributeName}]";

    /// <summary>The descriptor of the term attribute <paramref name="attributeName"/> (without <c>Attribute</c>), or null.</summary>
    public static TermDescriptor? Find(string attributeName) => s_byName.TryGetValue(attributeName, out var term) ? term : null;
}
