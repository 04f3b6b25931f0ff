using System;
using System.Globalization;

namespace LossDsl.Experiments;

/// <summary>How the learning rate moves over a run after the warm-up.</summary>
public enum LearningRateSchedule
{
    /// <summary>The peak rate at every step after the warm-up.</summary>
    Constant,
    /// <summary>After the warm-up, a half cosine from the peak rate down to 0 at the end of the last epoch.</summary>
    Cosine,
}

/// <summary>The learning rate of each training step: a linear warm-up from 0 to the peak, then the schedule.</summary>
public static class Schedule
{
    /// <summary>The warm-up steps of a run of <paramref name="steps"/> steps at most.</summary>
    public static int WarmupSteps(double fraction, int steps) => fraction is >= 0 and < 1
        ? (int)Math.Round(fraction * steps)
        : throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The warm-up is a fraction of the run's steps, from 0 up to but not including 1.");

    /// <summary>The learning rate of step <paramref name="step"/> (0-based) of a run of <paramref name="steps"/> steps at most.</summary>
    public static double Rate(LearningRateSchedule schedule, double peak, double warmupFraction, int step, int steps)
    {
        int warmup = WarmupSteps(warmupFraction, steps);
        if (step < warmup) return peak * (step + 1) / warmup;
        return schedule switch
        {
            LearningRateSchedule.Constant => peak,
            // Over the n = steps − warmup steps after the warm-up: the first at the peak, the last at peak · (1 − cos(π / n)) / 2, near 0.
            LearningRateSchedule.Cosine => peak * (1 + Math.Cos(Math.PI * (step - warmup) / Math.Max(1, steps - warmup))) / 2,
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, null),
        };
    }

    /// <summary>The schedule in words, for the reports: "learning rate 0.01 (linear warm-up over 120 steps, then cosine to 0 at step 1200)".</summary>
    public static string Describe(LearningRateSchedule schedule, double peak, double warmupFraction, int steps)
    {
        int warmup = WarmupSteps(warmupFraction, steps);
        var warm = warmup > 0 ? string.Create(CultureInfo.InvariantCulture, $"linear warm-up over {warmup} steps, then ") : "";
        var shape = schedule == LearningRateSchedule.Cosine ? string.Create(CultureInfo.InvariantCulture, $"cosine to 0 at step {steps}") : "constant";
        return string.Create(CultureInfo.InvariantCulture, $"learning rate {peak} ({warm}{shape})");
    }
}
