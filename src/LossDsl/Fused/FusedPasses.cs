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
    static abstract void Cells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    static abstract void Pairs<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    static abstract void UpperCells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
    static abstract void LowerCells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T>;
}

/// <summary>The first pass of region terms: each work item's confusion sums.</summary>
internal readonly struct RegionSumsPass<TKernel> : IFusedPass where TKernel : IFusedKernel
{
    public static bool WritesGradient => false;
    public static void Cells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.CellSums(ref s);
    public static void Pairs<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.PairSums(ref s);
    public static void UpperCells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.UpperCellSums(ref s);
    public static void LowerCells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.LowerCellSums(ref s);
}

/// <summary>The values of the terms and the gradient with respect to the logits.</summary>
internal readonly struct GradientPass<TKernel> : IFusedPass where TKernel : IFusedKernel
{
    public static bool WritesGradient => true;
    public static void Cells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.Cells<T, GradientWanted>(ref s);
    public static void Pairs<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.Pairs<T, GradientWanted>(ref s);
    public static void UpperCells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.UpperCells<T, GradientWanted>(ref s);
    public static void LowerCells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.LowerCells<T, GradientWanted>(ref s);
}

/// <summary>The values of the terms alone, when no gradient is wanted: the kernel neither computes nor stores one.</summary>
internal readonly struct ValuePass<TKernel> : IFusedPass where TKernel : IFusedKernel
{
    public static bool WritesGradient => false;
    public static void Cells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.Cells<T, GradientNotWanted>(ref s);
    public static void Pairs<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.Pairs<T, GradientNotWanted>(ref s);
    public static void UpperCells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.UpperCells<T, GradientNotWanted>(ref s);
    public static void LowerCells<T>(ref FusedSegment<T> s) where T : unmanaged, IBinaryFloatingPointIeee754<T> => TKernel.LowerCells<T, GradientNotWanted>(ref s);
}
