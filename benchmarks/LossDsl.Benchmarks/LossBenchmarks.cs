using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Benchmarks;

// The six losses of the README: plain focal and the five answers to "my mask is symmetric".

/// <summary>Plain focal loss on the whole map.</summary>
[Focal(Gamma = 2)]
public partial class FocalLoss { }

/// <summary>(1) Focal loss on the upper half.</summary>
[Focal(Gamma = 2)]
[MaskLower]
public partial class MaskLowerLoss { }

#pragma warning disable LD0010 // (2) alone is one of the losses measured
/// <summary>(2) <c>focal(x, y) + focal(xᵀ, y)</c>.</summary>
[Focal(Gamma = 2)]
[SymmetricTranspose]
public partial class SymmetricTransposeLoss { }
#pragma warning restore LD0010

/// <summary>(3) Focal loss plus a Huber penalty on <c>p − pᵀ</c> (weight 0.1).</summary>
[Focal(Gamma = 2)]
[TransposeConsistency]
public partial class TransposeConsistencyLoss { }

/// <summary>(4) <c>focal(x, y) + focal(xᵀ, y)</c> on the upper half (trained so; the better half is kept at test time).</summary>
[Focal(Gamma = 2)]
[SymmetricTranspose]
[MaskLower]
public partial class SymmetricTransposeMaskLowerLoss { }

/// <summary>(5) Focal loss on <c>(x + xᵀ)/2</c>.</summary>
[Focal(Gamma = 2)]
[Symmetrize]
public partial class SymmetrizeLoss { }

// The region and set terms, each alone with its defaults (benchmarks/pytorch_losses.py --terms has their PyTorch side).

/// <summary>Soft Dice.</summary>
[Dice]
public partial class DiceLoss { }

/// <summary>Soft Jaccard.</summary>
[Jaccard]
public partial class JaccardLoss { }

/// <summary>Soft MCC loss.</summary>
[MatthewsCorrelation]
public partial class MatthewsCorrelationLoss { }

/// <summary>The Lovász hinge (composed: it sorts).</summary>
[LovaszHinge]
public partial class LovaszHingeLoss { }

/// <summary>The six losses by name, each as a generated module and as the same loss written with composed TorchSharp ops.</summary>
public static class Losses
{
    public static readonly string[] Names = { "Focal", "MaskLower", "SymmetricTranspose", "TransposeConsistency", "SymmetricTranspose+MaskLower", "Symmetrize" };

    /// <summary>The region and set terms, timed as generated modules only (<c>--terms</c>).</summary>
    public static readonly string[] TermNames = { "Dice", "Jaccard", "MatthewsCorrelation", "LovaszHinge" };

    public static LossModule Generated(string name) => name switch
    {
        "Dice" => new DiceLoss(),
        "Jaccard" => new JaccardLoss(),
        "MatthewsCorrelation" => new MatthewsCorrelationLoss(),
        "LovaszHinge" => new LovaszHingeLoss(),
        "Focal" => new FocalLoss(),
        "MaskLower" => new MaskLowerLoss(),
        "SymmetricTranspose" => new SymmetricTransposeLoss(),
        "TransposeConsistency" => new TransposeConsistencyLoss(),
        "SymmetricTranspose+MaskLower" => new SymmetricTransposeMaskLowerLoss(),
        "Symmetrize" => new SymmetrizeLoss(),
        _ => throw new ArgumentException("unknown loss " + name, nameof(name)),
    };

    /// <summary>
    /// The loss as a user writes it by hand with TorchSharp ops in the logits' dtype: torchvision's
    /// <c>sigmoid_focal_loss</c> line by line, masks as 0/1 tensors, transposes as views.
    /// </summary>
    public static Func<Tensor, Tensor, Tensor> HandComposed(string name, long n)
    {
        if (Array.IndexOf(TermNames, name) >= 0) return (x, y) => throw new NotSupportedException(name + " is timed as a generated module only");
        var upper = ones(n, n).triu();             // MaskLower keeps i ≤ j
        var pairs = ones(n, n).triu(1);            // the penalty's pairs j > i
        upper.DetachFromDisposeScope();
        pairs.DetachFromDisposeScope();
        return name switch
        {
            "Focal" => (x, y) => Focal(x, y, null),
            "MaskLower" => (x, y) => Focal(x, y, upper),
            "SymmetricTranspose" => (x, y) => Focal(x, y, null) + Focal(x.transpose(-1, -2), y, null),
            "TransposeConsistency" => (x, y) =>
            {
                var p = sigmoid(x);
                var d = p - p.transpose(-1, -2);
                var huber = nn.functional.huber_loss(d, zeros_like(d), reduction: nn.Reduction.None);
                return Focal(x, y, null) + 0.1 * (huber * pairs).sum() / (pairs.sum() * (x.numel() / (n * n)));
            },
            "SymmetricTranspose+MaskLower" => (x, y) => Focal(x, y, upper) + Focal(x.transpose(-1, -2), y, upper),
            "Symmetrize" => (x, y) => Focal((x + x.transpose(-1, -2)) / 2, y, null),
            _ => throw new ArgumentException("unknown loss " + name, nameof(name)),
        };
    }

    private static Tensor Focal(Tensor x, Tensor y, Tensor? mask)
    {
        var p = sigmoid(x);
        var ce = nn.functional.binary_cross_entropy_with_logits(x, y, reduction: nn.Reduction.None);
        var pt = p * y + (1 - p) * (1 - y);
        var loss = ce * (1 - pt).pow(2);
        loss = (0.25 * y + 0.75 * (1 - y)) * loss;
        if (mask is null) return loss.mean();
        return (loss * mask).sum() / (mask.sum() * (x.numel() / mask.numel()));
    }
}

/// <summary>Short runs: the three ways differ by 10× or more, so a few iterations settle them.</summary>
public sealed class LossConfig : ManualConfig
{
    public LossConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithInvocationCount(4).WithUnrollFactor(1));
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}

/// <summary>
/// Forward and backward at 8×1×512×512 float32 on CPU: the generated module (fused kernel), the same module on its
/// composed path, and the loss written by hand with composed TorchSharp ops.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(LossConfig))]
public class LossBenchmarks
{
    private Tensor _x = null!, _y = null!;
    private LossModule _generated = null!, _composed = null!;
    private Func<Tensor, Tensor, Tensor> _hand = null!;

    [ParamsSource(nameof(LossNames))]
    public string Loss { get; set; } = "Focal";

    public static IEnumerable<string> LossNames => Losses.Names;

    [Params(512)]
    public int N { get; set; }

    private Tensor _yBool = null!, _yByte = null!, _yLong = null!, _floatMask = null!;

    [GlobalSetup]
    public void Setup()
    {
        manual_seed(1);
        _x = randn(8, 1, N, N).requires_grad_(true);
        _yBool = rand(8, 1, N, N) < 0.05;
        _yByte = _yBool.to(ScalarType.Byte);
        _yLong = _yBool.to(ScalarType.Int64);
        _floatMask = (rand(8, 1, N, N) < 0.9).to(ScalarType.Float32); // 0/1 weights, a tenth of the cells left out
        _y = _yBool.to(ScalarType.Float32);
        _generated = Losses.Generated(Loss);
        _composed = Losses.Generated(Loss);
        _composed.UseFusedKernel = false;
        _hand = Losses.HandComposed(Loss, N);
    }

    [Benchmark(Baseline = true)]
    public double HandComposed() => Step(() => _hand(_x, _y));

    [Benchmark]
    public double ComposedPath() => Step(() => _composed.call(_x, _y));

    [Benchmark]
    public double Generated() => Step(() => _generated.call(_x, _y));

    /// <summary>The fused kernel with the target as a bool mask (read as bytes).</summary>
    public double GeneratedBoolTarget() => Step(() => _generated.call(_x, _yBool));

    /// <summary>The fused kernel with the target as uint8.</summary>
    public double GeneratedByteTarget() => Step(() => _generated.call(_x, _yByte));

    /// <summary>The fused kernel with the target as int64 (converted once per call).</summary>
    public double GeneratedLongTarget() => Step(() => _generated.call(_x, _yLong));

    /// <summary>The fused kernel with a float32 validity mask.</summary>
    public double GeneratedFloatMask() => Step(() => _generated.call(_x, _y, _floatMask));

    /// <summary>The hand-composed loss's value alone, as a validation loop computes it.</summary>
    public double HandComposedNoGrad() => Value(() => _hand(_x, _y));

    /// <summary>The generated module's value alone: its value-only fused forward.</summary>
    public double GeneratedNoGrad() => Value(() => _generated.call(_x, _y));

    /// <summary>The generated module's value alone on its composed path.</summary>
    public double ComposedPathNoGrad() => Value(() => _composed.call(_x, _y));

    private static double Value(Func<Tensor> loss)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return loss().item<float>();
    }

    /// <summary>One forward and backward; autograd.grad hands the gradient back without accumulating it into x.grad.</summary>
    internal double Step(Func<Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var value = loss();
        var gradient = autograd.grad(new[] { value }, new[] { _x })[0];
        return value.item<float>() + gradient[0, 0, 0, 0].item<float>();
    }
}

/// <summary>The generated kernel over map sizes 64 → 1024 (batch 8): time should grow with N², no worse.</summary>
[MemoryDiagnoser]
[Config(typeof(LossConfig))]
public class SizeSweepBenchmarks
{
    private readonly LossBenchmarks _inner = new();

    [Params("Focal", "SymmetricTranspose+MaskLower")]
    public string Loss { get; set; } = "Focal";

    [Params(64, 128, 256, 512, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _inner.Loss = Loss;
        _inner.N = N;
        _inner.Setup();
    }

    [Benchmark]
    public double Generated() => _inner.Generated();
}
