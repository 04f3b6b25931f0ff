using System;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>Validity masks for padded batches of maps.</summary>
public static class LossMasks
{
    /// <summary>
    /// The <c>(B, n, n)</c> bool mask <c>valid[b, i, j] = i &lt; lengths[b] &amp;&amp; j &lt; lengths[b]</c> for a batch of
    /// maps padded to <c>n</c>, from the <c>(B,)</c> integer tensor of true lengths.
    /// </summary>
    public static Tensor FromLengths(Tensor lengths, long n)
    {
        if (lengths is null) throw new ArgumentNullException(nameof(lengths));
        if (lengths.Dimensions != 1)
            throw new ArgumentException($"lengths must have shape (B); got {LossInputs.Show(lengths.shape)}.", nameof(lengths));
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be non-negative.");
        using var scope = NewDisposeScope();
        var inside = KeptScalars.Range(n, lengths.device).unsqueeze(0) < lengths.unsqueeze(1); // (B, n)
        return inside.unsqueeze(2).logical_and(inside.unsqueeze(1)).MoveToOuterDisposeScope();
    }
}
