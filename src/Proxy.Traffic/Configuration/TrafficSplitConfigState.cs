namespace Proxy.Traffic.Configuration;

/// <summary>What configuration is in force and whether the last reload was refused (shown by the admin API and logs).</summary>
public sealed class TrafficSplitConfigState
{
    private volatile Status _status = new(null, null, null, []);

    /// <summary>The header naming the serving cluster, or null when off.</summary>
    public string? ServedByHeader => _status.ServedByHeader;

    /// <summary>When the configuration in force was applied.</summary>
    public DateTimeOffset? AppliedAt => _status.AppliedAt;

    /// <summary>When the last reload was refused, if it was (cleared by the next good reload).</summary>
    public DateTimeOffset? RefusedAt => _status.RefusedAt;

    /// <summary>Why the last reload was refused.</summary>
    public IReadOnlyList<string> RefusalErrors => _status.RefusalErrors;

    internal void Applied(string? servedByHeader, DateTimeOffset at) => _status = new(servedByHeader, at, null, []);

    internal void Refused(IReadOnlyList<string> errors, DateTimeOffset at) => _status = _status with { RefusedAt = at, RefusalErrors = errors };

    private sealed record Status(string? ServedByHeader, DateTimeOffset? AppliedAt, DateTimeOffset? RefusedAt, IReadOnlyList<string> RefusalErrors);
}
