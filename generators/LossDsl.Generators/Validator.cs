using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace LossDsl.Generators;

/// <summary>Checks a parsed class against SPEC §5 and resolves every parameter: a <see cref="LossSpec"/> or diagnostics.</summary>
internal static class Validator
{
    private static readonly string[] TermNames = { "Focal", "BinaryCrossEntropy", "Dice", "Tversky" };

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
            var termAttributes = attributes.Where(a => TermNames.Contains(a.Name)).ToList();
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
                terms.Add(Term(group.First()));
            }

            var lower = Find("MaskLower");
            var upper = Find("MaskUpper");
            if (lower is not null && upper is not null)
            {
                var second = attributes.First(a => a == lower || a == upper) == lower ? upper : lower;
                Report(DiagnosticDescriptors.BothMasks.Id, second.Location, _class.Name);
            }
            var mask = lower ?? upper;
            var half = lower is not null ? HalfKind.Upper : upper is not null ? HalfKind.Lower : HalfKind.Both;

            int minSeparation = 0;
            if (Find("MinSeparation") is { } separation)
            {
                // No usable argument ([MinSeparation], [MinSeparation(2.5)]) is a compiler error already: nothing to add.
                var k = Get(separation, "#0", double.NaN);
                if (k >= 1) minSeparation = (int)k;
                else if (!double.IsNaN(k)) ReportOutOfRange(separation, "#0", "Separation", "≥ 1", k, "1");
            }

            ConsistencySpec? consistency = null;
            if (Find("TransposeConsistency") is { } c)
            {
                var delta = Get(c, "Delta", 1);
                Require(c, "Delta", delta, Bounds.Above(0, open: true), "a finite number > 0");
                var penalty = Get(c, "Penalty", (int)PenaltyKind.Huber);
                if (!Enum.IsDefined(typeof(PenaltyKind), (int)penalty) || penalty != Math.Floor(penalty))
                    ReportOutOfRange(c, "Penalty", "Penalty", "SymmetryPenalty.L1, Mse or Huber", penalty, NearestMember("SymmetryPenalty", penalty, "L1", "Mse", "Huber"));
                var space = Get(c, "Space", 0);
                if (space is not (0 or 1))
                    ReportOutOfRange(c, "Space", "Space", "ConsistencySpace.Probabilities or Logits", space, NearestMember("ConsistencySpace", space, "Probabilities", "Logits"));
                consistency = new ConsistencySpec((PenaltyKind)(int)penalty, delta, Weight(c, 0.1), InLogits: space == 1);
            }

            bool sum = false;
            if (Find("Reduction") is { } reduction)
            {
                var r = Get(reduction, "#0", 0);
                if (r is not (0 or 1)) ReportOutOfRange(reduction, "#0", "reduction", "LossReduction.Mean or Sum", r, NearestMember("LossReduction", r, "Mean", "Sum"));
                sum = r == 1;
            }

            var symmetrize = Find("Symmetrize");
            var transpose = Find("SymmetricTranspose");
            if (transpose is not null && mask is null && symmetrize is null)
                Report(DiagnosticDescriptors.TransposeWithoutMask.Id, transpose.Location, _class.Name);
            if (symmetrize is not null && Find("TransposeConsistency") is { } redundantPenalty)
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
                IncludeDiagonal: mask is null || Get(mask, "IncludeDiagonal", 1) != 0,
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

        private TermSpec Term(AttributeModel a)
        {
            switch (a.Name)
            {
                case "Focal":
                    var gamma = Get(a, "Gamma", 2);
                    var alpha = Get(a, "Alpha", 0.25);
                    Require(a, "Gamma", gamma, Bounds.Above(0), "a finite number ≥ 0");
                    Require(a, "Alpha", alpha, Bounds.Below(1), "≤ 1 (negative turns the α weighting off)");
                    return new TermSpec(TermKind.Focal, Weight(a, 1), Gamma: gamma, Alpha: alpha);
                case "BinaryCrossEntropy":
                    var posWeight = Get(a, "PosWeight", 1);
                    var smoothing = Get(a, "LabelSmoothing", 0);
                    Require(a, "PosWeight", posWeight, Bounds.Above(0, open: true), "a finite number > 0");
                    Require(a, "LabelSmoothing", smoothing, new Bounds(0, false, 1, true), "in [0, 1)");
                    return new TermSpec(TermKind.BinaryCrossEntropy, Weight(a, 1), PosWeight: posWeight, LabelSmoothing: smoothing);
                case "Dice":
                    var smooth = Get(a, "Smooth", 1);
                    Require(a, "Smooth", smooth, Bounds.Above(0), "a finite number ≥ 0");
                    return new TermSpec(TermKind.Dice, Weight(a, 1), Smooth: smooth, Batch: Get(a, "Batch", 0) != 0);
                default:
                    var tAlpha = Get(a, "Alpha", 0.5);
                    var tBeta = Get(a, "Beta", 0.5);
                    var tGamma = Get(a, "Gamma", 1);
                    var tSmooth = Get(a, "Smooth", 1);
                    Require(a, "Alpha", tAlpha, new Bounds(0, false, 1, false), "in [0, 1]");
                    Require(a, "Beta", tBeta, new Bounds(0, false, 1, false), "in [0, 1]");
                    Require(a, "Gamma", tGamma, Bounds.Above(0), "a finite number ≥ 0");
                    Require(a, "Smooth", tSmooth, Bounds.Above(0), "a finite number ≥ 0");
                    return new TermSpec(TermKind.Tversky, Weight(a, 1), Gamma: tGamma, Alpha: tAlpha, Beta: tBeta, Smooth: tSmooth, Batch: Get(a, "Batch", 0) != 0);
            }
        }

        // Every parameter must also be finite: NaN fails every comparison, infinities are rejected here.
        private void Require(AttributeModel a, string parameter, double value, Bounds bounds, string rule)
        {
            if (!bounds.Contains(value) || double.IsInfinity(value))
                ReportOutOfRange(a, parameter, parameter, rule, value, bounds.Nearest(value) is double nearest ? Show(nearest) : null);
        }

        /// <summary>The enum member nearest to <paramref name="value"/> (the first or the last), as a fully qualified C#
        /// expression; null for a value between members, which an enum cannot have.</summary>
        private static string? NearestMember(string enumName, double value, params string[] members) =>
            value < 0 ? $"global::{Parser.Namespace}.{enumName}.{members[0]}"
            : value > members.Length - 1 ? $"global::{Parser.Namespace}.{enumName}.{members[members.Length - 1]}"
            : null;

        private double Weight(AttributeModel a, double fallback)
        {
            var weight = Get(a, "Weight", fallback);
            if (!(weight >= 0) || double.IsInfinity(weight)) Report(DiagnosticDescriptors.BadWeight.Id, a.Location, a.Name, Show(weight));
            return weight;
        }

        private AttributeModel? Find(string name) => _parsed.Attributes.FirstOrDefault(a => a.Name == name);

        private static double Get(AttributeModel a, string name, double fallback) =>
            a.Arguments.FirstOrDefault(x => x.Name == name)?.Value ?? fallback;

        private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A parameter's valid range; either side may be open or unbounded (±∞). <see cref="Nearest"/> is what LD0006's code
    /// fix writes: a closed bound itself, an open bound moved <see cref="OpenBoundStep"/> inside the range (an open bound
    /// has no nearest value), or nothing for NaN and for ∞ on an unbounded side. docs/diagnostics/LD0006.md states this rule.
    /// </summary>
    private readonly struct Bounds
    {
        public const double OpenBoundStep = 0.01;

        private readonly double _min, _max;
        private readonly bool _minOpen, _maxOpen;

        public Bounds(double min, bool minOpen, double max, bool maxOpen) => (_min, _minOpen, _max, _maxOpen) = (min, minOpen, max, maxOpen);

        public static Bounds Above(double min, bool open = false) => new(min, open, double.PositiveInfinity, false);

        public static Bounds Below(double max, bool open = false) => new(double.NegativeInfinity, false, max, open);

        private bool BelowMin(double value) => _minOpen ? value <= _min : value < _min;

        private bool AboveMax(double value) => _maxOpen ? value >= _max : value > _max;

        /// <summary>Whether the value is in range (NaN never is); finiteness is checked separately.</summary>
        public bool Contains(double value) => !double.IsNaN(value) && !BelowMin(value) && !AboveMax(value);

        public double? Nearest(double value) =>
            double.IsNaN(value) ? null
            : BelowMin(value) ? (double.IsInfinity(_min) ? null : _minOpen ? _min + OpenBoundStep : _min)
            : AboveMax(value) ? (double.IsInfinity(_max) ? null : _maxOpen ? _max - OpenBoundStep : _max)
            : null;
    }
}
