using System.Diagnostics;

namespace LossDsl.Generators.Emitting;

/// <summary>The default arm of a switch over a closed set: it fails in debug builds, as System.Text.Json's emitter does.</summary>
internal static class Unexpected
{
    public static T Value<T>(object value, T fallback)
    {
        Debug.Fail($"Unexpected {value.GetType().Name} '{value}'.");
        return fallback;
    }
}
