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

        private void Report(string id, LocationInfo? location, params string[] arguments)
        {
            Diagnostics.Add(new DiagnosticInfo(id, location ?? _class.Location, arguments.ToEquatableArray()));
            if (DiagnosticDescriptors.ById(id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error) HasErrors = true;
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
                else if (!double.IsNaN(k)) Report(DiagnosticDescriptors.ParameterOutOfRange.Id, separation.Location, "MinSeparation", "Separation", "≥ 1", Show(k));
            }

            ConsistencySpec? consistency = null;
            if (Find("TransposeConsistency") is { } c)
            {
                var delta = Get(c, "Delta", 1);
                if (!(delta > 0) || double.IsInfinity(delta)) Report(DiagnosticDescriptors.ParameterOutOfRange.Id, c.Location, "TransposeConsistency", "Delta", "a finite number > 0", Show(delta));
                var penalty = Get(c, "Penalty", (int)PenaltyKind.Huber);
                if (!Enum.IsDefined(typeof(PenaltyKind), (int)penalty) || penalty != Math.Floor(penalty))
                    Report(DiagnosticDescriptors.ParameterOutOfRange.Id, c.Location, "TransposeConsistency", "Penalty", "SymmetryPenalty.L1, Mse or Huber", Show(penalty));
                var space = Get(c, "Space", 0);
                if (space is not (0 or 1))
                    Report(DiagnosticDescriptors.ParameterOutOfRange.Id, c.Location, "TransposeConsistency", "Space", "ConsistencySpace.Probabilities or Logits", Show(space));
                consistency = new ConsistencySpec((PenaltyKind)(int)penalty, delta, Weight(c, 0.1), InLogits: space == 1);
            }

            bool sum = false;
            if (Find("Reduction") is { } reduction)
            {
                var r = Get(reduction, "#0", 0);
                if (r is not (0 or 1)) Report(DiagnosticDescriptors.ParameterOutOfRange.Id, reduction.Location, "Reduction", "reduction", "LossReduction.Mean or Sum", Show(r));
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
                    Require(a, "Gamma", gamma, gamma >= 0, "a finite number ≥ 0");
                    Require(a, "Alpha", alpha, alpha <= 1, "≤ 1 (negative turns the α weighting off)");
                    return new TermSpec(TermKind.Focal, Weight(a, 1), Gamma: gamma, Alpha: alpha);
                case "BinaryCrossEntropy":
                    var posWeight = Get(a, "PosWeight", 1);
                    var smoothing = Get(a, "LabelSmoothing", 0);
                    Require(a, "PosWeight", posWeight, posWeight > 0, "a finite number > 0");
                    Require(a, "LabelSmoothing", smoothing, smoothing >= 0 && smoothing < 1, "in [0, 1)");
                    return new TermSpec(TermKind.BinaryCrossEntropy, Weight(a, 1), PosWeight: posWeight, LabelSmoothing: smoothing);
                case "Dice":
                    var smooth = Get(a, "Smooth", 1);
                    Require(a, "Smooth", smooth, smooth >= 0, "a finite number ≥ 0");
                    return new TermSpec(TermKind.Dice, Weight(a, 1), Smooth: smooth, Batch: Get(a, "Batch", 0) != 0);
                default:
                    var tAlpha = Get(a, "Alpha", 0.5);
                    var tBeta = Get(a, "Beta", 0.5);
                    var tGamma = Get(a, "Gamma", 1);
                    var tSmooth = Get(a, "Smooth", 1);
                    Require(a, "Alpha", tAlpha, tAlpha >= 0 && tAlpha <= 1, "in [0, 1]");
                    Require(a, "Beta", tBeta, tBeta >= 0 && tBeta <= 1, "in [0, 1]");
                    Require(a, "Gamma", tGamma, tGamma >= 0, "a finite number ≥ 0");
                    Require(a, "Smooth", tSmooth, tSmooth >= 0, "a finite number ≥ 0");
                    return new TermSpec(TermKind.Tversky, Weight(a, 1), Gamma: tGamma, Alpha: tAlpha, Beta: tBeta, Smooth: tSmooth, Batch: Get(a, "Batch", 0) != 0);
            }
        }

        // Every parameter must also be finite: NaN fails every comparison, infinities are rejected here.
        private void Require(AttributeModel a, string parameter, double value, bool ok, string rule)
        {
            if (!ok || double.IsNaN(value) || double.IsInfinity(value))
                Report(DiagnosticDescriptors.ParameterOutOfRange.Id, a.Location, a.Name, parameter, rule, Show(value));
        }

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
}
