using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Configuration;

/// <summary>
/// Guards the configuration files kept at their last good version (<see cref="LastGoodJsonFileProvider"/>): each new
/// version must pass every <see cref="IConfigurationCheck"/>, against the configuration as it would be, before any consumer
/// sees it; a refusal is logged, counted (<c>proxy.config.reloads</c>, refused) and shown (<see cref="TrafficSplitConfigState"/>).
/// </summary>
public sealed partial class ConfigurationFileGuard(
    IConfiguration configuration,
    IEnumerable<IConfigurationCheck> checks,
    TrafficSplitConfigState state,
    TrafficMetrics metrics,
    ILogger<ConfigurationFileGuard> logger)
{
    private LastGoodJsonFileProvider[] _files = [];

    /// <summary>Starts checking the files' new versions (after the first configuration is in force).</summary>
    public void Guard()
    {
        if (configuration is not IConfigurationRoot root)
        {
            return;
        }

        _files = [.. root.Providers.OfType<LastGoodJsonFileProvider>()];
        foreach (var file in _files)
        {
            file.Validate = candidate => Check(root, file, candidate);
            file.Refused += OnRefused;
            file.RefusalLifted += OnRefusalLifted;
        }

        state.Watching([.. _files.Select(f => f.Path)]);
    }

    /// <summary>Stops (at shutdown).</summary>
    public void Release()
    {
        foreach (var file in Interlocked.Exchange(ref _files, []))
        {
            file.Validate = null;
            file.Refused -= OnRefused;
            file.RefusalLifted -= OnRefusalLifted;
        }
    }

    private List<string> Check(IConfigurationRoot root, LastGoodJsonFileProvider file, IDictionary<string, string?> candidate)
    {
        using var view = CandidateConfiguration.Of(root, file, candidate);
        return [.. checks.SelectMany(check => check.Check(view))];
    }

    private void OnRefused(ConfigurationRefusal refusal)
    {
        metrics.RecordReload(applied: false);
        state.Refused(refusal);
        LogRefused(logger, refusal.Source, refusal.Errors.Count, string.Join("; ", refusal.Errors));
    }

    private void OnRefusalLifted()
    {
        state.RefusalLifted();
        LogRefusalLifted(logger);
    }

    [LoggerMessage(EventId = EventIds.ConfigurationFileRefused, Level = LogLevel.Error, Message = "Configuration file {File} refused ({Count} errors); the last good configuration (routes, clusters, splits, admin keys, everything from it) stays in force: {Errors}")]
    private static partial void LogRefused(ILogger logger, string file, int count, string errors);

    [LoggerMessage(EventId = EventIds.ConfigurationFileRefusalLifted, Level = LogLevel.Information, Message = "Configuration file refusal lifted: the file on disk is the version in force again")]
    private static partial void LogRefusalLifted(ILogger logger);
}
