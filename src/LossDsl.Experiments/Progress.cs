using System;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace LossDsl.Experiments;

/// <summary>Receives progress while a comparison runs.</summary>
public interface IComparisonProgress
{
    /// <summary>The comparison starts <paramref name="runs"/> runs of at most <paramref name="epochs"/> epochs.</summary>
    void Start(int runs, int epochs);
    /// <summary>A run starts training.</summary>
    void RunStarted(Candidate option, int seed);
    /// <summary>An epoch ended with this mean training loss and validation AUPRC.</summary>
    void EpochDone(Candidate option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds);
    /// <summary>A run is finished: trained now, or loaded from an earlier attempt.</summary>
    void RunDone(Candidate option, RunRecord run);
}

/// <summary>No progress output.</summary>
public sealed class SilentProgress : IComparisonProgress
{
    /// <inheritdoc />
    public void Start(int runs, int epochs) { }
    /// <inheritdoc />
    public void RunStarted(Candidate option, int seed) { }
    /// <inheritdoc />
    public void EpochDone(Candidate option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds) { }
    /// <inheritdoc />
    public void RunDone(Candidate option, RunRecord run) { }
}

/// <summary>Progress on the console: Spectre.Console bars on a terminal, plain time-stamped lines when the output is redirected.</summary>
public static class ConsoleProgress
{
    /// <summary>Runs <paramref name="body"/> with progress on the console, headed <paramref name="title"/>.</summary>
    public static T Show<T>(string title, Func<IComparisonProgress, T> body)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) return body(new Lines(title));
        T result = default!;
        AnsiConsole.Progress().HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => result = body(new Bars(context, title)));
        return result;
    }

    private static string Summary(RunRecord run) => string.Create(CultureInfo.InvariantCulture,
        $"best epoch {run.BestEpoch}, validation AUPRC {run.ValidationAuprc[run.BestEpoch - 1]:F3}");

    private sealed class Bars(ProgressContext context, string title) : IComparisonProgress
    {
        private ProgressTask? _all, _run;
        private int _epochs;

        public void Start(int runs, int epochs)
        {
            _epochs = epochs;
            _all = context.AddTask($"[bold]{Markup.Escape(title)}: {runs} runs[/]", maxValue: runs);
        }

        public void RunStarted(Candidate option, int seed) => _run = context.AddTask($"{Markup.Escape(option.Label)}, seed {seed}", maxValue: _epochs);

        public void EpochDone(Candidate option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds)
        {
            if (_run is null) return;
            _run.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{option.Label}, seed {seed}: epoch {epoch}, loss {trainLoss:G4}, val AUPRC {validationAuprc:F3}"));
            _run.Increment(1);
        }

        public void RunDone(Candidate option, RunRecord run)
        {
            _run?.StopTask();
            _run = null;
            _all?.Increment(1);
        }
    }

    private sealed class Lines(string title) : IComparisonProgress
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _runs, _done;

        private void Say(string text) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed:hh\\:mm\\:ss}] {title} {text}"));

        public void Start(int runs, int epochs) => (_runs, _done) = (runs, 0);

        public void RunStarted(Candidate option, int seed) => Say($"run {_done + 1}/{_runs}: {option.Label}, seed {seed}");

        public void EpochDone(Candidate option, int seed, int epoch, double trainLoss, double validationAuprc, double seconds) =>
            Say(string.Create(CultureInfo.InvariantCulture, $"  {option.Key} seed {seed} epoch {epoch}: loss {trainLoss:G4}, val AUPRC {validationAuprc:F3} ({seconds:F1} s)"));

        public void RunDone(Candidate option, RunRecord run)
        {
            _done++;
            Say($"  {option.Key} seed {run.Seed} done ({_done}/{_runs}): {Summary(run)}");
        }
    }
}
