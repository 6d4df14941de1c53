using Microsoft.Extensions.Diagnostics.HealthChecks;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Admin;

/// <summary>Ready when the traffic split configuration has been applied and the state repository answers (degraded, still ready, when a shared one is down).</summary>
public sealed class StateReadinessCheck(TrafficSplitConfigState configState, IStateRepository repository) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (configState.AppliedAt is null)
        {
            return HealthCheckResult.Unhealthy("The traffic split configuration has not been applied yet.");
        }

        try
        {
            await repository.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (StateUnavailableException ex)
        {
            // A shared store that is down leaves the gateway serving its last applied splits (fail static): still ready for
            // traffic, or a Redis outage would take every instance out of the balancer at once.
            return HealthCheckResult.Degraded("The shared state repository cannot be reached: serving the last applied splits.", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The state repository cannot be reached.", ex);
        }
    }
}
