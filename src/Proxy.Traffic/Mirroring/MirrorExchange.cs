using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Mirroring;

/// <summary>
/// One mirrored request: holds a slot of the route's concurrency limit until the copy ends, and records the comparison
/// once both sides are known, whichever finishes last. Lock-free: the last of the two to finish does the recording.
/// </summary>
internal sealed class MirrorExchange(MirroredRoute route, MirrorMetrics metrics)
{
    private int _pending = 2;
    private int _primaryStatus;
    private bool _primaryAnswered;
    private TimeSpan _primaryLatency;
    private int? _mirrorStatus;
    private TimeSpan? _mirrorLatency;
    private bool _timedOut;

    public MirroredRoute Route => route;

    /// <summary>The copy is on its way.</summary>
    public void Sent()
    {
        route.Comparison.RecordSent();
        metrics.RecordSent(route);
    }

    /// <summary>The copy was never sent: the slot is freed and the drop counted.</summary>
    public void Dropped(MirrorDropReason reason)
    {
        route.Comparison.Exit();
        route.Comparison.RecordDrop(reason);
        metrics.RecordDrop(route, reason);
    }

    /// <summary>The primary's answer is complete; <paramref name="answered"/> is false when no upstream produced it.</summary>
    public void PrimaryCompleted(int statusCode, TimeSpan latency, bool answered)
    {
        _primaryStatus = statusCode;
        _primaryAnswered = answered;
        _primaryLatency = latency;
        Arrive();
    }

    /// <summary>The copy ended: answered (status), failed (null) or timed out.</summary>
    public void MirrorCompleted(int? statusCode, TimeSpan latency, bool timedOut)
    {
        _mirrorStatus = statusCode;
        _mirrorLatency = statusCode is null ? null : latency;
        _timedOut = timedOut;
        route.Comparison.Exit();
        Arrive();
    }

    // Interlocked.Decrement is a full fence: the side that arrives last sees the other side's fields.
    private void Arrive()
    {
        if (Interlocked.Decrement(ref _pending) != 0)
        {
            return;
        }

        // A primary the gateway refused, or whose client went away, has nothing of the upstream's to compare with.
        var result = _primaryAnswered ? MirrorComparison.Compare(_primaryStatus, _mirrorStatus, _timedOut) : MirrorResult.PrimaryNotAnswered;
        route.Comparison.RecordComparison(result, _primaryStatus, _primaryLatency, _mirrorStatus, _mirrorLatency);
        metrics.RecordComparison(route, result, _primaryStatus, _primaryLatency, _mirrorStatus, _mirrorLatency);
    }
}
