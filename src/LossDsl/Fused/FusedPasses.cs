using System.Numerics;

namespace LossDsl.Fused;

/// <summary>
/// What one pass over the cells does with each loaded segment, and whether it writes the gradient. Passes are structs
/// so that the walks are compiled once per pass and these calls fold away.
/// </summary>
internal interface IFusedPass
{
    /// <summary>Whether the pass writes the gradient tensor (stores the kernel's <c>G</c>/<c>GT</c>, clears the cells no term reaches).</summary>
    static abstract bool WritesGradient { get; }
    /// <summary>Whether this is a call's first pass over the cells, which checks uint8 and int8 target bytes row by row as it reads them (<see cref="FusedInput{T, TY}.CheckRow"/>).</summary>
    static abstract bool ChecksTargetBytes { get; }
    static abstract void Cells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice;
    static abstract void Pairs<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice;
    static abstract void UpperCells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice;
    static abstract void LowerCells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice;
}

/// <summary>The first pass of region terms: each work item's confusion sums.</summary>
internal readonly struct RegionSumsPass<TKernel> : IFusedPass where TKernel : IFusedKernel
{
    public static bool WritesGradient => false;
    public static bool ChecksTargetBytes => true;
    public static void Cells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.CellSums(ref s);
    public static void Pairs<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.PairSums(ref s);
    public static void UpperCells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.UpperCellSums(ref s);
    public static void LowerCells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.LowerCellSums(ref s);
}

/// <summary>The values of the terms and the gradient with respect to the logits.</summary>
internal readonly struct GradientPass<TKernel> : IFusedPass where TKernel : IFusedKernel
{
    public static bool WritesGradient => true;
    public static bool ChecksTargetBytes => TKernel.RegionSumCount == 0;
    public static void Cells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.Cells<T, GradientWanted, TWeights>(ref s);
    public static void Pairs<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.Pairs<T, GradientWanted, TWeights>(ref s);
    public static void UpperCells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.UpperCells<T, GradientWanted, TWeights>(ref s);
    public static void LowerCells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.LowerCells<T, GradientWanted, TWeights>(ref s);
}

/// <summary>The values of the terms alone, when no gradient is wanted: the kernel neither computes nor stores one.</summary>
internal readonly struct ValuePass<TKernel> : IFusedPass where TKernel : IFusedKernel
{
    public static bool WritesGradient => false;
    public static bool ChecksTargetBytes => TKernel.RegionSumCount == 0;
    public static void Cells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.Cells<T, GradientNotWanted, TWeights>(ref s);
    public static void Pairs<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.Pairs<T, GradientNotWanted, TWeights>(ref s);
    public static void UpperCells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.UpperCells<T, GradientNotWanted, TWeights>(ref s);
    public static void LowerCells<T, TWeights>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> where TWeights : IWeightChoice => TKernel.LowerCells<T, GradientNotWanted, TWeights>(ref s);
}
