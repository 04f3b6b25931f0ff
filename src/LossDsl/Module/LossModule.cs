using System;
using System.Collections.Generic;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>One term's share of a loss, as <see cref="LossModule.TermValues"/> reports it.</summary>
/// <param name="Name">The term, e.g. <c>Focal</c> or <c>TransposeConsistency</c>.</param>
/// <param name="Weight">The term's <c>Weight</c>.</param>
/// <param name="Value">The term's value before weighting (with <c>[SymmetricTranspose]</c>, both evaluations added).</param>
public readonly record struct LossTermValue(string Name, double Weight, double Value)
{
    /// <summary><c>Weight · Value</c>: what the term adds to the total.</summary>
    public double Contribution => Weight * Value;
}

/// <summary>
/// The base class of every generated loss: a TorchSharp module mapping <c>(logits, target)</c> or
/// <c>(logits, target, validMask)</c> to a scalar loss. Hold any generated loss as a <see cref="LossModule"/>.
/// </summary>
public abstract class LossModule : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Dictionary<(Region Region, long N, ScalarType Dtype, DeviceType Device, int Index), Tensor> _regionMasks = new();

    private volatile bool _disposed;

    /// <summary>Creates the module; <paramref name="name"/> is the module name.</summary>
    protected LossModule(string name) : base(name) { }

    /// <summary>
    /// Whether <c>forward</c> may run the generated fused kernel (default true; it does on CPU for contiguous float32 and
    /// float64 logits and target, computing the value alone when no gradient is wanted). False always takes the composed
    /// TorchSharp path; both give the same numbers.
    /// </summary>
    public bool UseFusedKernel { get; set; } = true;

    /// <summary>The loss of <paramref name="logits"/> against <paramref name="target"/>, with cells where
    /// <paramref name="validMask"/> (bool or float, broadcastable to the logits) is 0 left out.</summary>
    public abstract Tensor forward(Tensor logits, Tensor target, Tensor? validMask);

    /// <summary>Calls <see cref="forward(Tensor, Tensor, Tensor?)"/>; with a null mask this is the module's ordinary <c>call</c>.</summary>
    public Tensor call(Tensor logits, Tensor target, Tensor? validMask) =>
        validMask is null ? call(logits, target) : forward(logits, target, validMask);

    /// <summary>
    /// Each term's value for logging, computed without gradient; the ordinary forward pass records nothing, so
    /// this costs nothing unless called. The contributions add up to the loss.
    /// </summary>
    public IReadOnlyList<LossTermValue> TermValues(Tensor logits, Tensor target, Tensor? validMask = null)
    {
        var terms = new List<LossTermValue>();
        using (no_grad())
        using (NewDisposeScope())
            Compute(logits, target, validMask, terms);
        return terms;
    }

    /// <summary>The generated loss: the total, and when <paramref name="terms"/> is not null each term's value recorded into it.</summary>
    protected abstract Tensor Compute(Tensor logits, Tensor target, Tensor? validMask, List<LossTermValue>? terms);

    /// <summary>Records a term's value when <paramref name="terms"/> asks for it.</summary>
    /// <remarks>Called by generated code; not meant to be called directly.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected static void Record(List<LossTermValue>? terms, string name, double weight, Tensor value)
    {
        terms?.Add(new LossTermValue(name, weight, value.to(ScalarType.Float64).item<double>()));
    }

    /// <summary>Records a term's value computed by the fused kernel.</summary>
    /// <remarks>Called by generated code; not meant to be called directly.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected static void Record(List<LossTermValue> terms, string name, double weight, double value) =>
        terms.Add(new LossTermValue(name, weight, value));

    /// <summary>The <c>(N, N)</c> 0/1 mask of <paramref name="region"/>, built once per (N, dtype, device) and kept by the module.</summary>
    /// <remarks>Called by generated code; not meant to be called directly.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected Tensor RegionMask(Region region, long n, ScalarType dtype, Device device)
    {
        var key = (region, n, dtype, device.type, device.index);
        lock (_regionMasks)
        {
            if (!_regionMasks.TryGetValue(key, out var mask))
            {
                mask = region.ToMask(n, dtype, device);
                mask.DetachFromDisposeScope();
                _regionMasks[key] = mask;
            }
            return mask;
        }
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the module is disposed: its caches are gone, and a call does not rebuild them.</summary>
    /// <remarks>Called by generated code; not meant to be called directly.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        if (disposing)
        {
            lock (_regionMasks)
            {
                foreach (var mask in _regionMasks.Values) mask.Dispose();
                _regionMasks.Clear();
            }
        }
        base.Dispose(disposing);
    }
}
