using System;
using System.Diagnostics;
using System.Threading;

namespace LossDsl.Fused;

/// <summary>
/// Timestamps of a fused call's steps and of each thread's work items in a ring buffer, for the benchmarks' trace probe
/// (<c>--trace</c>). Recorded only in a build with <c>-p:LossDslTrace=true</c>; elsewhere the calls are compiled away.
/// </summary>
internal static class KernelTrace
{
    public const int Capacity = 1 << 16;

    public const int CallStart = 0, CallEnd = 1, ForwardStart = 2, GradientMade = 3, ComputeStart = 4, ComputeEnd = 5, ForwardEnd = 6,
        BackwardStart = 7, BackwardEnd = 8, SplitStart = 9, SplitEnd = 10, ItemStart = 11, ItemEnd = 12, WorkEnter = 13, WorkLeave = 14,
        ValueMade = 15, GradientReturned = 16;

    /// <summary>The events since <see cref="Clear"/>, the first <see cref="Count"/> of them (fewer than <see cref="Capacity"/> per call).</summary>
    public static readonly (long Ticks, int Thread, int Kind, int Arg)[] Events = new (long, int, int, int)[Capacity];

    private static int s_next = -1;

    public static int Count => Math.Min(s_next + 1, Capacity);

    public static void Clear() => s_next = -1;

    /// <summary>Records <paramref name="kind"/> now, on this thread.</summary>
    [Conditional("LOSSDSL_TRACE")]
    public static void Mark(int kind, int arg = 0)
    {
        int k = Interlocked.Increment(ref s_next) & (Capacity - 1);
        Events[k] = (Stopwatch.GetTimestamp(), Environment.CurrentManagedThreadId, kind, arg);
    }
}
