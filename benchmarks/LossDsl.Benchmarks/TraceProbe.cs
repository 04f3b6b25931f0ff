using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using LossDsl.Fused;
using static TorchSharp.torch;

namespace LossDsl.Benchmarks;

/// <summary>
/// <c>--trace LOSS N threads calls [grad|value|evict]</c>: where one call's time goes, from the timestamps of a build with
/// <c>-p:LossDslTrace=true</c> (<see cref="KernelTrace"/>): each step of the call, and for a pass on two threads when
/// each thread took its first item, how many it took and when it finished (µs from the pass's start). <c>evict</c>
/// writes 64 MB between calls, as the yardstick's interleaving does. Medians, 10th and 90th percentiles over the calls.
/// </summary>
internal static class TraceProbe
{
    private static readonly unsafe void* s_evict = System.Runtime.InteropServices.NativeMemory.Alloc(64 << 20);

    /// <summary>The steps of a call, each from one mark to another.</summary>
    private static readonly (string Name, int From, int To)[] Steps =
    {
        ("CallStart→ForwardStart", KernelTrace.CallStart, KernelTrace.ForwardStart),
        ("ForwardStart→GradientMade", KernelTrace.ForwardStart, KernelTrace.GradientMade),
        ("GradientMade→ComputeStart", KernelTrace.GradientMade, KernelTrace.ComputeStart),
        ("Compute", KernelTrace.ComputeStart, KernelTrace.ComputeEnd),
        ("ComputeStart→SplitStart", KernelTrace.ComputeStart, KernelTrace.SplitStart),
        ("Split", KernelTrace.SplitStart, KernelTrace.SplitEnd),
        ("SplitEnd→ComputeEnd", KernelTrace.SplitEnd, KernelTrace.ComputeEnd),
        ("ComputeEnd→ValueMade", KernelTrace.ComputeEnd, KernelTrace.ValueMade),
        ("ValueMade→ForwardEnd", KernelTrace.ValueMade, KernelTrace.ForwardEnd),
        ("ForwardEnd→CallEnd", KernelTrace.ForwardEnd, KernelTrace.CallEnd),
        ("CallEnd→BackwardStart", KernelTrace.CallEnd, KernelTrace.BackwardStart),
        ("Backward", KernelTrace.BackwardStart, KernelTrace.BackwardEnd),
        ("BackwardEnd→grad returned", KernelTrace.BackwardEnd, KernelTrace.GradientReturned),
    };

    public static void Print(string loss, int n, int threads, int calls, string way)
    {
        manual_seed(1);
        var x = randn(8, 1, n, n).requires_grad_(true);
        var y = (rand(8, 1, n, n) < 0.05).to(ScalarType.Float32);
        var module = Losses.Generated(loss);
        FusedLoss.MaxThreads = threads;
        var rows = new List<Dictionary<string, double>>();
        double us(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
        for (int c = -20; c < calls; c++)
        {
            if (way == "evict") unsafe { System.Runtime.CompilerServices.Unsafe.InitBlock(s_evict, (byte)c, 64 << 20); }
            KernelTrace.Clear();
            long t0 = Stopwatch.GetTimestamp();
            using (var scope = NewDisposeScope())
            {
                if (way == "value") { using var g = no_grad(); module.call(x, y).item<float>(); }
                else
                {
                    var v = module.call(x, y);
                    var grad = autograd.grad(new[] { v }, new[] { x })[0];
                    KernelTrace.Mark(KernelTrace.GradientReturned);
                    v.item<float>(); grad[0, 0, 0, 0].item<float>();
                }
            }
            long t1 = Stopwatch.GetTimestamp();
            if (c < 0) continue;
            var ev = KernelTrace.Events.Take(KernelTrace.Count).ToList();
            var row = new Dictionary<string, double> { ["total"] = us(t1 - t0) };
            long At(int kind) => ev.FirstOrDefault(e => e.Kind == kind).Ticks;
            void Span(string name, int from, int to) { var a = At(from); var b = At(to); if (a != 0 && b != 0) row[name] = us(b - a); }
            row["enter→CallStart"] = us(At(KernelTrace.CallStart) - t0);
            foreach (var (name, from, to) in Steps) Span(name, from, to);
            long split = At(KernelTrace.SplitStart);
            if (split != 0)
            {
                int caller = Environment.CurrentManagedThreadId;
                foreach (var (name, isCaller) in new[] { ("caller", true), ("other", false) })
                {
                    var mine = ev.Where(e => (e.Thread == caller) == isCaller && e.Thread != 0).ToList();
                    var firstItem = mine.FirstOrDefault(e => e.Kind == KernelTrace.ItemStart);
                    var lastEnd = mine.LastOrDefault(e => e.Kind == KernelTrace.ItemEnd);
                    row[name + " items"] = mine.Count(e => e.Kind == KernelTrace.ItemStart);
                    if (firstItem.Ticks != 0) row[name + " first item at"] = us(firstItem.Ticks - split);
                    if (lastEnd.Ticks != 0) row[name + " last item end at"] = us(lastEnd.Ticks - split);
                    var items = mine.Where(e => e.Kind is KernelTrace.ItemStart or KernelTrace.ItemEnd).ToList();
                    var durations = new List<double>();
                    for (int i = 0; i + 1 < items.Count; i++) if (items[i].Kind == KernelTrace.ItemStart && items[i + 1].Kind == KernelTrace.ItemEnd) durations.Add(us(items[i + 1].Ticks - items[i].Ticks));
                    if (durations.Count > 0) row[name + " item µs (median)"] = Program.Median(durations);
                }
            }
            rows.Add(row);
        }
        Console.WriteLine($"{loss} 8×1×{n}×{n} {way}, kernel threads {threads}, torch threads {get_num_threads()}, {calls} calls, load {System.IO.File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var key in rows.SelectMany(r => r.Keys).Distinct())
        {
            var values = rows.Where(r => r.ContainsKey(key)).Select(r => r[key]).ToList();
            var sorted = values.OrderBy(v => v).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {key,-30} median {Program.Median(values),9:F1}  p10 {sorted[sorted.Count / 10],9:F1}  p90 {sorted[sorted.Count * 9 / 10],9:F1}  (n {values.Count})"));
        }
    }
}
