using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>The evaluation metrics against small examples computed by hand (the arithmetic is in the comments).</summary>
public class MetricsTests
{
    private static Tensor Map(long rows, long columns, double[] values) => tensor(values).reshape(rows, columns);

    // Eight cells as a (2, 4) map. At threshold 0.5:
    //   p  0.9 0.8 0.7 0.3 | 0.2 0.6 0.1 0.4
    //   y  1   1   1   1   | 0   0   0   1
    //      TP  TP  TP  FN  | TN  FP  TN  FN   → TP 3, FP 1, FN 2, TN 2
    private static readonly double[] P8 = { 0.9, 0.8, 0.7, 0.3, 0.2, 0.6, 0.1, 0.4 };
    private static readonly double[] Y8 = { 1, 1, 1, 1, 0, 0, 0, 1 };

    [Fact]
    public void ConfusionScoresMatchTheHandCount()
    {
        using var p = Map(2, 4, P8);
        using var y = Map(2, 4, Y8);
        Assert.Equal(new ConfusionCounts(3, 1, 2, 2), Metrics.Confusion(p, y));
        Assert.Equal(3.0 / 4, Metrics.Precision(p, y), 12);
        Assert.Equal(3.0 / 5, Metrics.Recall(p, y), 12);
        Assert.Equal(6.0 / 9, Metrics.F1(p, y), 12);
        // MCC = (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (6 − 2) / √(4·5·3·4) = 4/√240
        Assert.Equal(4 / Math.Sqrt(240), Metrics.Mcc(p, y), 12);
        // A threshold of 0.75 keeps 0.9 and 0.8: TP 2, FP 0, FN 3, TN 3 → MCC = 6 / √(2·5·3·6) = 6/√180.
        Assert.Equal(6 / Math.Sqrt(180), Metrics.Mcc(p, y, threshold: 0.75), 12);
    }

    [Fact]
    public void ConfusionLeavesOutMaskedCells()
    {
        using var p = Map(2, 4, P8);
        using var y = Map(2, 4, Y8);
        // Leaving out the last cell (a false negative): TP 3, FP 1, FN 1, TN 2 → MCC = (6 − 1)/√(4·4·3·3) = 5/12.
        using var mask = Map(2, 4, new double[] { 1, 1, 1, 1, 1, 1, 1, 0 });
        Assert.Equal(new ConfusionCounts(3, 1, 1, 2), Metrics.Confusion(p, y, mask));
        Assert.Equal(5.0 / 12, Metrics.Mcc(p, y, mask), 12);
        Assert.Equal(6.0 / 8, Metrics.F1(p, y, mask), 12);
        // The same mask as bool; and a broadcast (1, 4) mask that drops column 3, which holds both FNs.
        using var boolMask = mask.to(ScalarType.Bool);
        Assert.Equal(5.0 / 12, Metrics.Mcc(p, y, boolMask), 12);
        using var rowMask = tensor(new[] { true, true, true, false }).reshape(1, 4);
        Assert.Equal(new ConfusionCounts(3, 1, 0, 2), Metrics.Confusion(p, y, rowMask));
    }

    [Fact]
    public void ScoresAreZeroWhereTheirFormulaDividesByZero()
    {
        using var p = zeros(3, 3, ScalarType.Float64);
        using var y = zeros(3, 3, ScalarType.Float64);
        Assert.Equal(0, Metrics.Precision(p, y));
        Assert.Equal(0, Metrics.Recall(p, y));
        Assert.Equal(0, Metrics.F1(p, y));
        Assert.Equal(0, Metrics.Mcc(p, y));
        Assert.Equal(0, Metrics.AveragePrecision(p, y));
        using var perfect = eye(3, dtype: ScalarType.Float64);
        Assert.Equal(1, Metrics.Mcc(perfect, perfect), 12);
        Assert.Equal(-1, Metrics.Mcc(1 - perfect, perfect), 12);
    }

    [Fact]
    public void AveragePrecisionTakesTiedCellsTogether()
    {
        // Scores 0.9 | 0.8 0.8 0.8 | 0.3 0.3 with labels 1 | 0 1 1 | 0 1; 4 positives.
        //   p ≥ 0.9: TP 1 of 1 → P 1,   R 1/4
        //   p ≥ 0.8: TP 3 of 4 → P 3/4, R 3/4
        //   p ≥ 0.3: TP 4 of 6 → P 2/3, R 1
        // AP = 1/4·1 + 2/4·3/4 + 1/4·2/3 = 19/24, whatever the order of the tied cells.
        double[] scores = { 0.9, 0.8, 0.8, 0.8, 0.3, 0.3 };
        double[] labels = { 1, 0, 1, 1, 0, 1 };
        using var p = Map(2, 3, scores);
        using var y = Map(2, 3, labels);
        Assert.Equal(19.0 / 24, Metrics.AveragePrecision(p, y), 12);

        int[] shuffle = { 5, 2, 0, 4, 1, 3 };
        using var p2 = Map(3, 2, shuffle.Select(k => scores[k]).ToArray());
        using var y2 = Map(3, 2, shuffle.Select(k => labels[k]).ToArray());
        Assert.Equal(19.0 / 24, Metrics.AveragePrecision(p2, y2), 12);

        // Leaving out the negative at 0.8: p ≥ 0.9: 1/1, R 1/4; p ≥ 0.8: 3/3, R 3/4; p ≥ 0.3: 4/5, R 1
        // → AP = 1/4 + 2/4 + 1/4·4/5 = 19/20.
        using var mask = Map(2, 3, new double[] { 1, 0, 1, 1, 1, 1 });
        Assert.Equal(19.0 / 20, Metrics.AveragePrecision(p, y, mask), 12);
    }

    [Fact]
    public void AveragePrecisionIsOneForAPerfectRankingAndTheRateForAConstantOne()
    {
        using var y = Map(2, 3, new double[] { 1, 0, 0, 1, 0, 0 });
        using var ranked = Map(2, 3, new double[] { 0.9, 0.2, 0.1, 0.8, 0.3, 0.05 });
        Assert.Equal(1, Metrics.AveragePrecision(ranked, y), 12);
        using var constant = full(2, 3, 0.5, ScalarType.Float64);
        Assert.Equal(2.0 / 6, Metrics.AveragePrecision(constant, y), 12);
    }

    [Fact]
    public void SeparationRangesAreHalfOpen()
    {
        Assert.True(SeparationRange.Short.Contains(6));
        Assert.True(SeparationRange.Short.Contains(11));
        Assert.False(SeparationRange.Short.Contains(12));
        Assert.False(SeparationRange.Short.Contains(5));
        Assert.True(SeparationRange.Medium.Contains(12));
        Assert.True(SeparationRange.Medium.Contains(23));
        Assert.False(SeparationRange.Medium.Contains(24));
        Assert.True(SeparationRange.Long.Contains(24));
        Assert.True(SeparationRange.Long.Contains(1000));
        Assert.False(SeparationRange.Long.Contains(23));
        Assert.Equal("[6, 12)", SeparationRange.Short.ToString());
        Assert.Equal("[24, ∞)", SeparationRange.Long.ToString());
    }

    /// <summary>
    /// A 6 × 6 map scored with pairs <c>j − i ≥ 2</c> (10 candidates in the upper triangle), and the same map cut to
    /// length 4 by a mask.
    /// </summary>
    private static (Tensor P, Tensor Y) SixBySix()
    {
        var p = full(6, 6, 0.1, ScalarType.Float64);
        var y = zeros(6, 6, ScalarType.Float64);
        void Set(int i, int j, double probability, double target) { p[i, j] = probability; y[i, j] = target; }
        Set(0, 2, 0.9, 1);
        Set(0, 4, 0.8, 0);
        Set(1, 3, 0.7, 1);
        Set(2, 5, 0.6, 1);
        Set(0, 3, 0.2, 0);
        Set(0, 1, 0.95, 1);  // j − i = 1: outside the range
        Set(4, 0, 0.99, 1);  // lower triangle: never a candidate
        Set(3, 5, 0.1, 1);   // a contact at the level of the ties, after them in row-major order
        return (p, y);
    }

    [Fact]
    public void TopLPrecisionRanksTheUpperTriangleInTheRange()
    {
        var (p, y) = SixBySix();
        using var _p = p;
        using var _y = y;
        var range = new SeparationRange(2);
        // L = 6. L/2 → k = 3: 0.9 (hit), 0.8 (miss), 0.7 (hit) → 2/3.
        Assert.Equal(2.0 / 3, Metrics.TopLPrecision(p, y, range, 2), 12);
        // L/5 → k = max(1, ⌊6/5⌋) = 1: 0.9 (hit) → 1.
        Assert.Equal(1.0, Metrics.TopLPrecision(p, y, range, 5), 12);
        // L → k = 6: 0.9, 0.8, 0.7, 0.6, 0.2 and the first 0.1 in row-major order, (0, 5): hits 3 → 1/2.
        // The contact (3, 5), also at 0.1, comes later and is not taken.
        Assert.Equal(0.5, Metrics.TopLPrecision(p, y, range, 1), 12);
        // Only j − i ≥ 3 (6 candidates): 0.8 (0,4) miss, 0.6 (2,5) hit, 0.2 (0,3) miss, then 0.1: (0,5) miss, (1,4) miss,
        // (1,5) miss → 1/6.
        Assert.Equal(1.0 / 6, Metrics.TopLPrecision(p, y, new SeparationRange(3), 1), 12);
        // [2, 3): (0,2) 0.9 hit, (1,3) 0.7 hit, (2,4) 0.1, (3,5) 0.1 hit: 4 candidates, k = min(6, 4) → 3/4.
        Assert.Equal(3.0 / 4, Metrics.TopLPrecision(p, y, new SeparationRange(2, 3), 1), 12);
    }

    [Fact]
    public void TopLPrecisionUsesTheMaskForTheLengthAndTheCandidatesAndAveragesOverMaps()
    {
        var (p, y) = SixBySix();
        using var scope = NewDisposeScope();
        // Map 2 is map 1 cut to length 4 (positions 0–3); its candidates with j − i ≥ 2 are (0,2), (0,3), (1,3),
        // L = 4 gives k = 4 > 3 candidates, so all three are taken: hits (0,2), (1,3) → 2/3.
        var batchP = stack(new[] { p, p });
        var batchY = stack(new[] { y, y });
        var valid = LossMasks.FromLengths(tensor(new long[] { 6, 4 }), 6);
        Assert.Equal(2.0 / 3, Metrics.TopLPrecision(batchP[1..], batchY[1..], new SeparationRange(2), 1, valid[1..]), 12);
        // Averaged over the two maps: (1/2 + 2/3) / 2.
        Assert.Equal((0.5 + 2.0 / 3) / 2, Metrics.TopLPrecision(batchP, batchY, new SeparationRange(2), 1, valid), 12);
        // A float mask says the same, and extra leading dimensions are more maps.
        Assert.Equal((0.5 + 2.0 / 3) / 2, Metrics.TopLPrecision(batchP, batchY, new SeparationRange(2), 1, valid.to(ScalarType.Float32)), 12);
        Assert.Equal((0.5 + 2.0 / 3) / 2, Metrics.TopLPrecision(batchP.unsqueeze(0), batchY.unsqueeze(0), new SeparationRange(2), 1, valid.unsqueeze(0)), 12);
        // A map without candidates is left out; none at all gives 0.
        Assert.Equal(0.5, Metrics.TopLPrecision(batchP, batchY, new SeparationRange(2), 1, LossMasks.FromLengths(tensor(new long[] { 6, 2 }), 6)), 12);
        Assert.Equal(0, Metrics.TopLPrecision(p, y, new SeparationRange(6), 1));
        p.Dispose();
        y.Dispose();
    }

    [Fact]
    public void TopLPrecisionSplitsShortMediumAndLongRange()
    {
        using var scope = NewDisposeScope();
        var p = full(30, 30, 0.1, ScalarType.Float64);
        var y = zeros(30, 30, ScalarType.Float64);
        void Set(int i, int j, double probability, double target) { p[i, j] = probability; y[i, j] = target; }
        Set(0, 7, 0.9, 1);    // short
        Set(0, 12, 0.85, 1);  // medium: 12 is not short
        Set(0, 15, 0.8, 0);   // medium
        Set(0, 27, 0.95, 0);  // long
        Set(2, 28, 0.6, 1);   // long (j − i = 26)
        // k = ⌊30/30⌋ = 1: the best pair of each range.
        Assert.Equal(1, Metrics.TopLPrecision(p, y, SeparationRange.Short, 30), 12);
        Assert.Equal(1, Metrics.TopLPrecision(p, y, SeparationRange.Medium, 30), 12);
        Assert.Equal(0, Metrics.TopLPrecision(p, y, SeparationRange.Long, 30), 12);
        // k = 2: short (0,7) hit + first tie (0,6) miss; medium (0,12) hit + (0,15) miss; long (0,27) miss + (2,28) hit.
        Assert.Equal(0.5, Metrics.TopLPrecision(p, y, SeparationRange.Short, 15), 12);
        Assert.Equal(0.5, Metrics.TopLPrecision(p, y, SeparationRange.Medium, 15), 12);
        Assert.Equal(0.5, Metrics.TopLPrecision(p, y, SeparationRange.Long, 15), 12);
    }

    [Fact]
    public void AsymmetryIsTheMeanGapOverValidPairs()
    {
        // Pairs (0,1): |0.5 − 0.3| = 0.2, (0,2): |0.2 − 0.2| = 0, (1,2): |0.9 − 0.4| = 0.5 → 0.7/3.
        using var p = Map(3, 3, new[] { 0.1, 0.5, 0.2, 0.3, 0.7, 0.9, 0.2, 0.4, 0.0 });
        Assert.Equal(0.7 / 3, Metrics.Asymmetry(p), 12);
        // Length 2 keeps only (0,1).
        using var valid = LossMasks.FromLengths(tensor(new long[] { 2 }), 3);
        Assert.Equal(0.2, Metrics.Asymmetry(p.unsqueeze(0), valid), 12);
        Assert.Equal(0.2, Metrics.Asymmetry(p.unsqueeze(0), valid.to(ScalarType.Float64)), 12);
        // A pair counts only when both of its cells are valid: masking (1, 0) alone drops the pair (0,1).
        using var oneSided = Map(3, 3, new double[] { 1, 1, 1, 0, 1, 1, 1, 1, 1 });
        Assert.Equal(0.5 / 2, Metrics.Asymmetry(p, oneSided), 12);
        using var symmetric = Symmetry.Symmetrize(p);
        Assert.Equal(0, Metrics.Asymmetry(symmetric), 12);
        Assert.Equal(0, Metrics.Asymmetry(zeros(1, 1, ScalarType.Float64)));
    }

    [Fact]
    public void BetterHalfF1IsTheMetricsF1()
    {
        using var scope = NewDisposeScope();
        var generator = new Random(3);
        var p = tensor(Enumerable.Range(0, 2 * 7 * 7).Select(_ => generator.NextDouble()).ToArray()).reshape(2, 7, 7);
        var y = (tensor(Enumerable.Range(0, 2 * 7 * 7).Select(_ => generator.NextDouble()).ToArray()).reshape(2, 7, 7) < 0.2).to(ScalarType.Float64);
        var half = new Region(MapHalf.Upper, IncludeDiagonal: false).ToMask(7, ScalarType.Float64, CPU);
        Assert.Equal(Metrics.F1(p, y, half, 0.7), BetterHalf.F1(p, y, half, 0.7), 12);
        var valid = LossMasks.FromLengths(tensor(new long[] { 7, 5 }), 7);
        var choice = BetterHalf.Choose(p, y, valid, 0.7);
        Assert.Equal(Metrics.F1(p, y, valid.logical_and(half.to(ScalarType.Bool)), 0.7), choice.UpperScore, 12);
    }

    [Fact]
    public void BadInputThrowsNamingTheArgument()
    {
        using var scope = NewDisposeScope();
        var p = rand(2, 4, 4, ScalarType.Float64);
        var y = zeros(2, 4, 4, ScalarType.Float64);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => Metrics.F1(rand(4), zeros(4))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => Metrics.F1(p, zeros(2, 4, 5))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => Metrics.AveragePrecision(p, zeros(4, 4))).ParamName);
        Assert.Equal("validMask", Assert.Throws<ArgumentException>(() => Metrics.Mcc(p, y, ones(3, 4, 4))).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => Metrics.TopLPrecision(rand(4, 5), zeros(4, 5), SeparationRange.Long)).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => Metrics.Asymmetry(rand(2, 4, 5))).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.TopLPrecision(p, y, new SeparationRange(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.TopLPrecision(p, y, new SeparationRange(6, 6)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.TopLPrecision(p, y, SeparationRange.Long, 0));
        Assert.Throws<ArgumentNullException>(() => Metrics.F1(null!, y));
        Assert.Throws<ArgumentNullException>(() => Metrics.AveragePrecision(p, null!));
        Assert.Throws<ArgumentNullException>(() => Metrics.Asymmetry(null!));
    }

    [Fact]
    public void TargetsAndMasksFollowTheLossesRulePerDtype()
    {
        using var scope = NewDisposeScope();
        var p = rand(2, 4, 4, ScalarType.Float64);
        var y = (rand(2, 4, 4) < 0.3).to(ScalarType.Float64);
        var valid = rand(2, 4, 4) < 0.8;
        foreach (var dtype in new[] { ScalarType.Byte, ScalarType.Int8, ScalarType.Int32, ScalarType.Int64 })
        {
            Assert.Equal(Metrics.Mcc(p, y, valid), Metrics.Mcc(p, y.to(dtype), valid.to(dtype)), 12);
            Assert.Equal(BetterHalf.Choose(p, y, valid).UpperScore, BetterHalf.Choose(p, y.to(dtype), valid.to(dtype)).UpperScore, 12);
        }
        var image = (y * 255).to(ScalarType.Byte);
        var ignore = valid.to(ScalarType.Int64) * 2 - 1; // −1 where a cell is to be ignored
        var e = Assert.Throws<ArgumentException>(() => Metrics.F1(p, image));
        Assert.Equal("targets", e.ParamName);
        Assert.Contains("a 0/255 image mask? pass `targets > 0`", e.Message);
        e = Assert.Throws<ArgumentException>(() => Metrics.AveragePrecision(p, y, ignore));
        Assert.Equal("validMask", e.ParamName);
        Assert.Contains("an ignore label? pass `validMask > 0`", e.Message);
        e = Assert.Throws<ArgumentException>(() => BetterHalf.Choose(p, y, -valid.to(ScalarType.Float32)));
        Assert.Contains("a negative weight", e.Message);
        Assert.Contains("an ignore label? pass those cells as 0 in `validMask`",
            Assert.Throws<ArgumentException>(() => BetterHalf.Choose(p, y.to(ScalarType.Int64) - 1)).Message);
    }

    [Fact]
    public void MetricsLeaveNoLiveTensors()
    {
        using var scope = NewDisposeScope();
        var p = rand(3, 30, 30, ScalarType.Float32).requires_grad_(true);
        var y = (rand(3, 30, 30) < 0.1).to(ScalarType.Float32);
        var valid = LossMasks.FromLengths(tensor(new long[] { 30, 20, 25 }), 30);
        DisposeScopeManager.Statistics.Reset();
        for (int k = 0; k < 20; k++)
        {
            Metrics.Confusion(p, y, valid, 0.3);
            Metrics.AveragePrecision(p, y, valid);
            Metrics.TopLPrecision(p, y, SeparationRange.Long, 5, valid);
            Metrics.Asymmetry(p, valid);
            BetterHalf.F1(p, y, valid);
        }
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
