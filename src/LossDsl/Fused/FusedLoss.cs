using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Fused;

/// <summary>
/// The fused path: on CPU, for contiguous float32/float64 logits, a generated kernel computes the loss and its gradient
/// in one pass (two with region terms), or the loss alone when no gradient is wanted; backward only scales the saved
/// gradient. Generated modules call <see cref="Applies"/> and <see cref="Run{TKernel}"/>; everything else takes the
/// composed path.
/// </summary>
/// <remarks>Called by generated code only; set <see cref="MaxThreads"/> if you must, use the generated module otherwise.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FusedLoss
{
    /// <summary>
    /// Threads a fused kernel spreads its work over (default: all cores). Inputs under ~16k cells run on one. Where
    /// libtorch runs on OpenMP (Linux), a pass on as many threads as <c>torch.get_num_threads()</c> runs on libtorch's own
    /// OpenMP threads, one on another number on the library's helper threads (<c>LOSSDSL_OPENMP=0</c>: always those).
    /// </summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    [ThreadStatic] private static int t_runs;

    /// <summary>How often the fused path ran on this thread: lets tests check which path a call took.</summary>
    internal static int RunsOnThisThread => t_runs;

    // Set while a module recomputes its loss on the composed path (double backward, see FusedLossFunction).
    [ThreadStatic] private static bool t_composedOnly;

    /// <summary>Whether the fused path takes these inputs (already validated).</summary>
    public static bool Applies(Tensor logits, Tensor target, Tensor? validMask) =>
        !t_composedOnly
        && logits.device_type == DeviceType.CPU
        && logits.dtype is ScalarType.Float32 or ScalarType.Float64
        // The kernel differentiates with respect to the logits only.
        && !(is_grad_enabled() && (target.requires_grad || validMask is { requires_grad: true }))
        && logits.is_contiguous() && target.is_contiguous()
        && logits.numel() > 0
        && logits.shape[^2] * logits.shape[^1] <= int.MaxValue;

    /// <summary>
    /// The loss of <paramref name="logits"/> through <typeparamref name="TKernel"/>. When a gradient is wanted (grad mode
    /// on, logits that require grad) it comes with a gradient function, and <paramref name="module"/> recomputes the loss
    /// on the composed path if a second derivative is asked for; otherwise the kernel computes the value alone and the
    /// result has no gradient function.
    /// </summary>
    public static Tensor Run<TKernel>(Tensor logits, Tensor target, Tensor? validMask, LossModule module) where TKernel : IFusedKernel
    {
        t_runs++;
        KernelTrace.Mark(KernelTrace.CallStart);
        using var job = new FusedJob<TKernel>(logits, target, validMask, module);
        if (!(logits.requires_grad && is_grad_enabled())) return job.Value(logits);
        using var scope = NewDisposeScope();
        var loss = FusedLossFunction.apply(logits, job);
        var result = loss.MoveToOuterDisposeScope();
        KernelTrace.Mark(KernelTrace.CallEnd);
        return result;
    }

    /// <summary>
    /// Each term's value (unweighted, in the order of the class's attributes, the penalty last) and the total, from the
    /// kernel's value pass: what <see cref="LossModule.TermValues"/> reports.
    /// </summary>
    public static double[] TermValues<TKernel>(Tensor logits, Tensor target, Tensor? validMask, LossModule module, out double total) where TKernel : IFusedKernel
    {
        t_runs++;
        using var job = new FusedJob<TKernel>(logits, target, validMask, module);
        return job.TermValues(logits, out total);
    }

    /// <summary><paramref name="module"/>'s loss computed on the composed path, whatever the inputs.</summary>
    internal static Tensor Composed(LossModule module, Tensor logits, Tensor target, Tensor? validMask)
    {
        t_composedOnly = true;
        try { return module.call(logits, target, validMask); }
        finally { t_composedOnly = false; }
    }
}

/// <summary>
/// What the fused path runs (through the autograd function, or alone for the value): a kernel, the inputs that are not
/// the logits, and the module they came from. The target and mask are read as the kernel reads them when the job is
/// made, their values checked on the way (<see cref="ValueScan"/>); uint8 and int8 targets, read where they lie, are
/// checked by the kernel's first pass, and a bad value throws before a value or gradient is handed out.
/// </summary>
internal abstract unsafe class FusedJob : IDisposable
{
    private readonly Tensor? _converted, _maskData;

    protected FusedJob(Tensor logits, Tensor target, Tensor? validMask, LossModule module)
    {
        Target = target;
        ValidMask = validMask;
        Module = module;
        using var scope = NewDisposeScope();
        Mask = MaskView.Of(validMask, logits.shape, out var maskData);
        // A copy or conversion of the mask is the job's own; the caller's mask is not.
        if (!ReferenceEquals(maskData, validMask)) _maskData = maskData;
        // bool, uint8 and int8 targets are read as bytes where they are; other integer ones are converted once.
        TargetBytes = target.dtype is ScalarType.Bool or ScalarType.Byte or ScalarType.Int8;
        CheckTargetBytes = target.dtype is ScalarType.Byte or ScalarType.Int8;
        if (!TargetBytes && target.dtype != logits.dtype) _converted = Converted(target, logits.dtype);
        _maskData?.DetachFromDisposeScope();
        _converted?.DetachFromDisposeScope();
    }

    public Tensor Target { get; }
    public Tensor? ValidMask { get; }
    public LossModule Module { get; }

    /// <summary>The target as the kernel reads it: the tensor itself, or its integer labels converted to the logits' dtype.</summary>
    protected Tensor KernelTarget => _converted ?? Target;

    /// <summary>Whether the kernel reads the target as bytes (bool, uint8 and int8 targets).</summary>
    protected bool TargetBytes { get; }

    /// <summary>Whether the kernel checks the target bytes are 0/1 as it first reads them (uint8 and int8 targets).</summary>
    protected bool CheckTargetBytes { get; }

    /// <summary>The validity mask as the kernel reads it.</summary>
    protected MaskView Mask { get; }

    /// <summary>The loss value as a scalar of the logits' dtype, and its gradient.</summary>
    public abstract Tensor Forward(Tensor logits, out Tensor gradient);

    /// <summary>The loss value alone, as a scalar of the logits' dtype.</summary>
    public abstract Tensor Value(Tensor logits);

    /// <summary>The start of <paramref name="t"/>'s data (contiguous, on the CPU).</summary>
    public static void* Pointer(Tensor t) => Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    /// <summary>Integer labels (int16, int32, int64) as <paramref name="dtype"/>, checked to be 0/1 as they are converted.</summary>
    private static Tensor Converted(Tensor target, ScalarType dtype)
    {
        var converted = empty(target.shape, dtype);
        bool binary = ValueScan.ConvertBinary(target, converted);
        if (!binary) throw InputValues.Breach(target, nameof(target), isMask: false);
        return converted;
    }

    public void Dispose()
    {
        _converted?.Dispose();
        _maskData?.Dispose();
    }
}

internal sealed unsafe class FusedJob<TKernel> : FusedJob where TKernel : IFusedKernel
{
    public FusedJob(Tensor logits, Tensor target, Tensor? validMask, LossModule module) : base(logits, target, validMask, module) { }

    public override Tensor Forward(Tensor logits, out Tensor gradient)
    {
        gradient = GradientMemory.Empty(logits);
        KernelTrace.Mark(KernelTrace.GradientMade);
        double value;
        try { value = Compute(logits, gradient); }
        catch
        {
            gradient.Dispose();
            throw;
        }
        KernelTrace.Mark(KernelTrace.ComputeEnd);
        var result = Scalar(value, logits.dtype);
        KernelTrace.Mark(KernelTrace.ValueMade);
        return result;
    }

    public override Tensor Value(Tensor logits) => Scalar(Compute(logits, null), logits.dtype);

    // One native scalar of the logits' dtype: tensor(value, dtype) makes a float64 one and converts it (a conversion a small call notices).
    private static Tensor Scalar(double value, ScalarType dtype) => dtype == ScalarType.Float32 ? tensor((float)value) : tensor(value);

    /// <summary>The loss value alone, and each term's value (see <see cref="IFusedKernel.TermValues"/>).</summary>
    public double[] TermValues(Tensor logits, out double total)
    {
        var terms = new double[TKernel.TermCount];
        total = Compute(logits, null, terms);
        return terms;
    }

    /// <summary>The loss value; the gradient too when <paramref name="gradient"/> is given, each term's value when <paramref name="terms"/> is.</summary>
    private double Compute(Tensor logits, Tensor? gradient, double[]? terms = null)
    {
        var shape = logits.shape;
        int n = (int)shape[^2], m = (int)shape[^1];
        int samples = checked((int)(logits.numel() / ((long)n * m)));
        var target = KernelTarget;
        void* x = Pointer(logits), y = Pointer(target), g = gradient is null ? null : Pointer(gradient);
        int breach = 0;
        int* byteBreach = CheckTargetBytes ? &breach : null;
        var value = (logits.dtype == ScalarType.Float32, TargetBytes) switch
        {
            (true, false) => Run<float, float>(x, y, g, Mask, samples, n, m, terms, byteBreach),
            (true, true) => Run<float, byte>(x, y, g, Mask, samples, n, m, terms, byteBreach),
            (false, false) => Run<double, double>(x, y, g, Mask, samples, n, m, terms, byteBreach),
            (false, true) => Run<double, byte>(x, y, g, Mask, samples, n, m, terms, byteBreach),
        };
        GC.KeepAlive(target);
        if (breach != 0) throw InputValues.Breach(Target, "target", isMask: false);
        return value;
    }

    /// <summary>The kernel on logits of <typeparamref name="T"/> and targets of <typeparamref name="TY"/>; no gradient when <paramref name="g"/> is null.</summary>
    private static double Run<T, TY>(void* x, void* y, void* g, MaskView mask, int samples, int n, int m, double[]? terms, int* byteBreach)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> where TY : unmanaged
    {
        var input = new FusedInput<T, TY>((T*)x, (TY*)y, (T*)g, mask, samples, n, m, byteBreach);
        if (g is not null) return FusedDriver<TKernel, T, TY>.ValueAndGradient(input, FusedLoss.MaxThreads);
        return terms is null
            ? FusedDriver<TKernel, T, TY>.Value(input, FusedLoss.MaxThreads)
            : FusedDriver<TKernel, T, TY>.Value(input, FusedLoss.MaxThreads, terms);
    }
}

/// <summary>
/// The custom autograd function of the fused path: forward runs the kernel, which returns the value and the
/// gradient together; backward hands the saved gradient back, scaled by the incoming gradient unless that is 1.
/// A backward that builds a graph itself (<c>create_graph</c>, for a second derivative such as a gradient penalty)
/// differentiates the composed path instead, so second derivatives are right too.
/// </summary>
internal sealed class FusedLossFunction : autograd.SingleTensorFunction<FusedLossFunction>
{
    public override string Name => "LossDslFusedLoss";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        KernelTrace.Mark(KernelTrace.ForwardStart);
        ReleaseHandedOver();
        var logits = (Tensor)vars[0];
        var job = (FusedJob)vars[1];
        var value = job.Forward(logits, out var gradient);
        ctx.save_for_backward(new List<Tensor> { gradient, logits });
        ctx.save_data("job", job);
        KernelTrace.Mark(KernelTrace.ForwardEnd);
        return value;
    }

    // Autograd copies the gradient it is handed, but the handle stays ours: it is freed at the next forward or backward
    // on this thread instead of waiting for the finalizer (it would hold the gradient's memory) or for the caller's
    // dispose scope (one per call would pile up there). So at most one such handle per thread is alive.
    [ThreadStatic] private static Tensor? t_handedOver;

    private static void ReleaseHandedOver()
    {
        t_handedOver?.Dispose();
        t_handedOver = null;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        KernelTrace.Mark(KernelTrace.BackwardStart);
        ReleaseHandedOver();
        var saved = ctx.get_saved_variables();
        var gradient = saved[0];
        if (is_grad_enabled())
        {
            // create_graph: the precomputed gradient has no graph of its own; rebuild it from the composed path.
            var job = (FusedJob)ctx.get_data("job");
            using (var scope = NewDisposeScope())
            {
                var composed = FusedLoss.Composed(job.Module, saved[1], job.Target, job.ValidMask);
                gradient = autograd.grad(new[] { composed }, new[] { saved[1] }, retain_graph: true, create_graph: true)[0].MoveToOuterDisposeScope();
            }
            saved[0].Dispose();
        }
        saved[1].Dispose();
        var result = gradient;
        if (!IsOne(grad_output))
        {
            result = gradient * grad_output;
            gradient.Dispose();
        }
        grad_output.Dispose();
        t_handedOver = result.DetachFromDisposeScope();
        KernelTrace.Mark(KernelTrace.BackwardEnd);
        return new List<Tensor> { result, null! };
    }

    private static bool IsOne(Tensor t) => t.numel() == 1 && t.dtype switch
    {
        ScalarType.Float32 => t.item<float>() == 1,
        ScalarType.Float64 => t.item<double>() == 1,
        _ => false,
    };
}
