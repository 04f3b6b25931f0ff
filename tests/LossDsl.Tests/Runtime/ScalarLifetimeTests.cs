using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using LossDsl.Tests.Losses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// TorchSharp 0.107 leaves a Scalar made by an implicit conversion (<c>x * 0.5</c>, the alpha of <c>x + y</c>) to the
/// finalizer while libtorch still reads it (see <see cref="KeptScalars"/>): the library and the code it generates pass
/// only scalars they keep alive.
/// </summary>
[Collection(nameof(ScalarLifetimeCollection))]
public class ScalarLifetimeTests
{
    /// <summary>TorchSharp members that make a Scalar of their own: the conversions, and whatever calls one, transitively.</summary>
    private static readonly HashSet<string> Makers = FindMakers();

    [Fact]
    public void TheScanKnowsWhichTorchSharpCallsMakeScalars()
    {
        Assert.Contains("Tensor::op_Addition(Tensor,Tensor)", Makers);     // add(target, alpha: 1)
        Assert.Contains("Tensor::op_Multiply(Double,Tensor)", Makers);
        Assert.Contains("Tensor::op_Subtraction(Int32,Tensor)", Makers);
        Assert.Contains("Tensor::square()", Makers);                        // pow(2)
        Assert.DoesNotContain("Tensor::op_Multiply(Tensor,Tensor)", Makers);
        Assert.DoesNotContain("Tensor::mul(Scalar)", Makers);
        Assert.DoesNotContain("Tensor::add(Tensor,Scalar)", Makers);
    }

    [Fact]
    public void TheLibraryPassesOnlyScalarsItKeeps()
    {
        // KeptScalars makes the scalars it keeps.
        var offenders = Offenders(typeof(LossModule).Assembly.Location, m => m.Type != nameof(KeptScalars));
        Assert.Empty(offenders);
    }

    [Fact]
    public void GeneratedModulesPassOnlyScalarsTheyKeep()
    {
        var generated = typeof(ScalarLifetimeTests).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LossModule))).Select(t => t.Name).ToHashSet();
        Assert.Contains(nameof(Everything), generated);
        Assert.Empty(Offenders(typeof(ScalarLifetimeTests).Assembly.Location, m => generated.Contains(m.Type)));
    }

    /// <summary>
    /// Each call runs while another thread collects (generation 0, where the call's temporaries are) and finalizes without pause, from before the call until after it,
    /// and must give the same value as a call without collections. The count of calls is fixed and every call sees
    /// collections; whether one lands inside the native call that reads a freed scalar no managed hook can force (the
    /// window lies in libtorch), so the IL scans above are the deterministic guard and this the check that they scan
    /// what matters. Before the library kept its scalars, the composed path failed here ("Unknown scalar type").
    /// </summary>
    [Theory]
    [InlineData(nameof(Everything))]
    [InlineData(nameof(IouAndMcc))]
    [InlineData(nameof(LovaszAndFocal))]
    public void TheComposedPathSurvivesCollectionsDuringEveryCall(string name)
    {
        const int Calls = 10;
        using var loss = TestLoss.Named(name, fused: false);
        using var inputs = NewDisposeScope();
        var x = randn(2, 16, 16).requires_grad_(true);
        var y = (rand(2, 16, 16) < 0.1).to(ScalarType.Float32);
        var expected = loss.call(x, y).item<float>();
        for (int k = 0; k < Calls; k++)
        {
            using var scope = NewDisposeScope();
            int done = 0;
            var collector = new Thread(() =>
            {
                do { GC.Collect(0); GC.WaitForPendingFinalizers(); } while (Volatile.Read(ref done) == 0);
            });
            collector.Start();
            var value = loss.call(x, y);
            value.backward();
            Volatile.Write(ref done, 1);
            collector.Join();
            Assert.Equal(expected, value.item<float>());
        }
    }

    private static List<string> Offenders(string assembly, Func<(string Type, string Method, List<string> Calls), bool> checkedMethod) =>
        IlCalls.Read(assembly).Where(checkedMethod)
            .SelectMany(m => m.Calls.Where(MakesScalar).Select(call => $"{m.Method} calls {call}"))
            .Distinct().ToList();

    private static bool MakesScalar(string call) => MakesScalarIn(Makers)(call);

    private static HashSet<string> FindMakers()
    {
        var methods = IlCalls.Read(typeof(torch).Assembly.Location).Where(m => m.Type is not ("Scalar" or "ScalarExtensionMethods")).ToList();
        var makers = new HashSet<string>();
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var m in methods)
                if (!makers.Contains(m.Method) && m.Calls.Any(MakesScalarIn(makers))) grew |= makers.Add(m.Method);
        }
        return makers;
    }

    private static Func<string, bool> MakesScalarIn(HashSet<string> makers) => call =>
        call.StartsWith("Scalar::op_Implicit(", StringComparison.Ordinal) || call.StartsWith("ScalarExtensionMethods::ToScalar(", StringComparison.Ordinal) || makers.Contains(call);
}

/// <summary>The collecting thread makes collections for every test running beside it: these tests run alone.</summary>
[CollectionDefinition(nameof(ScalarLifetimeCollection), DisableParallelization = true)]
public sealed class ScalarLifetimeCollection { }
