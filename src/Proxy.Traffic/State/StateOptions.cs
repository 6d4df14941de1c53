using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.State;

/// <summary>The <c>State</c> section: where runtime split changes and their audit trail are kept.</summary>
public sealed class StateOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "State";

    /// <summary><c>Sqlite</c> (default: one durable file), <c>Redis</c> (shared by several gateway instances) or <c>InMemory</c> (nothing survives a restart).</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>Settings of the SQLite provider.</summary>
    public SqliteStateOptions Sqlite { get; set; } = new();

    /// <summary>Settings of the Redis provider.</summary>
    public RedisStateOptions Redis { get; set; } = new();

    /// <summary>The name of the SQLite provider.</summary>
    public const string SqliteProvider = "Sqlite";

    /// <summary>The name of the in-memory provider.</summary>
    public const string InMemoryProvider = "InMemory";

    /// <summary>The name of the Redis provider.</summary>
    public const string RedisProvider = "Redis";

    /// <summary>True when <see cref="Provider"/> names <paramref name="provider"/> (names compare case-insensitively).</summary>
    internal bool Uses(string provider) => string.Equals(Provider, provider, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The <c>State:Sqlite</c> section.</summary>
public sealed class SqliteStateOptions
{
    /// <summary>The database file; a relative path is resolved against the content root (the working directory by default).</summary>
    public string Path { get; set; } = "data/proxy-state.db";
}
