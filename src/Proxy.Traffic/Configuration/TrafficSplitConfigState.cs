namespace Proxy.Traffic.Configuration;

/// <summary>What configuration is in force and whether its latest version was refused (shown by the admin API and logs).</summary>
public sealed class TrafficSplitConfigState
{
    private volatile Status _status = new(null, null, null, null, []);

    /// <summary>The header naming the serving cluster, or null when off.</summary>
    public string? ServedByHeader => _status.ServedByHeader;

    /// <summary>When the configuration in force was applied.</summary>
    public DateTimeOffset? AppliedAt => _status.AppliedAt;

    /// <summary>When the configuration's latest version was refused, if it was (cleared once a good version is in force again).</summary>
    public DateTimeOffset? RefusedAt => _status.Refusal?.At;

    /// <summary>Why the latest version was refused.</summary>
    public IReadOnlyList<string> RefusalErrors => _status.Refusal?.Errors ?? [];

    /// <summary>The refusal in force now: the configuration on disk is not the one in force. Null otherwise.</summary>
    public ConfigurationRefusal? Refusal => _status.Refusal;

    /// <summary>The latest refusal ever, kept after it is lifted so that a short-lived one can still be seen.</summary>
    public ConfigurationRefusal? LastRefusal => _status.LastRefusal;

    /// <summary>The configuration files that are kept at their last good version (<see cref="LastGoodJsonFileSource"/>).</summary>
    public IReadOnlyList<string> Files => _status.Files;

    /// <summary>Raised after the configuration was applied (at start-up and on each good reload).</summary>
    public event Action<DateTimeOffset>? ConfigurationApplied;

    /// <summary>Raised after a version of the configuration was refused.</summary>
    public event Action<ConfigurationRefusal>? ConfigurationRefused;

    // A file's refusal outlives a re-apply of the configuration in force (another source reloaded); only the file lifts it.
    internal void Applied(string? servedByHeader, DateTimeOffset at)
    {
        _status = _status with
        {
            ServedByHeader = servedByHeader,
            AppliedAt = at,
            Refusal = _status.Refusal?.Source == TrafficSplitOptions.SectionName ? null : _status.Refusal,
        };
        ConfigurationApplied?.Invoke(at);
    }

    internal void Refused(ConfigurationRefusal refusal)
    {
        _status = _status with { Refusal = refusal, LastRefusal = refusal };
        ConfigurationRefused?.Invoke(refusal);
    }

    internal void Refused(IReadOnlyList<string> errors, DateTimeOffset at) => Refused(new ConfigurationRefusal(at, TrafficSplitOptions.SectionName, errors));

    /// <summary>The refused file's version on disk is in force (again): nothing is refused any more.</summary>
    internal void RefusalLifted() => _status = _status with { Refusal = null };

    internal void Watching(IReadOnlyList<string> files) => _status = _status with { Files = files };

    private sealed record Status(string? ServedByHeader, DateTimeOffset? AppliedAt, ConfigurationRefusal? Refusal, ConfigurationRefusal? LastRefusal, IReadOnlyList<string> Files);
}
