using System;
using LossDsl.Tests.Losses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>docs/attributes.md, "Order of operations", step 1: ArgumentException naming the argument and the shapes; nothing leaks.</summary>
public class BadInputTests
{
    private static ArgumentException Fails(LossModule loss, Func<Tensor> logits, Func<Tensor> target, Func<Tensor?>? valid = null)
    {
        using var scope = NewDisposeScope();
        var (x, y, v) = (logits(), target(), valid?.Invoke());
        DisposeScopeManager.Statistics.Reset();
        var error = Assert.ThrowsAny<ArgumentException>(() => loss.call(x, y, v));
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        return error;
    }

    [Fact]
    public void WrongRank()
    {
        using var loss = new PlainFocal();
        var e = Fails(loss, () => zeros(5), () => zeros(5));
        Assert.Equal("logits", e.ParamName);
        Assert.Contains("(5)", e.Message);
    }

    [Fact]
    public void ShapeMismatch()
    {
        using var loss = new PlainFocal();
        var e = Fails(loss, () => zeros(2, 4, 4), () => zeros(2, 4, 5));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("(2, 4, 4)", e.Message);
        Assert.Contains("(2, 4, 5)", e.Message);
    }

    [Fact]
    public void NonSquareMapsWhereSymmetryIsUsed()
    {
        using var loss = new ContactLoss();
        var e = Fails(loss, () => zeros(2, 4, 5), () => zeros(2, 4, 5));
        Assert.Equal("logits", e.ParamName);
        Assert.Contains("(2, 4, 5)", e.Message);
    }

    [Fact]
    public void NonSquareMapsAreFineWithoutSymmetry()
    {
        using var loss = new PlainFocal();
        using var scope = NewDisposeScope();
        Assert.True(double.IsFinite(loss.call(randn(2, 4, 5), zeros(2, 4, 5)).item<float>()));
    }

    [Fact]
    public void MaskThatDoesNotBroadcast()
    {
        using var loss = new ContactLoss();
        var e = Fails(loss, () => zeros(2, 4, 4), () => zeros(2, 4, 4), () => ones(3, 4, 4));
        Assert.Equal("validMask", e.ParamName);
        Assert.Contains("(3, 4, 4)", e.Message);
        Assert.Contains("(2, 4, 4)", e.Message);
    }

    [Fact]
    public void TargetDtypeDiffers()
    {
        using var loss = new PlainFocal();
        var e = Fails(loss, () => zeros(2, 4, 4), () => zeros(2, 4, 4, ScalarType.Float64));
        Assert.Equal("target", e.ParamName);
        Assert.Contains("Float64", e.Message);
    }

    [Fact]
    public void MaskDtypeIsNeitherBoolNorIntegerNorFloat()
    {
        using var loss = new PlainFocal();
        var e = Fails(loss, () => zeros(2, 4, 4), () => zeros(2, 4, 4), () => ones(4, 4, ScalarType.ComplexFloat32));
        Assert.Equal("validMask", e.ParamName);
    }

    [Fact]
    public void IntegerLogits()
    {
        using var loss = new PlainFocal();
        var e = Fails(loss, () => zeros(2, 4, 4, ScalarType.Int64), () => zeros(2, 4, 4, ScalarType.Int64));
        Assert.Equal("logits", e.ParamName);
    }

    [Fact]
    public void NullArguments()
    {
        using var loss = new PlainFocal();
        Assert.Throws<ArgumentNullException>(() => loss.call(null!, zeros(2, 2)));
        Assert.Throws<ArgumentNullException>(() => loss.call(zeros(2, 2), null!));
    }
}
