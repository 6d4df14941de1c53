using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Proxy.Traffic.Splitting;

/// <summary>
/// Chooses the cluster of one request: an override rule first, then the user's sticky bucket, then a weighted
/// random bucket. Runs on every request, so it takes no lock and allocates nothing (except the key of a new
/// sticky user, once).
/// </summary>
public static class SplitDecider
{
    /// <summary>
    /// Decides the cluster for a request against a route's snapshot and the bucket layout in force (configured or
    /// effective); <paramref name="random"/> draws the bucket when neither an override nor stickiness decides.
    /// </summary>
    public static SplitDecision Decide(HttpRequest request, SplitSnapshot snapshot, BucketLayout layout, RandomBucketSource random)
    {
        var definition = snapshot.Definition;
        var overrides = definition.Overrides;
        for (var i = 0; i < overrides.Count; i++)
        {
            var rule = overrides[i];
            if (TryRead(request, rule.Source == OverrideSource.Header ? rule.Name : null, rule.Source == OverrideSource.Cookie ? rule.Name : null, out var value)
                && rule.ValueLookup.TryGetValue(value, out var clusterId))
            {
                var index = snapshot.IndexOf(clusterId);
                if (index >= 0)
                {
                    return new SplitDecision(index, SplitDecisionKind.Override);
                }
            }
        }

        var sticky = definition.Sticky;
        if (sticky is null)
        {
            return new SplitDecision(layout.ClusterFor(random.Next()), SplitDecisionKind.Weight);
        }

        if (TryRead(request, sticky.KeyHeader, sticky.KeyCookie, out var key)
            || TryRead(request, null, sticky.CookieName, out key))
        {
            return new SplitDecision(layout.ClusterFor(StickyKeyHasher.BucketOf(key)), SplitDecisionKind.Sticky);
        }

        var newKey = Guid.NewGuid().ToString("N");
        return new SplitDecision(layout.ClusterFor(StickyKeyHasher.BucketOf(newKey)), SplitDecisionKind.Sticky, newKey);
    }

    private static bool TryRead(HttpRequest request, string? header, string? cookie, out ReadOnlySpan<char> value)
    {
        if (header is not null)
        {
            var values = request.Headers[header];
            if (values.Count > 0 && !string.IsNullOrEmpty(values[0]))
            {
                value = values[0].AsSpan();
                return true;
            }
        }

        if (cookie is not null)
        {
            return CookieHeaderReader.TryGetValue(request.Headers[HeaderNames.Cookie], cookie, out value);
        }

        value = default;
        return false;
    }
}
