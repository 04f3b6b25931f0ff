using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContactMaps;

/// <summary>
/// A small residual 2-D CNN over pair features: a 1×1 stem, residual blocks of two dilated 3×3 convolutions with
/// ReLU (dilations 1, 2, 4, 8, 1, 2, …; each branch starts at zero), and a 1×1 head. Maps <c>(B, C, N, N)</c> features to <c>(B, N, N)</c> logits.
/// Nothing in it is symmetric: <c>out[i, j]</c> and <c>out[j, i]</c> see different inputs (the profile of i sits in
/// other channels than the profile of j) and the kernels are not symmetric.
/// </summary>
public sealed class PairNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _stem;
    private readonly ModuleList<Conv2d> _first = new();
    private readonly ModuleList<Conv2d> _second = new();
    private readonly Conv2d _head;
    // `x + y` makes a Scalar 1 that TorchSharp 0.107 lets the GC finalize while libtorch still reads it (a GC started by
    // any other thread during the addition frees it: the "toFloat" check failing in an addition); this one stays alive.
    private static readonly Scalar One = 1.ToScalar();

    /// <summary>Creates the network with <paramref name="channels"/> hidden channels and <paramref name="blocks"/> residual blocks.</summary>
    public PairNetwork(int inputChannels, int channels, int blocks) : base(nameof(PairNetwork))
    {
        _stem = nn.Conv2d(inputChannels, channels, 1);
        int[] dilations = { 1, 2, 4, 8 };
        for (int b = 0; b < blocks; b++)
        {
            var d = dilations[b % dilations.Length];
            _first.Add(nn.Conv2d(channels, channels, 3, padding: d, dilation: d));
            _second.Add(nn.Conv2d(channels, channels, 3, padding: d, dilation: d));
        }
        _head = nn.Conv2d(channels, 1, 1);
        // Start every option from the same prior, p ≈ 1 %, as RetinaNet does for focal loss: without it, the first
        // hundreds of steps only learn that almost every cell is 0.
        // Each residual branch starts at zero (its last convolution is zero), so the untrained network is stem → head.
        using (no_grad())
        {
            using Scalar prior = -Math.Log(99); // kept to the end of the call, as One
            _head.bias!.fill_(prior);
            foreach (var conv in _second)
            {
                conv.weight!.zero_();
                conv.bias!.zero_();
            }
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = _stem.call(features);
        for (int b = 0; b < _first.Count; b++)
            x = x.add(_second[b].call(nn.functional.relu(_first[b].call(nn.functional.relu(x)))), One);
        return _head.call(nn.functional.relu(x)).squeeze(1).MoveToOuterDisposeScope();
    }
}
