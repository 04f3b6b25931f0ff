using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace LossDsl.Fused;

/// <summary>One work item of a pass, on the scratch of the thread that runs it.</summary>
internal delegate void WorkItem(int item, FusedScratch scratch);

/// <summary>
/// Runs a pass's work items on up to a given number of threads. Items are taken from a shared counter, so uneven items
/// (bands of a triangle) balance themselves. The calling thread works from the start and waits only for helpers that
/// are busy with an item. Helpers are <see cref="Helpers"/>' own threads, not the thread pool's: a pool work item can
/// start late by a whole pass's time, a dedicated thread woken by a semaphore starts at once (docs/performance-tunings.md).
/// </summary>
internal sealed class WorkSplit
{
    private readonly int _items;
    private readonly WorkItem _action;
    private int _next = -1;
    private int _busy;
    private Exception? _failure;

    /// <summary>
    /// Whether passes run on libtorch's OpenMP team (<see cref="OpenMpTeam"/>, where found) or on <see cref="Helpers"/>'
    /// threads; settable so tests run both.
    /// </summary>
    internal static bool UseOpenMpTeam { get; set; } = OpenMpTeam.Available;

    private WorkSplit(int items, WorkItem action)
    {
        _items = items;
        _action = action;
    }

    /// <summary>
    /// Runs <paramref name="action"/> for items <c>0 … items − 1</c> and returns once no thread is inside one, also when an
    /// item threw: the items read memory the caller frees next. The first exception is then rethrown as it was.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForEach(int items, int threads, WorkItem action)
    {
        if (threads <= 1 || items == 1)
        {
            var scratch = FusedScratch.ForThisThread;
            for (int k = 0; k < items; k++) action(k, scratch);
            return;
        }
        KernelTrace.Mark(KernelTrace.SplitStart, items);
        var split = new WorkSplit(items, action);
        int count = Math.Min(threads, items);
        if (UseOpenMpTeam && OpenMpTeam.Fits(count)) OpenMpTeam.Run(split, count);
        else
        {
            Helpers.Post(split, count - 1);
            split.Work();
            split.WaitForHelpers();
        }
        KernelTrace.Mark(KernelTrace.SplitEnd, items);
        if (split._failure is { } failure) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Takes items until none is left; an item that throws records the failure and leaves the rest untaken.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Work()
    {
        try
        {
            KernelTrace.Mark(KernelTrace.WorkEnter);
            var scratch = FusedScratch.ForThisThread;
            int k;
            while ((k = Interlocked.Increment(ref _next)) < _items) { KernelTrace.Mark(KernelTrace.ItemStart, k); _action(k, scratch); KernelTrace.Mark(KernelTrace.ItemEnd, k); }
            KernelTrace.Mark(KernelTrace.WorkLeave);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            Interlocked.Exchange(ref _next, _items);
        }
    }

    /// <summary>What a helper thread does with a posted split (also one posted long ago: it then finds no item left).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Help(WorkSplit split)
    {
        // Counted busy before taking an item, so the caller, having taken the last one, sees every helper that got one.
        // A helper that wakes after the caller returned takes no item, so it never touches the caller's memory.
        Interlocked.Increment(ref split._busy);
        try { split.Work(); }
        finally { Interlocked.Decrement(ref split._busy); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WaitForHelpers()
    {
        // Never Sleep(1): a helper's last item ends within microseconds, a sleep costs a millisecond.
        var spin = new SpinWait();
        while (Volatile.Read(ref _busy) > 0) spin.SpinOnce(sleep1Threshold: -1);
    }
}

/// <summary>
/// The fused kernels' helper threads, started on first use, as many as the most ever asked for (one less than
/// <see cref="FusedLoss.MaxThreads"/>), and kept: background threads that sleep on a semaphore between passes.
/// </summary>
internal static class Helpers
{
    private static readonly ConcurrentQueue<WorkSplit> s_posted = new();
    private static readonly SemaphoreSlim s_wake = new(0);
    private static readonly object s_gate = new();
    private static int s_started;

    /// <summary>Asks <paramref name="count"/> helpers to join <paramref name="split"/>; ones busy elsewhere join late or find nothing left.</summary>
    public static void Post(WorkSplit split, int count)
    {
        if (count <= 0) return;
        EnsureStarted(count);
        for (int h = 0; h < count; h++) s_posted.Enqueue(split);
        s_wake.Release(count);
    }

    private static void EnsureStarted(int count)
    {
        if (Volatile.Read(ref s_started) >= count) return;
        lock (s_gate)
            while (s_started < count)
            {
                new Thread(Run) { IsBackground = true, Name = "LossDsl kernel helper " + (s_started + 1) }.Start();
                Volatile.Write(ref s_started, s_started + 1);
            }
    }

    private static void Run()
    {
        while (true)
        {
            s_wake.Wait();
            if (s_posted.TryDequeue(out var split)) WorkSplit.Help(split);
        }
    }
}
