namespace Proxy.ChaosDriver;

/// <summary>The route and clusters of bench/chaos/gateway.json.</summary>
internal static class Topology
{
    public const string Blue = "chaos-blue";
    public const string Green = "chaos-green";
    public const string Canary = "chaos-canary";
    public static readonly string[] Clusters = [Blue, Green, Canary];
}
