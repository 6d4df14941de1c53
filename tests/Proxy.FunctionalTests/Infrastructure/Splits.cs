namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>Builds TrafficSplit sections for tests.</summary>
public static class Splits
{
    public static object Route(string stable, Dictionary<string, decimal> weights, object? sticky = null, object[]? overrides = null, string? servedByHeader = null) => new
    {
        ServedByHeader = servedByHeader,
        Routes = new Dictionary<string, object>
        {
            ["shop"] = new { Stable = stable, Weights = weights, Sticky = sticky, Overrides = overrides ?? [] },
        },
    };
}
