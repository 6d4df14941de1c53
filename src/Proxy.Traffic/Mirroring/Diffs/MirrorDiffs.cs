using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Proxy.Traffic.Telemetry;

using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>
/// A route's answer comparison since its mirror settings were applied: per endpoint, what differed between the primary's
/// and the mirror's answers, and what differed between two primary answers (noise). Memory is bounded by the settings'
/// limits on bodies held, endpoints and fields; what is given up is counted.
/// </summary>
public sealed class MirrorDiffs
{
    /// <summary>The endpoint that requests of endpoints beyond the limit are counted in.</summary>
    public const string OtherEndpoint = "(other)";

    private const int TopFields = 20;

    private readonly string _routeId;
    private readonly string _mirrorCluster;
    private readonly ConcurrentDictionary<string, EndpointDiffs> _endpoints = new(StringComparer.Ordinal);
    private readonly long[] _notCompared = new long[Enum.GetValues<NotComparedReason>().Length];
    private readonly EndpointDiffs _other;
    private long _noiseCopies;
    private long _noiseFailed;
    private long _otherRequests;
    private long _truncated;

    public MirrorDiffs(string routeId, string mirrorCluster, MirrorDiffSettings settings)
    {
        _routeId = routeId;
        _mirrorCluster = mirrorCluster;
        Rules = new DiffRules(settings);
        Memory = new DiffMemory(settings.MaxMemoryBytes);
        _other = new EndpointDiffs(OtherEndpoint, settings.MaxFields);
    }

    /// <summary>True when answers are captured and compared.</summary>
    public bool Enabled => Rules.Settings.Enabled;

    internal DiffRules Rules { get; }

    internal DiffMemory Memory { get; }

    /// <summary>Requests compared and those that differed beyond noise, over every endpoint.</summary>
    public (long Compared, long Differing) Rate()
    {
        long compared = 0, differing = 0;
        foreach (var endpoint in _endpoints.Values.Append(_other))
        {
            var (c, d) = endpoint.Rate();
            compared += c;
            differing += d;
        }

        return (compared, differing);
    }

    /// <summary>The report: totals, then each endpoint, most differing first.</summary>
    public MirrorDiffReport Report()
    {
        var endpoints = _endpoints.Values.Append(_other).Select(e => e.Report(TopFields)).Where(e => e.Compared > 0)
            .OrderByDescending(e => e.Differing).ThenByDescending(e => e.Compared).ThenBy(e => e.Endpoint, StringComparer.Ordinal).ToArray();
        return new MirrorDiffReport(
            endpoints.Sum(e => e.Compared),
            endpoints.Sum(e => e.Differing),
            Enum.GetValues<NotComparedReason>().ToDictionary(r => r, r => Interlocked.Read(ref _notCompared[(int)r])),
            Interlocked.Read(ref _noiseCopies),
            Interlocked.Read(ref _noiseFailed),
            Interlocked.Read(ref _otherRequests),
            endpoints.Sum(e => e.DroppedFields),
            Interlocked.Read(ref _truncated),
            Memory.Used,
            endpoints);
    }

    /// <summary>The answers of one mirrored request, or null when answers are not compared. Called on mirrored requests only.</summary>
    internal ExchangeAnswers? Start(HttpContext context, MirrorDiffMetrics metrics, RandomBucketSource random)
    {
        if (!Enabled)
        {
            return null;
        }

        var noise = Rules.Settings.NoiseBasisPoints > 0 && random.Next() < Rules.Settings.NoiseBasisPoints;
        return new ExchangeAnswers(this, metrics, EndpointTemplate.Of(context.Request.Method, context.Request.Path.Value), noise);
    }

    internal void NotCompared(NotComparedReason reason) => Interlocked.Increment(ref _notCompared[(int)reason]);

    /// <summary>Compares the answers of one request (on the thread pool) and records what differed.</summary>
    internal void Record(string endpoint, CapturedAnswer primary, CapturedAnswer mirror, CapturedAnswer? second, MirrorDiffMetrics metrics)
    {
        var candidate = new AnswerDifferences();
        if (AnswerComparer.Compare(primary, mirror, Rules, candidate) is { } problem)
        {
            NotCompared(problem);
            return;
        }

        AnswerDifferences? noise = null;
        if (second is not null)
        {
            noise = new AnswerDifferences();
            if (AnswerComparer.Compare(primary, second, Rules, noise) is not null)
            {
                Interlocked.Increment(ref _noiseFailed);
                noise = null;
            }
        }

        Interlocked.Add(ref _truncated, candidate.Truncated + (noise?.Truncated ?? 0));
        var diffs = Endpoint(endpoint);
        foreach (var field in diffs.Record(candidate.Items, noise?.Items))
        {
            metrics.RecordDifference(_routeId, _mirrorCluster, diffs.Name, field);
        }
    }

    internal void NoiseFailed() => Interlocked.Increment(ref _noiseFailed);

    internal void NoiseSent() => Interlocked.Increment(ref _noiseCopies);

    private EndpointDiffs Endpoint(string name)
    {
        if (_endpoints.TryGetValue(name, out var endpoint))
        {
            return endpoint;
        }

        // A race may let a few more in than the limit; the bound holds within that.
        if (_endpoints.Count >= Rules.Settings.MaxEndpoints)
        {
            Interlocked.Increment(ref _otherRequests);
            return _other;
        }

        return _endpoints.GetOrAdd(name, n => new EndpointDiffs(n, Rules.Settings.MaxFields));
    }
}
