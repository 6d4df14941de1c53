using Microsoft.Extensions.Configuration;

namespace Proxy.Traffic.Configuration;

/// <summary>
/// A JSON configuration file that is refused, not emptied, when it goes missing, unreadable, half-written, unparsable,
/// empty or invalid: its last good content stays in force (see <see cref="LastGoodJsonFileProvider"/>).
/// </summary>
public sealed class LastGoodJsonFileSource : IConfigurationSource
{
    /// <summary>The file's full path (a symbolic link is followed at every read, as a Kubernetes ConfigMap mount needs).</summary>
    public required string Path { get; init; }

    /// <summary>How often the file is read for changes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a changed content must stay the same before it is judged (a save in progress is not judged half-way).</summary>
    public TimeSpan SettleDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The clock of the polling.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new LastGoodJsonFileProvider(this);
}

/// <summary>Adds a <see cref="LastGoodJsonFileSource"/>.</summary>
public static class LastGoodJsonFileExtensions
{
    /// <summary>
    /// Adds a JSON file that must exist and parse at start-up, and whose later versions apply only when they read, parse and
    /// validate; anything else is refused and the last good content stays (unlike <c>AddJsonFile</c>, which empties).
    /// </summary>
    public static IConfigurationBuilder AddLastGoodJsonFile(this IConfigurationBuilder builder, string path) =>
        builder.Add(new LastGoodJsonFileSource { Path = System.IO.Path.GetFullPath(path) });
}
