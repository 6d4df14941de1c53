namespace Proxy.ChaosDriver;

/// <summary>An admin write the API acknowledged (2xx): the revision and split it answered with.</summary>
internal sealed record AcknowledgedChange(string Phase, string Admin, string Action, long Revision, string Stable, Dictionary<string, decimal> Weights, long AtMs)
{
    public RouteSplit Split => new(Stable, Weights);
}
