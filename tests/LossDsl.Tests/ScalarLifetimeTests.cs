using System;
using System.Collections.Generic;
using System.Diagnostics;
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

    /// <summary>Before the library kept its scalars, the composed path failed here within 2 s ("Unknown scalar type").</summary>
    [Theory]
    [InlineData(nameof(Everything))]
    [InlineData(nameof(IouAndMcc))]
    [InlineData(nameof(LovaszAndFocal))]
    public void TheComposedPathSurvivesCollectionsStartedByAnotherThread(string name)
    {
        using var loss = TestLoss.Named(name, fused: false);
        using var inputs = NewDisposeScope();
        var x = randn(2, 16, 16).requires_grad_(true);
        var y = (rand(2, 16, 16) < 0.1).to(ScalarType.Float32);
        var stop = false;
        var allocator = new Thread(() => { while (!Volatile.Read(ref stop)) GC.KeepAlive(new byte[1000]); }) { IsBackground = true };
        int collections = GC.CollectionCount(0), calls = 0;
        allocator.Start();
        try
        {
            for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(2); calls++)
            {
                using var scope = NewDisposeScope();
                loss.call(x, y).backward();
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            allocator.Join();
        }
        Assert.True(GC.CollectionCount(0) - collections > calls / 10, $"{GC.CollectionCount(0) - collections} collections in {calls} calls: too few to test anything");
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

/// <summary>The allocating thread makes collections for every test running beside it: these tests run alone.</summary>
[CollectionDefinition(nameof(ScalarLifetimeCollection), DisableParallelization = true)]
public sealed class ScalarLifetimeCollection { }
