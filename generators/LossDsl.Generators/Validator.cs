using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LossDsl.Generators.Terms;
using LossDsl.Generators.Vocabulary;

namespace LossDsl.Generators;

/// <summary>
/// Checks a parsed class against the rules of docs/diagnostics and resolves every parameter: a <see cref="LossSpec"/> or
/// diagnostics. Term parameters are checked against their <see cref="TermDescriptor"/>.
/// </summary>
internal static class Validator
{
    public static ValidatedLoss Validate(ParsedLoss parsed)
    {
        if (parsed.Failure is not null)
            return new ValidatedLoss(null, new[] { parsed.Failure }.ToEquatableArray());
        var check = new Check(parsed);
        var spec = check.Run();
        return new ValidatedLoss(check.HasErrors ? null : spec, check.Diagnostics.ToEquatableArray());
    }

    private sealed class Check
    {
        private readonly ParsedLoss _parsed;
        private readonly ClassModel _class;
        public readonly List<DiagnosticInfo> Diagnostics = new();
        public bool HasErrors { get; private set; }

        public Check(ParsedLoss parsed) => (_parsed, _class) = (parsed, parsed.Class);

        private void Report(string id, LocationInfo? location, params string[] arguments) =>
            Report(id, location, EquatableArray<DiagnosticProperty>.Empty, arguments);

        private void Report(string id, LocationInfo? location, EquatableArray<DiagnosticProperty> properties, params string[] arguments)
        {
            Diagnostics.Add(new DiagnosticInfo(id, location ?? _class.Location, arguments.ToEquatableArray(), properties));
            if (DiagnosticDescriptors.ById(id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error) HasErrors = true;
        }

        /// <summary>LD0006 for <paramref name="a"/>'s argument <paramref name="argument"/> (as the parser names it), shown
        /// as <c>{attribute}.{shownAs}</c>; <paramref name="nearest"/> is the valid value a code fix puts in its place.</summary>
        private void ReportOutOfRange(AttributeModel a, string argument, string shownAs, string rule, double value, string? nearest)
        {
            var properties = new List<DiagnosticProperty> { new(DiagnosticProperties.Parameter, argument) };
            if (nearest is not null) properties.Add(new DiagnosticProperty(DiagnosticProperties.Nearest, nearest));
            Report(DiagnosticDescriptors.ParameterOutOfRange.Id, a.Location, properties.ToEquatableArray(), a.Name, shownAs, rule, Show(value));
        }

        public LossSpec? Run()
        {
            var attributes = _parsed.Attributes;
            var termAttributes = attributes.Where(a => TermCatalog.Find(a.Name) is not null).ToList();
            if (termAttributes.Count == 0)
            {
                // Only symmetry/region attributes: not a loss class, but surely meant to be one.
                var first = attributes.FirstOrDefault();
                if (first is not null) Report(DiagnosticDescriptors.NoTerm.Id, first.Location, _class.Name, first.Name);
                return null;
            }

            CheckClass();

            var terms = new List<TermSpec>();
            foreach (var group in termAttributes.GroupBy(a => a.Name))
            {
                foreach (var duplicate in group.Skip(1))
                    Report(DiagnosticDescriptors.DuplicateTerm.Id, duplicate.Location, duplicate.Name, _class.Name);
                terms.Add(Term(group.First(), TermCatalog.Find(group.Key)!));
            }

            var lower = Find(nameof(MaskLowerAttribute));
            var upper = Find(nameof(MaskUpperAttribute));
            if (lower is not null && upper is not null)
            {
                var second = attributes.First(a => a == lower || a == upper) == lower ? upper : lower;
                Report(DiagnosticDescriptors.BothMasks.Id, second.Location, _class.Name);
            }
            var mask = lower ?? upper;
            var half = lower is not null ? MapHalf.Upper : upper is not null ? MapHalf.Lower : MapHalf.Both;

            int minSeparation = 0;
            if (Find(nameof(MinSeparationAttribute)) is { } separation)
            {
                // No usable argument ([MinSeparation], [MinSeparation(2.5)]) is a compiler error already: nothing to add.
                var k = Get(separation, "#0", double.NaN);
                if (!double.IsNaN(k) && Require(separation, "#0", k, StructuralParameters.Separation)) minSeparation = (int)k;
            }

            ConsistencySpec? consistency = null;
            if (Find(nameof(TransposeConsistencyAttribute)) is { } c)
            {
                var delta = Get(c, StructuralParameters.Delta.Name, StructuralParameters.Delta.Default);
                Require(c, StructuralParameters.Delta.Name, delta, StructuralParameters.Delta);
                var penalty = Member<SymmetryPenalty>(c, StructuralParameters.Penalty.Name, StructuralParameters.Penalty);
                var space = Member<ConsistencySpace>(c, StructuralParameters.Space.Name, StructuralParameters.Space);
                consistency = new ConsistencySpec(penalty, delta, Weight(c, StructuralParameters.ConsistencyWeight), InLogits: space == ConsistencySpace.Logits);
            }

            bool sum = false;
            if (Find(nameof(ReductionAttribute)) is { } reduction)
                sum = Member<LossReduction>(reduction, "#0", StructuralParameters.Reduction) == LossReduction.Sum;

            var symmetrize = Find(nameof(SymmetrizeAttribute));
            var transpose = Find(nameof(SymmetricTransposeAttribute));
            if (transpose is not null && mask is null && symmetrize is null)
                Report(DiagnosticDescriptors.TransposeWithoutMask.Id, transpose.Location, _class.Name);
            if (symmetrize is not null && Find(nameof(TransposeConsistencyAttribute)) is { } redundantPenalty)
                Report(DiagnosticDescriptors.Redundant.Id, redundantPenalty.Location, "TransposeConsistency", _class.Name,
                    "[Symmetrize] makes the logits symmetric, so the penalty on z − zᵀ is identically 0");
            if (symmetrize is not null && transpose is not null)
                Report(DiagnosticDescriptors.Redundant.Id, transpose.Location, "SymmetricTranspose", _class.Name,
                    "after [Symmetrize], xᵀ = x, so the second evaluation only doubles every term");

            return new LossSpec(
                _class,
                terms.ToEquatableArray(),
                Symmetrize: symmetrize is not null,
                SymmetricTranspose: transpose is not null,
                half,
                IncludeDiagonal: mask is null || Get(mask, StructuralParameters.IncludeDiagonal.Name, StructuralParameters.IncludeDiagonal.Default) != 0,
                minSeparation,
                consistency,
                sum);
        }

        private void CheckClass()
        {
            if (_class.IsRecord) Report(DiagnosticDescriptors.NotAClass.Id, null, _class.Name);
            if (!_class.IsPartial) Report(DiagnosticDescriptors.NotPartial.Id, null, _class.Name);
            if (_class.IsFileLocal) Report(DiagnosticDescriptors.FileLocal.Id, null, _class.Name);
            if (_class.IsStatic) Report(DiagnosticDescriptors.Static.Id, null, _class.Name);
            if (_class.IsGeneric) Report(DiagnosticDescriptors.Generic.Id, null, _class.Name, "");
            else if (_class.GenericContainer is { } genericOuter)
                Report(DiagnosticDescriptors.Generic.Id, null, _class.Name, $" (nor nested in generic '{genericOuter}')");
            if (_class.BaseClass is { } baseClass) Report(DiagnosticDescriptors.OwnBaseClass.Id, null, _class.Name, baseClass);
            if (_class.NonPartialContainer is { } outer) Report(DiagnosticDescriptors.ContainerNotPartial.Id, null, _class.Name, outer);
        }

        /// <summary>Every parameter of <paramref name="term"/> from <paramref name="a"/> or its default, checked against its range.</summary>
        private TermSpec Term(AttributeModel a, TermDescriptor term)
        {
            var values = new double[term.Parameters.Count];
            for (int k = 0; k < values.Length; k++)
            {
                var parameter = term.Parameters[k];
                var value = Get(a, parameter.Name, parameter.Default);
                if (parameter.IsFlag) value = value != 0 ? 1 : 0;
                else Require(a, parameter.Name, value, parameter);
                values[k] = value;
            }
            return new TermSpec(term, Weight(a, term.DefaultWeight), values.ToEquatableArray());
        }

        /// <summary>Whether <paramref name="value"/>, argument <paramref name="argument"/> of <paramref name="a"/>, is in
        /// <paramref name="parameter"/>'s range and finite (NaN fails every comparison); LD0006 if not.</summary>
        private bool Require(AttributeModel a, string argument, double value, ParameterDescriptor parameter)
        {
            if (parameter.Range.Contains(value) && !double.IsInfinity(value)) return true;
            var nearest = parameter.Range.Nearest(value) is double n ? Show(n) : null;
            ReportOutOfRange(a, argument, parameter.Name, parameter.Rule, value, nearest);
            return false;
        }

        /// <summary>The enum argument <paramref name="argument"/> of <paramref name="a"/>, or its default; LD0006 for a
        /// value that names no member (a cast), whose nearest member the code fix writes.</summary>
        private TEnum Member<TEnum>(AttributeModel a, string argument, ParameterDescriptor parameter) where TEnum : struct, Enum
        {
            var value = Get(a, argument, parameter.Default);
            if (!parameter.Range.Contains(value) || value != Math.Floor(value))
                ReportOutOfRange(a, argument, parameter.Name, parameter.Rule, value, NearestMember<TEnum>(value));
            return (TEnum)Enum.ToObject(typeof(TEnum), (int)value);
        }

        /// <summary>The member of <typeparamref name="TEnum"/> nearest to <paramref name="value"/> (the first or the last), as a
        /// fully qualified C# expression; null for a value between members, which an enum cannot have.</summary>
        private static string? NearestMember<TEnum>(double value) where TEnum : struct, Enum
        {
            var members = Enum.GetNames(typeof(TEnum));
            var prefix = $"global::{Parser.Namespace}.{typeof(TEnum).Name}.";
            return value < 0 ? prefix + members[0]
                : value > members.Length - 1 ? prefix + members[members.Length - 1]
                : null;
        }

        private double Weight(AttributeModel a, double fallback)
        {
            var weight = Get(a, "Weight", fallback);
            if (!TermDescriptor.WeightRange.Contains(weight) || double.IsInfinity(weight)) Report(DiagnosticDescriptors.BadWeight.Id, a.Location, a.Name, Show(weight));
            return weight;
        }

        /// <summary>The class's first attribute of type <paramref name="attributeTypeName"/> (a <c>nameof</c>, ending in <c>Attribute</c>).</summary>
        private AttributeModel? Find(string attributeTypeName)
        {
            var name = attributeTypeName.Substring(0, attributeTypeName.Length - "Attribute".Length);
            return _parsed.Attributes.FirstOrDefault(a => a.Name == name);
        }

        private static double Get(AttributeModel a, string name, double fallback) =>
            a.Arguments.FirstOrDefault(x => x.Name == name)?.Value ?? fallback;

        private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
