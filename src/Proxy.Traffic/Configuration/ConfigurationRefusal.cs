namespace Proxy.Traffic.Configuration;

/// <summary>A version of a configuration source that was refused: when, which source, and every reason.</summary>
/// <param name="At">When it was refused.</param>
/// <param name="Source">The file (or section) refused.</param>
/// <param name="Errors">Why, each naming the file or the configuration path concerned.</param>
public sealed record ConfigurationRefusal(DateTimeOffset At, string Source, IReadOnlyList<string> Errors);
