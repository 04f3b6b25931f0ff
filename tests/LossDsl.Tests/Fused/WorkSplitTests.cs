using System;
using System.Threading;
using LossDsl.Fused;
using LossDsl.Tests.Losses;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests;

/// <summary>
/// A kernel that throws inside a work item: the call must not return (or throw) while another thread is still inside
/// one, since the items read memory the caller frees next, and no item may start after it; on libtorch's OpenMP team
/// and on the library's own helper threads.
/// </summary>
[Collection(nameof(KernelThreadsCollection))]
public class WorkSplitTests
{
    [Fact]
    public void PassesRunOnLibtorchsOpenMpTeamOnLinux() =>
        // libtorch loads libgomp on Linux; without the team a pass's helper waits behind libtorch's spinning worker.
        Assert.Equal(OperatingSystem.IsLinux(), OpenMpTeam.Available);

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void AThrowingWorkItemLetsNoOtherRunOnceTheCallIsOver(bool callerThrows, bool openMp)
    {
        int regions = OpenMpTeam.Regions;
        using (ThreadSettings.Set(kernelThreads: 2, torchThreads: 2, openMp)) // the team's size: another goes to the helpers
        {
            using var module = new PlainFocal();
            using var scope = NewDisposeScope();
            // 4 samples × 2 bands of 64 rows: 8 work items, enough cells for two threads.
            var x = randn(4, 128, 128).requires_grad_(true);
            var y = zeros(4, 128, 128);
            ThrowingKernel.Arm(callerThrows);
            var e = Assert.Throws<InvalidOperationException>(() => FusedLoss.Run<ThrowingKernel>(x, y, null, module));
            int inside = ThrowingKernel.Inside, calls = ThrowingKernel.Calls;
            Thread.Sleep(200); // a helper still at work, or one that woke late, would call the kernel again
            Assert.True(ThrowingKernel.HelperCame, "no helper thread took an item");
            Assert.Equal(ThrowingKernel.Message, e.Message);
            Assert.Equal(0, inside);
            Assert.Equal(calls, ThrowingKernel.Calls);
            Assert.Equal(WorkSplit.UseOpenMpTeam, OpenMpTeam.Regions > regions);
        }
    }

    public static TheoryData<string> Losses => GradientMemoryTests.Losses;

    /// <summary>Sums are added per work item in a fixed order: one thread, the OpenMP team and the helpers give the same bits.</summary>
    [Theory]
    [MemberData(nameof(Losses))]
    public void ThreadsDoNotChangeTheResult(string name)
    {
        using (ThreadSettings.Set(kernelThreads: 1, torchThreads: 2, openMp: false))
        {
            using var loss = TestLoss.Named(name, fused: true);
            using var scope = NewDisposeScope();
            manual_seed(3);
            var x = randn(2, 1, 200, 200).requires_grad_(true); // 2 samples × 4 bands: 8 work items
            var y = rand(2, 1, 200, 200) < 0.05;
            (double Value, Tensor Gradient) Run(int count, bool openMp)
            {
                FusedLoss.MaxThreads = count;
                WorkSplit.UseOpenMpTeam = openMp && OpenMpTeam.Available;
                using var value = loss.call(x, y);
                return (value.item<float>(), autograd.grad(new[] { value }, new[] { x })[0]);
            }
            var one = Run(1, false);
            foreach (var (value, gradient) in new[] { Run(2, true), Run(2, false) })
            {
                Assert.Equal(one.Value, value);
                Assert.True(gradient.eq(one.Gradient).all().item<bool>());
            }
        }
    }

    [Fact]
    public void APassOfAnotherSizeThanLibtorchsTeamGoesToTheHelpers()
    {
        int regions = OpenMpTeam.Regions;
        using (ThreadSettings.Set(kernelThreads: 2, torchThreads: 1, openMp: true))
        {
            using var loss = new PlainFocal();
            using var scope = NewDisposeScope();
            var x = randn(4, 128, 128).requires_grad_(true);
            loss.call(x, zeros(4, 128, 128)).backward();
            Assert.Equal(regions, OpenMpTeam.Regions);
            Assert.True(x.grad is { } g && g.isfinite().all().item<bool>());
        }
    }

    /// <summary>Kernel threads, libtorch's threads and the team switch for one test, put back as they were on dispose.</summary>
    private sealed class ThreadSettings : IDisposable
    {
        private readonly int _kernelThreads = FusedLoss.MaxThreads, _torchThreads = get_num_threads();
        private readonly bool _openMp = WorkSplit.UseOpenMpTeam;

        public static ThreadSettings Set(int kernelThreads, int torchThreads, bool openMp)
        {
            var saved = new ThreadSettings();
            FusedLoss.MaxThreads = kernelThreads;
            set_num_threads(torchThreads);
            WorkSplit.UseOpenMpTeam = openMp && OpenMpTeam.Available;
            return saved;
        }

        public void Dispose()
        {
            FusedLoss.MaxThreads = _kernelThreads;
            set_num_threads(_torchThreads);
            WorkSplit.UseOpenMpTeam = _openMp;
        }
    }

    /// <summary>Cells only; the thread that is to fail waits until the other one is inside an item, then throws.</summary>
    private readonly struct ThrowingKernel : IFusedKernel
    {
        public const string Message = "a work item failed";
        private static int s_caller, s_inside, s_calls, s_helperCame;
        private static bool s_callerThrows;

        public static int Inside => Volatile.Read(ref s_inside);
        public static int Calls => Volatile.Read(ref s_calls);
        public static bool HelperCame => Volatile.Read(ref s_helperCame) != 0;

        public static void Arm(bool callerThrows)
        {
            s_caller = Environment.CurrentManagedThreadId;
            s_callerThrows = callerThrows;
            s_inside = s_calls = s_helperCame = 0;
        }

        public static FusedWalk Walk => FusedWalk.Cells;
        public static Region Region => new(MapHalf.Both);
        public static int ConsistencySeparation => 0;
        public static bool ReadsMirroredTargets => false;
        public static int ValueCount => 1;
        public static int RegionSumCount => 0;
        public static int CoefficientCount => 0;
        public static bool SumReduction => false;

        public static void Cells<T, TGradient, TWeights>(ref FusedSegment<T> s) where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T> where TGradient : IGradientChoice where TWeights : IWeightChoice
        {
            Interlocked.Increment(ref s_inside);
            Interlocked.Increment(ref s_calls);
            try
            {
                bool onCaller = Environment.CurrentManagedThreadId == s_caller;
                bool firstOnHelper = !onCaller && Interlocked.Exchange(ref s_helperCame, 1) == 0;
                if (onCaller) SpinWait.SpinUntil(() => HelperCame, TimeSpan.FromSeconds(10));
                if (onCaller == s_callerThrows) throw new InvalidOperationException(Message);
                if (firstOnHelper) Thread.Sleep(300); // busy while the caller fails
                s.G.Clear();
            }
            finally { Interlocked.Decrement(ref s_inside); }
        }

        public static double Total(ReadOnlySpan<double> values, double elementwiseScale, double consistencyScale) => 0;
        public static int TermCount => 1;
        public static void TermValues(ReadOnlySpan<double> values, ReadOnlySpan<double> sums, int samples, double elementwiseScale, double consistencyScale, Span<double> terms) { }
    }
}

/// <summary>Tests that set <see cref="FusedLoss.MaxThreads"/> run one at a time.</summary>
[CollectionDefinition(nameof(KernelThreadsCollection), DisableParallelization = true)]
public class KernelThreadsCollection { }
