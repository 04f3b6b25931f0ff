using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using LossDsl.Generators.Terms;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// Every term of <see cref="TermCatalog"/> is generated, compiled and run under every walk of the fused kernel, on both
/// paths: a descriptor naming a <c>LossOps</c> or <c>FusedMath</c> method that does not exist fails to compile here, and
/// one computing something else than its composed twin fails the comparison.
/// </summary>
public class CatalogTests
{
    /// <summary>The walks (docs/attributes.md, "Which option"): cells, mirrored targets, and pairs from either attribute.</summary>
    public static readonly IReadOnlyDictionary<string, string> Walks = new Dictionary<string, string>
    {
        ["Cells"] = "",
        ["Mirrored"] = "[SymmetricTranspose][MaskLower]",
        ["PairsSymmetrize"] = "[Symmetrize]",
        ["PairsPenalty"] = "[TransposeConsistency][MaskUpper(IncludeDiagonal = false)]",
    };

    private static string ClassName(string term, string walk) => $"{term}Under{walk}";

    /// <summary>One assembly with a class per term and walk, each term at its defaults.</summary>
    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Load(
        "using LossDsl;\nnamespace Catalog;\n" + string.Concat(
            from term in TermCatalog.All
            from walk in Walks
            select $"[{term.AttributeName}]{walk.Value}\npublic partial class {ClassName(term.AttributeName, walk.Key)} {{ }}\n")));

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var term in TermCatalog.All)
            foreach (var walk in Walks.Keys)
                foreach (var binary in new[] { true, false })
                    data.Add(term.AttributeName, walk, binary);
        return data;
    }

    /// <summary>Binary targets reach a term's binary-target form where it has one (<see cref="IBinaryTargetForm"/>), soft ones its general form.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryTermRunsUnderEveryWalkOnBothPathsAlike(string term, string walk, bool binaryTargets)
    {
        using var scope = NewDisposeScope();
        var g = new Generator(seed: 23);
        var x = randn(new long[] { 2, 12, 12 }, ScalarType.Float64, generator: g) * 3;
        var ones = (rand(new long[] { 2, 12, 12 }, ScalarType.Float64, generator: g) < 0.2).to(ScalarType.Float64);
        var y = binaryTargets ? ones : ones * 0.9 + 0.05;
        var mask = LossMasks.FromLengths(tensor(new long[] { 12, 9 }), 12);

        var (fusedLoss, fusedGrad) = Run(term, walk, x, y, mask, fused: true);
        var (composedLoss, composedGrad) = Run(term, walk, x, y, mask, fused: false);

        Assert.True(double.IsFinite(fusedLoss) && fusedLoss > 0, $"{term} under {walk}: loss {fusedLoss}");
        Assert.Equal(composedLoss, fusedLoss, 1e-9 * Math.Max(1, Math.Abs(composedLoss)));
        var scale = composedGrad.Max(Math.Abs);
        Assert.True(scale > 0, $"{term} under {walk}: no gradient");
        for (int k = 0; k < composedGrad.Length; k++)
            Assert.True(Math.Abs(fusedGrad[k] - composedGrad[k]) <= 1e-9 * scale, $"{term} under {walk}: grad[{k}] fused {fusedGrad[k]:R}, composed {composedGrad[k]:R}");
    }

    private static (double Loss, double[] Grad) Run(string term, string walk, Tensor x, Tensor y, Tensor mask, bool fused)
    {
        using var loss = GeneratorHarness.Create(s_assembly.Value, "Catalog." + ClassName(term, walk));
        loss.UseFusedKernel = fused;
        var fusable = TermCatalog.Find(term)!.Shape != TermShape.ComposedOnly;
        Assert.Equal(fusable, GeneratorHarness.HasFusedKernel(loss));
        var leaf = x.clone().requires_grad_(true);
        var runs = Fused.FusedLoss.RunsOnThisThread;
        var value = loss.call(leaf, y, mask);
        Assert.Equal(fused && fusable ? runs + 1 : runs, Fused.FusedLoss.RunsOnThisThread);
        value.backward();
        return (value.item<double>(), leaf.grad!.data<double>().ToArray());
    }
}
