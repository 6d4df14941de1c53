namespace Proxy.Traffic.Events;

/// <summary>One event of the stream: its number, kind, the routes it concerns (none: every route) and its JSON data.</summary>
/// <param name="Sequence">Its number in this process's stream (1, 2, …); the SSE id is <c>{stream}-{sequence}</c>.</param>
/// <param name="Kind">One of <see cref="ProxyEventKinds.All"/>.</param>
/// <param name="Routes">The routes it is about; empty for events about the whole gateway (reloads, certificates, fleet).</param>
/// <param name="Data">The event's JSON, on one line.</param>
public sealed record ProxyEvent(long Sequence, string Kind, IReadOnlyList<string> Routes, string Data)
{
    /// <summary>True when the event concerns <paramref name="routeId"/> (or every route).</summary>
    public bool Concerns(string routeId)
    {
        if (Routes.Count == 0)
        {
            return true;
        }

        foreach (var route in Routes)
        {
            if (string.Equals(route, routeId, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
