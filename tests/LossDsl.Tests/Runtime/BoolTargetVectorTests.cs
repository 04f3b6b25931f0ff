using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// Every reference case whose target is 0/1, with the target given as <c>bool</c> (a segmentation mask as users hold it):
/// the oracle's value and gradient at the tolerance of docs/attributes.md, "Accuracy", through the fused kernel (contiguous) and the composed path
/// (a strided view).
/// </summary>
public class BoolTargetVectorTests
{
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var c in ReferenceVectors.Cases.Where(c => c.Target.All(t => t is 0 or 1)))
            foreach (var contiguous in new[] { true, false })
                data.Add(c.Name, contiguous);
        return data;
    }

    [Fact]
    public void MostCasesHaveHardTargets() => Assert.True(Cases().Count() >= 2 * 40, $"{Cases().Count() / 2} cases with 0/1 targets");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesOracleWithABoolTarget(string name, bool contiguous)
    {
        var c = ReferenceVectors.Case(name);
        VectorTests.Check(c, c.Dtype == "float32" ? ScalarType.Float32 : ScalarType.Float64, contiguous, boolTarget: true);
    }
}
