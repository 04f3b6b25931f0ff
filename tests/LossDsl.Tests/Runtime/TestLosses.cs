using LossDsl;

// Loss classes compiled by the generator as an analyzer of this test project, exactly as a user's are.
namespace LossDsl.Tests.Losses
{
    /// <summary>The seed's loss.</summary>
    [Focal(Gamma = 2)]
    [SymmetricTranspose]
    [MaskLower]
    public partial class ContactLoss { }

    [Focal]
    public partial class PlainFocal { }

    [Focal(Gamma = 0.5, Weight = 2)]
    [BinaryCrossEntropy(PosWeight = 19, LabelSmoothing = 0.1)]
    [Dice(Weight = 0.5)]
    [Tversky(Alpha = 0.3, Beta = 0.7, Gamma = 0.75)]
    [MaskUpper(IncludeDiagonal = false)]
    [MinSeparation(2)]
    [TransposeConsistency(Penalty = SymmetryPenalty.L1, Weight = 0.25)]
    public partial class Everything { }

    [Focal(Gamma = 2)]
    [Symmetrize]
    public partial class SymmetrizedFocal { }

    /// <summary>The fusable terms added through descriptors.</summary>
    [Jaccard(Smooth = 0)]
    [MatthewsCorrelation]
    [SymmetricTranspose]
    [MaskLower]
    public partial class IouAndMcc { }

    /// <summary>A term that sorts: composed only.</summary>
    [LovaszHinge]
    [Focal]
    [MaskLower]
    public partial class LovaszAndFocal { }

#pragma warning disable LD0011 // on purpose: the penalty after [Symmetrize] is identically 0
    [Focal]
    [Symmetrize]
    [TransposeConsistency(Penalty = SymmetryPenalty.Mse, Weight = 0.5)]
    public partial class SymmetrizedWithPenalty { }
#pragma warning restore LD0011

    /// <summary>A narrowed region on the cell walk: the fused kernel reads no logit of the upper half.</summary>
    [Focal]
    [MaskLower]
    public partial class LowerFocal { }

    /// <summary>A penalty on the logits themselves, beside a region term.</summary>
    [Dice]
    [MaskLower(IncludeDiagonal = false)]
    [TransposeConsistency(Space = ConsistencySpace.Logits, Penalty = SymmetryPenalty.Mse)]
    public partial class LogitPenaltyDice { }

    internal static partial class Outer
    {
        [Dice]
        [Reduction(LossReduction.Sum)]
        internal partial class NestedDice { }
    }

    /// <summary>The losses above by class name, for tests that take the name as data.</summary>
    internal static class TestLoss
    {
        public static LossModule Named(string name, bool fused = true)
        {
            LossModule loss = name switch
            {
                nameof(ContactLoss) => new ContactLoss(),
                nameof(PlainFocal) => new PlainFocal(),
                nameof(Everything) => new Everything(),
                nameof(SymmetrizedFocal) => new SymmetrizedFocal(),
                nameof(IouAndMcc) => new IouAndMcc(),
                nameof(LovaszAndFocal) => new LovaszAndFocal(),
                nameof(SymmetrizedWithPenalty) => new SymmetrizedWithPenalty(),
                nameof(LowerFocal) => new LowerFocal(),
                nameof(LogitPenaltyDice) => new LogitPenaltyDice(),
                nameof(Outer.NestedDice) => new Outer.NestedDice(),
                _ => throw new System.ArgumentException("no test loss named " + name, nameof(name)),
            };
            loss.UseFusedKernel = fused;
            return loss;
        }
    }
}
