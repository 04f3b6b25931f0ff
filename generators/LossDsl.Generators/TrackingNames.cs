namespace LossDsl.Generators;

/// <summary>Names of the pipeline steps, so tests can check each one is cached.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Owned = nameof(Owned);
    public const string Validate = nameof(Validate);
}
