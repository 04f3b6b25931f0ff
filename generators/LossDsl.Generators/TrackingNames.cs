namespace LossDsl.Generators;

/// <summary>
/// Names of the pipeline steps, so tests can check each one is cached (tests/LossDsl.Tests/Generator/IncrementalTests.cs).
/// Every step the generator adds carries one of these names.
/// </summary>
internal static class TrackingNames
{
    /// <summary>The syntax provider's transform: a <see cref="ParsedLoss"/> for the declaration that owns its class, else null.</summary>
    public const string Parse = nameof(Parse);

    /// <summary>The owning sightings only (nulls dropped).</summary>
    public const string Owned = nameof(Owned);

    /// <summary>Each class validated: <see cref="ValidatedLoss"/>.</summary>
    public const string Validate = nameof(Validate);

    /// <summary>The <see cref="LossSpec"/> of each valid class: the input of the emit output.</summary>
    public const string Spec = nameof(Spec);

    /// <summary>The diagnostics of each class that has any.</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>
    /// Those diagnostics paired with the compilation, so they can be reported in its syntax trees. This step (and the
    /// report output after it) re-runs with every new compilation by design; it holds the compilation, and only classes
    /// with diagnostics reach it.
    /// </summary>
    public const string DiagnosticsWithCompilation = nameof(DiagnosticsWithCompilation);
}
