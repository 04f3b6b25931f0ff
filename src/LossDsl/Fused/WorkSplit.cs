using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace LossDsl.Fused;

/// <summary>One work item of a pass, on the scratch of the thread that runs it.</summary>
internal delegate void WorkItem(int item, FusedScratch scratch);

/// <summary>
/// Runs a pass's work items on up to a given number of threads. Items are taken from a shared counter, so uneven items
/// (bands of a triangle) balance themselves. The calling thread works from the start and waits only for helpers that
/// are busy with an item: on this project's VM a pool thread took 0.2–3.4 ms to wake (measured), and Parallel.For
/// waited for it even when the caller had done all the work.
/// </summary>
internal sealed class WorkSplit
{
    private readonly int _items;
    private readonly WorkItem _action;
    private int _next = -1;
    private int _busy;
    private Exception? _failure;

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
        var split = new WorkSplit(items, action);
        for (int h = 1; h < Math.Min(threads, items); h++) ThreadPool.UnsafeQueueUserWorkItem(Help, split, preferLocal: false);
        split.Work();
        split.WaitForHelpers();
        if (split._failure is { } failure) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Takes items until none is left; an item that throws records the failure and leaves the rest untaken.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Work()
    {
        try
        {
            var scratch = FusedScratch.ForThisThread;
            int k;
            while ((k = Interlocked.Increment(ref _next)) < _items) _action(k, scratch);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            Interlocked.Exchange(ref _next, _items);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Help(WorkSplit split)
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
        var spin = new SpinWait();
        while (Volatile.Read(ref _busy) > 0) spin.SpinOnce();
    }
}
