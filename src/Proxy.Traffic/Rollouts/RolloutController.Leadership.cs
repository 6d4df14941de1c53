using Proxy.Traffic.State;

namespace Proxy.Traffic.Rollouts;

/// <summary>
/// Leadership of rollouts: with several instances, the one holding a rollout's lease drives it; it renews the lease on
/// every tick, gives it up when the rollout ends or the instance stops, and loses it when it stops renewing (a crash).
/// </summary>
public sealed partial class RolloutController
{
    /// <summary>
    /// Takes or renews the lease of an active rollout. Returns the rollout to drive (noting, with several instances, that
    /// this instance now leads it), or null while another instance leads it.
    /// </summary>
    private async Task<RolloutState?> LeadAsync(RolloutState rollout, CancellationToken cancellationToken)
    {
        if (!await _coordination.TryLeadAsync(rollout.RouteId, cancellationToken).ConfigureAwait(false))
        {
            _led.Remove(rollout.RouteId);
            return null;
        }

        if (!_led.Add(rollout.RouteId) || !_coordination.IsShared || rollout.Leader == _coordination.Instance)
        {
            return rollout;
        }

        var now = _time.GetUtcNow();
        var taken = (rollout with { Leader = _coordination.Instance }).WithEvent(
            now,
            rollout.Leader is { } previous
                ? $"instance {_coordination.Instance} took over from {previous} (its lease expired or was given up) at step {rollout.Step + 1}"
                : $"instance {_coordination.Instance} leads the rollout");
        LogLeading(_logger, rollout.RouteId, _coordination.Instance, rollout.Id, rollout.Step + 1);
        return await SaveAsync(taken).ConfigureAwait(false);
    }

    private async Task StopLeadingAsync(string routeId)
    {
        if (_led.Remove(routeId))
        {
            await _coordination.ReleaseAsync(routeId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Stops ticking and gives up this instance's leases, so that another instance continues its rollouts at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _hooks?.Stop();
        foreach (var routeId in _led.ToArray())
        {
            try
            {
                await _coordination.ReleaseAsync(routeId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is StateUnavailableException or OperationCanceledException)
            {
                // The lease expires by itself.
            }
        }
    }
}
