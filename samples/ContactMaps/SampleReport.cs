using System;
using System.Globalization;
using LossDsl.Experiments;

namespace ContactMaps;

/// <summary>The words of the sample's reports: the inputs, the data and the network; the tables come from <see cref="LossDsl.Experiments.Report"/>.</summary>
public static class SampleReport
{
    /// <summary>The inputs in words.</summary>
    public static string Describe(Inputs inputs) => inputs switch
    {
        Inputs.Denoise => "denoise: a noisy (σ = 3 Å), partly hidden Cβ distance channel and a noisy secondary-structure profile",
        Inputs.Predict => "predict: sequence and secondary structure (DSSP, 3 states) only, no coordinates",
        _ => throw new ArgumentOutOfRangeException(nameof(inputs), inputs, null),
    };

    /// <summary>The data, the training crops and the network in a paragraph.</summary>
    public static string Describe(ExperimentConfig c, Inputs inputs, DataSummary d)
    {
        var hidden = inputs == Inputs.Denoise ? FormattableString.Invariant($"; {d.HiddenFraction:P0} of the distance channel is hidden") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"Inputs: {Describe(inputs)}. Data: {d.Train} training, {d.Validation} validation and {d.Test} test chains (disjoint at 40 % identity) " +
            $"of length {d.MinLength}–{d.MaxLength} (mean {d.MeanLength:F0}); {d.Density:P1} of the pairs with |i − j| ≥ 6 are contacts{hidden}. " +
            $"A training step is {c.BatchSize} random {c.Crop} × {c.Crop} diagonal crops; the network is a residual CNN with {c.Channels} channels × {c.Blocks} blocks; test chains are scored whole.");
    }

    /// <summary>The report's words for one input.</summary>
    public static ReportText Text(ExperimentConfig config, Inputs inputs, DataSummary summary, string? what = null) =>
        new($"ContactMaps results: {inputs.ToString().ToLowerInvariant()}{what}", config.CommandLine, Describe(config, inputs, summary));
}
