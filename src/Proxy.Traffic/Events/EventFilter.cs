using System.Collections.Frozen;

namespace Proxy.Traffic.Events;

/// <summary>What one client asked for: <c>?route=</c> (its events and the gateway-wide ones) and <c>?kinds=</c>.</summary>
/// <param name="Route">Only events about this route (and those about every route); null: all.</param>
/// <param name="Kinds">Only these kinds; null: all.</param>
public sealed record EventFilter(string? Route, FrozenSet<string>? Kinds)
{
    /// <summary>Everything.</summary>
    public static readonly EventFilter None = new(null, null);

    /// <summary>True when the client wants <paramref name="event"/>.</summary>
    public bool Matches(ProxyEvent @event) =>
        (Kinds is null || Kinds.Contains(@event.Kind)) && (Route is null || @event.Concerns(Route));
}
