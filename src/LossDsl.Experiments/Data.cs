using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Experiments;

/// <summary>One training step's batch: inputs <c>(B, C, N, N)</c>, targets <c>(B, N, N)</c> of 0/1, and optionally the valid cells <c>(B, N, N)</c>. Disposed by the comparison after the step.</summary>
public sealed record TrainingBatch(Tensor Input, Tensor Target, Tensor? Valid = null) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Input.Dispose();
        Target.Dispose();
        Valid?.Dispose();
    }
}

/// <summary>
/// One whole map to validate or test on. <paramref name="Input"/> makes its <c>(C, N, N)</c> input when asked (so a
/// large test set need not sit in memory), <c>N ≥ L</c> if padded (the top-left <c>L × L</c> of the output is scored);
/// <paramref name="Target"/> is its <c>L × L</c> 0/1 map; <paramref name="Valid"/>
/// marks the cells that count (unknown cells false), null for all. Cells closer to the diagonal than the scoring's
/// <see cref="Scoring.MinSeparation"/> never count.
/// </summary>
public sealed record MapSample(string Name, Func<Tensor> Input, Tensor Target, Tensor? Valid = null)
{
    /// <summary>The map's side L.</summary>
    public int Length => (int)Target.shape[^1];
}

/// <summary>What a comparison trains and tests on: the user's data and network.</summary>
public sealed class ComparisonData
{
    /// <summary>The batch of a training seed and a step (0-based, counted over the whole run). The same (seed, step) must give the
    /// same batch every time: that is what pairs the options and lets an interrupted run resume.</summary>
    public required Func<int, int, TrainingBatch> Batches { get; init; }

    /// <summary>Early stopping, thresholds and the better half are chosen on these.</summary>
    public required IReadOnlyList<MapSample> Validation { get; init; }

    /// <summary>The tables are computed on these.</summary>
    public required IReadOnlyList<MapSample> Test { get; init; }

    /// <summary>Anything about the data or the network that the runs depend on beyond the sample counts (sizes, file names,
    /// versions), in words. A folder whose runs were made under another identity is refused rather than resumed.</summary>
    public string Identity { get; init; } = "";

    /// <summary>A fresh network for a training seed, mapping <c>(B, C, N, N)</c> inputs to <c>(B, N, N)</c> logits. The comparison calls
    /// <c>torch.manual_seed(seed)</c> first, so every option starts from the same weights under a seed; torch's generator is global,
    /// so nothing else in the process should draw from it while a comparison runs.</summary>
    public required Func<int, nn.Module<Tensor, Tensor>> Model { get; init; }

    /// <summary>How the maps are scored: the cells, the metrics and the headline. Saved with the runs.</summary>
    public Scoring Scoring { get; init; } = Scoring.ContactMaps;
}

/// <summary>The training schedule, the same for every option, and the seeds.</summary>
public sealed record ComparisonSettings
{
    /// <summary>Training seeds 1 … Seeds, paired across options. Three is the fewest that can decide; five or more are better.</summary>
    public int Seeds { get; init; } = 3;
    /// <summary>Training steps between two validations (an "epoch").</summary>
    public int StepsPerEpoch { get; init; } = 10;
    /// <summary>The most epochs a run trains; the schedule spans MaxEpochs × StepsPerEpoch steps.</summary>
    public int MaxEpochs { get; init; } = 3;
    /// <summary>Epochs every run trains before early stopping may stop it.</summary>
    public int MinEpochs { get; init; } = 3;
    /// <summary>Early stopping: a run stops after this many epochs without a better validation AUPRC, and keeps its best weights.</summary>
    public int Patience { get; init; } = 2;
    /// <summary>Adam's peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-2;
    /// <summary>The fraction of the run's steps spent in a linear warm-up from 0 to the peak.</summary>
    public double WarmupFraction { get; init; } = 0.1;
    /// <summary>The learning rate after the warm-up.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;
    /// <summary>Whether to add the A/A control: the baseline trained under seeds offset by <see cref="ControlSeedOffset"/>.</summary>
    public bool Control { get; init; }
    /// <summary>The seed offset of the A/A control.</summary>
    public int ControlSeedOffset { get; init; } = 1000;

    /// <summary>The total steps of a run.</summary>
    public int TotalSteps => MaxEpochs * StepsPerEpoch;

    /// <summary>Throws on settings that cannot run.</summary>
    public void Validate()
    {
        if (Seeds < 1 || StepsPerEpoch < 1 || MaxEpochs < 1 || MinEpochs < 0 || Patience < 0)
            throw new ArgumentException($"Seeds, StepsPerEpoch and MaxEpochs must be at least 1, MinEpochs and Patience at least 0 (got {this}).");
        if (!(LearningRate > 0)) throw new ArgumentException($"LearningRate must be positive (got {LearningRate}).");
        LossDsl.Experiments.Schedule.WarmupSteps(WarmupFraction, TotalSteps);
    }
}
