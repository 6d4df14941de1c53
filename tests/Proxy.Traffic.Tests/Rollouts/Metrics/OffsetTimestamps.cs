using Microsoft.Extensions.Time.Testing;

namespace Proxy.Traffic.Tests.Rollouts.Metrics;

/// <summary>The wall clock of a <see cref="FakeTimeProvider"/> with monotonic timestamps shifted, as another process's would be.</summary>
internal sealed class OffsetTimestamps(FakeTimeProvider time, long offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public override long TimestampFrequency => time.TimestampFrequency;

    public override long GetTimestamp() => time.GetTimestamp() + offset;
}
