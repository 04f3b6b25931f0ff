using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LossDsl.Fused;

/// <summary>
/// Runs a generated kernel over contiguous <c>(samples, n, m)</c> logits of element type <typeparamref name="T"/>
/// (float or double) and targets of <typeparamref name="TY"/> (the same, or bytes): the Mean normalizers, then for
/// region terms a first pass for their sums and coefficients, then the pass that computes the values and the gradient (or the values alone). Each pass is one work item per sample and band of
/// <see cref="FusedScratch.Tile"/> rows, spread over threads by <see cref="WorkSplit"/>. Compiled once per kernel, so the
/// kernel's constants fold into the loops. Sums are added per work item in a fixed order: results do not depend on threads.
/// </summary>
/// <remarks>
/// Every loop here is marked <see cref="MethodImplOptions.AggressiveOptimization"/>: with tiered compilation they
/// stayed in unoptimized code for many calls (docs/performance-tunings.md).
/// </remarks>
internal static unsafe class FusedDriver<TKernel, T, TY> where TKernel : IFusedKernel where T : unmanaged, IBinaryFloatingPointIeee754<T> where TY : unmanaged
{
    /// <summary>The loss value; writes the gradient of the loss with respect to the logits into <paramref name="input"/>'s gradient.</summary>
    public static double ValueAndGradient(in FusedInput<T, TY> input, int threads) => Run<GradientPass<TKernel>>(input, threads);

    /// <summary>The loss value alone: <paramref name="input"/>'s gradient is neither written nor read (it may be null).</summary>
    public static double Value(in FusedInput<T, TY> input, int threads) => Run<ValuePass<TKernel>>(input, threads);

    /// <summary>The loss value alone, and each term's value into <paramref name="terms"/> (see <see cref="IFusedKernel.TermValues"/>).</summary>
    public static double Value(in FusedInput<T, TY> input, int threads, Span<double> terms) => Run<ValuePass<TKernel>>(input, threads, terms);

    /// <summary>The normalizers, the region terms' pass if there are any, then <typeparamref name="TPass"/> over every cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Run<TPass>(in FusedInput<T, TY> input, int threads, Span<double> terms = default) where TPass : IFusedPass
    {
        KernelTrace.Mark(KernelTrace.ComputeStart);
        if (input.Samples * input.SampleSize < 16384) threads = 1; // small inputs: threads cost more than they save
        var (elementwiseScale, consistencyScale) = Scales(input, threads);
        var coefficients = new double[input.Samples * TKernel.CoefficientCount];
        var sums = TKernel.RegionSumCount > 0 ? RegionSums(input, threads) : Array.Empty<double>();
        double regionValue = TKernel.RegionSumCount > 0 ? TKernel.Coefficients(sums, input.Samples, coefficients) : 0;
        var values = ValueSums<TPass>(input, threads, coefficients, elementwiseScale, consistencyScale);
        if (!terms.IsEmpty) TKernel.TermValues(values, sums, input.Samples, elementwiseScale, consistencyScale, terms);
        return TKernel.Total(values, elementwiseScale, consistencyScale) + regionValue;
    }

    /// <summary>
    /// What the sums of Mean terms are multiplied by: <c>1/Σw</c> over the region for elementwise terms, <c>1/Σ V·Vᵀ</c>
    /// over the penalty's pairs (0 when empty); 1 for Sum.
    /// </summary>
    private static (double Elementwise, double Consistency) Scales(FusedInput<T, TY> input, int threads)
    {
        double coverage, pairs;
        if (input.Mask.IsPresent)
        {
            var totals = new (double Coverage, double Pairs)[input.Items];
            WorkSplit.ForEach(input.Items, threads, (item, _) =>
            {
                var (sample, a0, rows) = input.Item(item);
                totals[item] = RegionGeometry<TKernel>.MaskTotals(input.Mask, sample, a0, rows, input.M);
            });
            coverage = 0; pairs = 0;
            foreach (var (c, p) in totals) { coverage += c; pairs += p; }
        }
        else
        {
            coverage = (double)input.Samples * RegionGeometry<TKernel>.CoveredCells(input.N, input.M);
            pairs = TKernel.ConsistencySeparation == 0 ? 0 : (double)input.Samples * RegionGeometry<TKernel>.Pairs(input.N, TKernel.ConsistencySeparation);
        }
        if (TKernel.SumReduction) return (1, 1);
        return (coverage > 0 ? 1 / coverage : 0, pairs > 0 ? 1 / pairs : 0);
    }

    /// <summary>The first pass: each sample's confusion sums, from which come the region terms' values and gradient coefficients.</summary>
    private static double[] RegionSums(FusedInput<T, TY> input, int threads)
    {
        int count = TKernel.RegionSumCount, bands = input.Bands;
        var itemSums = new double[input.Items * count];
        WorkSplit.ForEach(input.Items, threads, (item, scratch) => Visit<RegionSumsPass<TKernel>>(input, item, scratch, itemSums.AsSpan(item * count, count), default, 0, 0));
        var sampleSums = new double[input.Samples * count];
        for (int k = 0; k < input.Items; k++)
            for (int c = 0; c < count; c++) sampleSums[k / bands * count + c] += itemSums[k * count + c];
        return sampleSums;
    }

    /// <summary>The pass <typeparamref name="TPass"/> over every cell; the sums of the elementwise terms and the penalty.</summary>
    private static double[] ValueSums<TPass>(FusedInput<T, TY> input, int threads, double[] coefficients, double elementwiseScale, double consistencyScale)
        where TPass : IFusedPass
    {
        int valueCount = TKernel.ValueCount, coefficientCount = TKernel.CoefficientCount;
        var values = new double[Math.Max(1, input.Items * valueCount)];
        WorkSplit.ForEach(input.Items, threads, (item, scratch) =>
            Visit<TPass>(input, item, scratch, values.AsSpan(item * valueCount, valueCount),
                coefficients.AsSpan(input.Item(item).Sample * coefficientCount, coefficientCount), elementwiseScale, consistencyScale));
        var totals = new double[valueCount];
        for (int k = 0; k < input.Items; k++)
            for (int c = 0; c < valueCount; c++) totals[c] += values[k * valueCount + c];
        return totals;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Visit<TPass>(in FusedInput<T, TY> input, int item, FusedScratch threadScratch, Span<double> sums, ReadOnlySpan<double> coefficients,
        double elementwiseScale, double consistencyScale) where TPass : IFusedPass
    {
        var scratch = threadScratch.Of<T>();
        Span<Vector512<double>> lanes = stackalloc Vector512<double>[sums.Length]; // zeroed
        var segment = new FusedSegment<T>
        {
            Sums = lanes,
            Coefficients = coefficients,
            ElementwiseScale = elementwiseScale,
            ConsistencyScale = consistencyScale,
        };
        switch (TKernel.Walk)
        {
            case FusedWalk.Cells: CellWalk<TKernel, T, TY, TPass>.Visit(input, item, scratch, ref segment); break;
            case FusedWalk.MirroredTargets: MirrorWalk<TKernel, T, TY, TPass>.Visit(input, item, scratch, ref segment); break;
            case FusedWalk.Pairs: PairWalk<TKernel, T, TY, TPass>.Visit(input, item, scratch, ref segment); break;
            default: throw new InvalidOperationException($"Unknown walk {TKernel.Walk}.");
        }
        for (int i = 0; i < sums.Length; i++) sums[i] += Vector512.Sum(lanes[i]);
    }
}
