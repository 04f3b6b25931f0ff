using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace LossDsl.Fused;

/// <summary>
/// One stretch of cells a generated kernel works on, in scratch memory of the element type it computes in
/// (<typeparamref name="T"/>: float for float32 logits, double for float64): a piece of a row (<c>X</c>, <c>Y</c>,
/// <c>W</c>) and, when the kernel visits pairs, the mirrored cells <c>(j, i)</c> aligned with them (<c>XT</c>, <c>YT</c>,
/// <c>WT</c>). <see cref="Length"/> is a multiple of one Vector512's lanes (16 floats, 8 doubles); cells past the real
/// ones have weight 0. Sums and coefficients are float64 whatever <typeparamref name="T"/> is.
/// </summary>
/// <remarks>Generated kernels read and write it; not meant for use in hand-written code.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct FusedSegment<T>
{
    /// <summary>Cells to visit, a multiple of the vector's lanes.</summary>
    public int Length;
    /// <summary>Logits, targets and validity of the cells (the upper cells <c>(i, j)</c>, <c>j &gt; i</c>, when visiting pairs).</summary>
    public Span<T> X, Y, W;
    /// <summary>
    /// The mirrored cells <c>(j, i)</c>: logits (pairs only), targets and validity (pairs, and cells visited with their
    /// mirrors' targets).
    /// </summary>
    public Span<T> XT, YT, WT;
    /// <summary>Out: the gradient at the cells, and at the mirrored cells when visiting pairs.</summary>
    public Span<T> G, GT;
    /// <summary>
    /// This work item's sums, lane by lane: values of the terms (second pass) or a region term's confusion sums (first
    /// pass). A kernel adds its lanes widened (<see cref="FusedMath.Wide{T}"/>); the lanes are added up once per work
    /// item, not once per row piece (a horizontal sum is ~25 instructions, a tile row's loop ~4 vectors).
    /// </summary>
    public Span<Vector512<double>> Sums;
    /// <summary>The region terms' gradient coefficients for this sample (see <see cref="IFusedKernel.Coefficients"/>).</summary>
    public ReadOnlySpan<double> Coefficients;
    /// <summary>What an elementwise term's sum is multiplied by: <c>1/Σw</c> (Mean) or 1 (Sum).</summary>
    public double ElementwiseScale;
    /// <summary>What the consistency penalty's sum is multiplied by (before its weight): <c>1/Σ V·Vᵀ</c> (Mean) or 1 (Sum).</summary>
    public double ConsistencyScale;
}

/// <summary>
/// A loss's fused kernel, written by the generator for one class: the class's constants (region, layout, counts) and
/// its loop bodies. Through <see cref="FusedLoss"/>, the runtime walks the data in tiles, over threads, and calls these on each stretch.
/// </summary>
/// <remarks>Implemented by generated code only; not meant for use in hand-written code.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IFusedKernel
{
    /// <summary>How the runtime walks the cells: one by one, one by one with their mirrors' targets, or as pairs.</summary>
    static abstract FusedWalk Walk { get; }
    /// <summary>The cells the terms cover.</summary>
    static abstract Region Region { get; }
    /// <summary><c>max(1, k)</c> of the transpose-consistency pairs <c>j − i ≥ max(1, k)</c>; 0 without the penalty.</summary>
    static abstract int ConsistencySeparation { get; }
    /// <summary>Whether the kernel reads the targets of mirrored cells.</summary>
    static abstract bool ReadsMirroredTargets { get; }
    /// <summary>How many sums <see cref="Cells"/> and <see cref="Pairs"/> add to (one per elementwise term, one for the penalty).</summary>
    static abstract int ValueCount { get; }
    /// <summary>How many confusion sums per sample the region terms need (0 without region terms).</summary>
    static abstract int RegionSumCount { get; }
    /// <summary>How many gradient coefficients per sample <see cref="Coefficients"/> writes.</summary>
    static abstract int CoefficientCount { get; }
    /// <summary><c>[Reduction(LossReduction.Sum)]</c>.</summary>
    static abstract bool SumReduction { get; }

    /// <summary>
    /// Values, and gradients if <typeparamref name="TGradient"/> wants them, of cells visited one by one (also the diagonal
    /// when visiting pairs); <typeparamref name="TWeights"/> tells whether every weight is 1.
    /// </summary>
    static abstract void Cells<T, TGradient, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TGradient : IGradientChoice where TWeights : IWeightChoice;

    /// <summary>
    /// <see cref="FusedWalk.MirroredTargets"/>: values, and gradients if <typeparamref name="TGradient"/> wants them, of upper
    /// cells <c>(i, j)</c>, <c>j &gt; i</c>, each with its mirror's target and validity in <c>YT</c>, <c>WT</c>.
    /// </summary>
    static virtual void UpperCells<T, TGradient, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TGradient : IGradientChoice where TWeights : IWeightChoice =>
        throw new InvalidOperationException("This kernel does not read mirrored targets cell by cell.");

    /// <summary><see cref="FusedWalk.MirroredTargets"/>: as <see cref="UpperCells"/>, for lower cells <c>(j, i)</c>, <c>j &gt; i</c>.</summary>
    static virtual void LowerCells<T, TGradient, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TGradient : IGradientChoice where TWeights : IWeightChoice =>
        throw new InvalidOperationException("This kernel does not read mirrored targets cell by cell.");

    /// <summary>Values, and gradients if <typeparamref name="TGradient"/> wants them, of pairs of cells.</summary>
    static virtual void Pairs<T, TGradient, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TGradient : IGradientChoice where TWeights : IWeightChoice =>
        throw new InvalidOperationException("This kernel visits cells one by one.");

    /// <summary>First pass of region terms: confusion sums over cells.</summary>
    static virtual void CellSums<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => throw new InvalidOperationException("This kernel has no region term.");

    /// <summary>First pass of region terms: confusion sums over upper cells, with their mirrors' targets (<see cref="FusedWalk.MirroredTargets"/>).</summary>
    static virtual void UpperCellSums<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => throw new InvalidOperationException("This kernel has no region term.");

    /// <summary>First pass of region terms: confusion sums over lower cells, with their mirrors' targets (<see cref="FusedWalk.MirroredTargets"/>).</summary>
    static virtual void LowerCellSums<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => throw new InvalidOperationException("This kernel has no region term.");

    /// <summary>First pass of region terms: confusion sums over pairs.</summary>
    static virtual void PairSums<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => throw new InvalidOperationException("This kernel has no region term.");

    /// <summary>
    /// Region terms between the passes: from each sample's sums (<see cref="RegionSumCount"/> per sample), their
    /// weighted total value, and per sample the coefficients the second pass uses for their gradient.
    /// </summary>
    static virtual double Coefficients(ReadOnlySpan<double> sums, int samples, Span<double> coefficients) => 0;

    /// <summary>The weighted total of the elementwise terms and the penalty from their sums.</summary>
    static abstract double Total(ReadOnlySpan<double> values, double elementwiseScale, double consistencyScale);

    /// <summary>How many values <see cref="TermValues"/> writes: one per term, and one for the penalty if the class has one.</summary>
    static abstract int TermCount { get; }

    /// <summary>
    /// Each term's value (unweighted, both evaluations under <c>[SymmetricTranspose]</c>) and then the penalty's, in the
    /// order of the class's attributes, from the value sums (as for <see cref="Total"/>) and each sample's region sums.
    /// </summary>
    static abstract void TermValues(ReadOnlySpan<double> values, ReadOnlySpan<double> sums, int samples, double elementwiseScale,
        double consistencyScale, Span<double> terms);
}

/// <summary>
/// Whether a kernel's pass stores the gradient: a type argument, so that in the value-only pass the JIT drops the
/// gradient's arithmetic along with its stores.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IGradientChoice
{
    /// <summary>Whether the gradient is stored.</summary>
    static abstract bool Wanted { get; }
}

/// <summary>The pass stores the gradient.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GradientWanted : IGradientChoice
{
    /// <summary>true.</summary>
    public static bool Wanted => true;
}

/// <summary>The pass computes the values alone.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct GradientNotWanted : IGradientChoice
{
    /// <summary>false.</summary>
    public static bool Wanted => false;
}

/// <summary>
/// Whether every weight of a segment is 1 (cells read in place without a mask, all lanes real): a type argument, so that
/// the JIT drops the multiplies by the weights, two or more per cell.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IWeightChoice
{
    /// <summary>Whether every weight is 1 (then <c>W</c> and <c>WT</c> are not read).</summary>
    static abstract bool AllOnes { get; }
}

/// <summary>Every weight of the segment is 1.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct WeightsAllOne : IWeightChoice
{
    /// <summary>true.</summary>
    public static bool AllOnes => true;
}

/// <summary>The weights are in the segment's <c>W</c> and <c>WT</c> (a mask, or padding of weight 0).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct WeightsGiven : IWeightChoice
{
    /// <summary>false.</summary>
    public static bool AllOnes => false;
}
