namespace Proxy.Traffic.State;

/// <summary>Where the instances of a fleet leave their <see cref="InstanceReport"/> for each other; reports of silent instances expire.</summary>
public interface IInstanceReportStore
{
    /// <summary>Stores this instance's latest report, kept for <paramref name="timeToLive"/>.</summary>
    Task ReportAsync(InstanceReport report, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>The latest report of every instance heard from within its time to live.</summary>
    Task<IReadOnlyList<InstanceReport>> GetReportsAsync(CancellationToken cancellationToken);
}
