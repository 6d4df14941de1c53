using System.Globalization;
using System.Text.Json.Nodes;

namespace Proxy.ChaosDriver;

/// <summary>A route's stable cluster and weights, as the admin API shows them; clusters it leaves out have 0.</summary>
internal sealed record RouteSplit(string Stable, IReadOnlyDictionary<string, decimal> Weights)
{
    public static RouteSplit? From(JsonNode? node)
    {
        if (node?["stable"]?.GetValue<string>() is not { } stable || node["weights"] is not JsonObject weights)
        {
            return null;
        }

        return new RouteSplit(stable, weights.ToDictionary(w => w.Key, w => w.Value!.GetValue<decimal>(), StringComparer.Ordinal));
    }

    public bool SameAs(RouteSplit other) =>
        Stable == other.Stable
        && Weights.Keys.Union(other.Weights.Keys).All(k => Weights.GetValueOrDefault(k) == other.Weights.GetValueOrDefault(k));

    public override string ToString() =>
        $"{Stable} [{string.Join(' ', Weights.Where(w => w.Value != 0).OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Key}={w.Value}")))}]";
}
