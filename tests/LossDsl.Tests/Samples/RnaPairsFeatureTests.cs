using System;
using System.Linq;
using RnaPairs;
using Xunit;

namespace LossDsl.Tests.Samples;

/// <summary>The RnaPairs input from sequence alone (one-hot pairs and "can pair") and the crops of long sequences.</summary>
public class RnaPairsFeatureTests
{
    [Fact]
    public void PairFeaturesAreOneHotPairsAndCanPairIsTheirCanonicalShare()
    {
        const string sequence = "GAUCN";
        var features = PairFeatures.Build(sequence);
        int n = sequence.Length;
        float At(int channel, int i, int j) => features[(channel * n + i) * n + j];
        Assert.Equal(PairFeatures.Channels * n * n, features.Length);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(1f, Enumerable.Range(0, 16).Sum(c => At(c, i, j)), 5);
                if (i < 4 && j < 4)
                {
                    int hot = 4 * Bases.Four.IndexOf(sequence[i]) + Bases.Four.IndexOf(sequence[j]);
                    Assert.Equal(1f, At(hot, i, j));
                    Assert.Equal(Bases.CanPair(sequence[i], sequence[j]) ? 1f : 0f, At(PairFeatures.CanPair, i, j));
                }
            }
        Assert.Equal(1f, At(PairFeatures.CanPair, 0, 3)); // G–C
        Assert.Equal(1f, At(PairFeatures.CanPair, 0, 2)); // G–U
        Assert.Equal(0f, At(PairFeatures.CanPair, 1, 3)); // A–C
        Assert.Equal(6f / 16, At(PairFeatures.CanPair, 4, 4), 5); // N–N: 6 of the 16 base pairs can pair
        Assert.Equal(2f / 4, At(PairFeatures.CanPair, 0, 4), 5); // G–N: C or U
        var crop = PairFeatures.Build(sequence, new[] { 0, 3 });
        Assert.Equal(At(PairFeatures.CanPair, 0, 3), crop[(PairFeatures.CanPair * 2 + 0) * 2 + 1]);
    }

    [Fact]
    public void CoverCropsHoldEveryPairWithinTheBoundAndStaySymmetric()
    {
        var structure = Nested(301);
        const int bound = 64;
        var crops = Crops.Cover(structure.Length, bound);
        var covered = new bool[structure.Length, structure.Length];
        foreach (var crop in crops)
        {
            Assert.InRange(crop.Length, 2, bound);
            Assert.Equal(crop.OrderBy(i => i).Distinct(), crop);
            foreach (var i in crop) foreach (var j in crop) covered[i, j] = true;
            CheckCropMap(structure, crop);
        }
        Assert.All(Enumerable.Range(0, structure.Length), i => Assert.All(Enumerable.Range(0, structure.Length), j => Assert.True(covered[i, j], $"({i}, {j})")));
        Assert.Equal(Enumerable.Range(0, 50), Assert.Single(Crops.Cover(50, bound)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Crops.Cover(10, 63));
    }

    [Fact]
    public void RandomCropsStayWithinTheBoundAndKeepLongRangePairs()
    {
        var structure = Nested(500);
        var random = new Random(1);
        int longRange = 0;
        for (int k = 0; k < 200; k++)
        {
            var crop = Crops.Random(structure.Length, 128, random);
            Assert.Equal(128, crop.Length);
            Assert.Equal(crop.OrderBy(i => i).Distinct(), crop);
            var map = CheckCropMap(structure, crop);
            for (int a = 0; a < crop.Length; a++)
                for (int b = 0; b < crop.Length; b++)
                    if (map[a * crop.Length + b] == 1 && Math.Abs(crop[a] - crop[b]) > 128) longRange++;
        }
        Assert.True(longRange > 0, "two-window crops keep pairs further apart than the bound");
        Assert.Equal(Enumerable.Range(0, 90), Crops.Random(90, 128, random));
    }

    /// <summary>The crop's map: symmetric, at most one pair per row, and equal to the full map at the crop's indices.</summary>
    private static float[] CheckCropMap(RnaStructure structure, int[] crop)
    {
        var map = Crops.Map(structure, crop);
        PairMaps.Check(map, crop.Length, "crop");
        var full = structure.Map();
        for (int a = 0; a < crop.Length; a++)
            for (int b = 0; b < crop.Length; b++)
                Assert.Equal(full[crop[a] * structure.Length + crop[b]], map[a * crop.Length + b]);
        return map;
    }

    /// <summary>A sequence of <paramref name="length"/> bases whose first and last thirds pair all the way in (long-range pairs).</summary>
    private static RnaStructure Nested(int length)
    {
        int third = length / 3;
        return new RnaStructure(new string('G', length), Enumerable.Range(0, third).Select(i => (i, length - 1 - i)));
    }
}
