using System;
using System.Linq;
using ApprovalTests;
using ApprovalTests.Namers;
using ApprovalTests.Reporters;
using Xunit;

namespace LossDsl.Tests;

/// <summary>
/// Approved snapshots of the generated source (tests/LossDsl.Tests/Generator/Snapshots/*.approved.cs, kept out of the build).
/// A change to the emitter shows up here as a diff; after reviewing the *.received.cs file, rename it to
/// *.approved.cs. Every snapshot must also compile without warnings.
/// </summary>
[UseReporter(typeof(QuietReporter))]
[UseApprovalSubdirectory("Snapshots")]
public class SnapshotTests
{
    /// <summary>Generates <paramref name="declarations"/>, checks the diagnostics and the compilation, and approves the one generated file.</summary>
    private static void Verify(string declarations, string expectedHintName, params string[] expectedDiagnostics)
    {
        var result = GeneratorHarness.Run("using LossDsl;\n\n" + declarations.Replace("\r\n", "\n"));
        Assert.Equal(expectedDiagnostics, result.GeneratorDiagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        var (hintName, source) = Assert.Single(result.Sources);
        Assert.Equal(expectedHintName, hintName);
        Assert.Empty(GeneratorTestSupport.Warnings(result));
        // Snapshots use '\n' whatever the platform, and the generator itself must not emit '\r'.
        Assert.DoesNotContain("\r", source, StringComparison.Ordinal);
        Approvals.VerifyWithExtension(source, ".cs");
    }

    // The five answers to "my mask is symmetric, how do I use that in the loss".

    [Fact]
    public void Option1_FocalMaskLower() => Verify("""
        [Focal(Gamma = 2)]
        [MaskLower]
        public partial class ContactLoss { }
        """, "ContactLoss.g.cs");

    [Fact]
    public void Option2_FocalSymmetricTranspose() => Verify("""
        [Focal(Gamma = 2)]
        [SymmetricTranspose]
        public partial class ContactLoss { }
        """, "ContactLoss.g.cs", "LD0010");

    [Fact]
    public void Option3_FocalTransposeConsistencyHuber() => Verify("""
        [Focal(Gamma = 2)]
        [TransposeConsistency(Penalty = SymmetryPenalty.Huber)]
        public partial class ContactLoss { }
        """, "ContactLoss.g.cs");

    [Fact]
    public void Option4_FocalSymmetricTransposeMaskLower() => Verify("""
        [Focal(Gamma = 2)]
        [SymmetricTranspose]
        [MaskLower]
        public partial class ContactLoss { }
        """, "ContactLoss.g.cs");

    [Fact]
    public void Option5_FocalSymmetrize() => Verify("""
        [Focal(Gamma = 2)]
        [Symmetrize]
        public partial class ContactLoss { }
        """, "ContactLoss.g.cs");

    [Fact]
    public void ThreeTermsWithSeparationAndSum() => Verify("""
        namespace Proteins.Losses;

        [Focal(Gamma = 0.5, Alpha = -1)]
        [BinaryCrossEntropy(PosWeight = 19, LabelSmoothing = 0.1, Weight = 0.5)]
        [Dice(Batch = true, Weight = 2)]
        [MinSeparation(6)]
        [Reduction(LossReduction.Sum)]
        public partial class ContactLoss { }
        """, "Proteins.Losses.ContactLoss.g.cs");

    [Fact]
    public void TverskyUpperWithoutDiagonalAndLogitPenalty() => Verify("""
        [Tversky(Alpha = 0.3, Beta = 0.7, Gamma = 0.75, Smooth = 0.5)]
        [SymmetricTranspose]
        [MaskUpper(IncludeDiagonal = false)]
        [TransposeConsistency(Penalty = SymmetryPenalty.Mse, Weight = 1, Space = ConsistencySpace.Logits)]
        internal partial class TverskyLoss { }
        """, "TverskyLoss.g.cs");

    [Fact]
    public void NestedInPartialClassesInsideANamespace() => Verify("""
        namespace Company.Models
        {
            public partial class ContactModel
            {
                internal partial class Training
                {
                    [BinaryCrossEntropy(PosWeight = 3)]
                    [MaskLower(IncludeDiagonal = false)]
                    [TransposeConsistency(Penalty = SymmetryPenalty.L1, Weight = 0.05)]
                    private partial class PairLoss { }
                }
            }
        }
        """, "Company.Models.ContactModel+Training+PairLoss.g.cs");

    [Fact]
    public void GlobalNamespace() => Verify("""
        [Dice]
        [Symmetrize]
        [MinSeparation(3)]
        public partial class GlobalDiceLoss { }
        """, "GlobalDiceLoss.g.cs");

    // The terms added through their descriptors, alone and with the usual symmetric-mask answer.

    [Fact]
    public void Jaccard() => Verify("""
        [Jaccard]
        public partial class IouLoss { }
        """, "IouLoss.g.cs");

    [Fact]
    public void JaccardSymmetricTransposeMaskLower() => Verify("""
        [Jaccard(Smooth = 0, Batch = true)]
        [SymmetricTranspose]
        [MaskLower]
        public partial class IouLoss { }
        """, "IouLoss.g.cs");

    [Fact]
    public void MatthewsCorrelation() => Verify("""
        [MatthewsCorrelation]
        public partial class MccLoss { }
        """, "MccLoss.g.cs");

    [Fact]
    public void MatthewsCorrelationSymmetricTransposeMaskLower() => Verify("""
        [MatthewsCorrelation(Smooth = 1e-3, Weight = 0.5)]
        [SymmetricTranspose]
        [MaskLower]
        public partial class MccLoss { }
        """, "MccLoss.g.cs");

    [Fact]
    public void LovaszHinge() => Verify("""
        [LovaszHinge]
        public partial class LovaszLoss { }
        """, "LovaszLoss.g.cs");

    [Fact]
    public void LovaszHingeSymmetricTransposeMaskLower() => Verify("""
        [LovaszHinge(Batch = true)]
        [Focal(Weight = 0.5)]
        [SymmetricTranspose]
        [MaskLower]
        public partial class LovaszLoss { }
        """, "LovaszLoss.g.cs");

    // After [Symmetrize] the penalty is identically 0 (LD0011): the kernel neither computes, counts nor sums it.
    [Fact]
    public void SymmetrizeDropsThePenaltyFromTheKernel() => Verify("""
        [Focal]
        [Symmetrize]
        [TransposeConsistency(Penalty = SymmetryPenalty.Mse)]
        public partial class SymmetrizedLoss { }
        """, "SymmetrizedLoss.g.cs", "LD0011");
}
