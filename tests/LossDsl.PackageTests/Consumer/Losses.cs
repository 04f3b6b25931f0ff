// Four loss classes, three of them named ContactLoss: the generated files must not collide.

#pragma warning disable CA1050 // Declare types in namespaces: the global namespace is what this one tests.
[LossDsl.Dice]
[LossDsl.Symmetrize]
[LossDsl.MinSeparation(3)]
internal sealed partial class GlobalLoss { }
#pragma warning restore CA1050

namespace Consumer.Proteins
{
    using LossDsl;

    [Focal(Gamma = 2, Alpha = 0.25)]
    [SymmetricTranspose]
    [MaskLower]
    [MinSeparation(3)]
    internal sealed partial class ContactLoss { }
}

namespace Consumer.Rna
{
    using LossDsl;

    [BinaryCrossEntropy(PosWeight = 3, Weight = 0.5)]
    [Focal(Gamma = 2)]
    [TransposeConsistency(Penalty = SymmetryPenalty.Huber, Weight = 0.1)]
    internal sealed partial class ContactLoss { }

    internal static partial class Outer
    {
        [Tversky(Alpha = 0.3, Beta = 0.7)]
        [MaskUpper(IncludeDiagonal = false)]
        [Reduction(LossReduction.Sum)]
        internal sealed partial class ContactLoss { }
    }
}
