using Proxy.Traffic.Mirroring.Diffs;
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
    private int _copies = 1;

    public MirroredRoute Route => route;

    /// <summary>The answers compared for this request, when the route compares answers.</summary>
    public ExchangeAnswers? Answers { get; private set; }

    /// <summary>Compares this request's answers; before any copy is sent. A noise copy holds the slot too.</summary>
    public void Compare(ExchangeAnswers? answers)
    {
        Answers = answers;
        _copies = answers?.NoiseCopy == true ? 2 : 1;
    }

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
        Answers?.Abandon();
    }

    /// <summary>The primary's answer is complete; <paramref name="answered"/> is false when no upstream produced it.</summary>
    public void PrimaryCompleted(int statusCode, TimeSpan latency, bool answered)
    {
        _primaryStatus = statusCode;
        _primaryAnswered = answered;
        _primaryLatency = latency;
        Arrive();
    }

    /// <summary>The copy ended: answered (status, and its answer when answers are compared), failed (null) or timed out.</summary>
    public void MirrorCompleted(int? statusCode, TimeSpan latency, bool timedOut, CapturedAnswer? answer = null)
    {
        _mirrorStatus = statusCode;
        _mirrorLatency = statusCode is null ? null : latency;
        _timedOut = timedOut;
        Answers?.MirrorArrived(answer);
        CopyEnded();
        Arrive();
    }

    /// <summary>The second copy to the primary's cluster ended, with its answer or none.</summary>
    public void SecondCompleted(CapturedAnswer? answer)
    {
        Answers?.SecondArrived(answer);
        CopyEnded();
    }

    private void CopyEnded()
    {
        if (Interlocked.Decrement(ref _copies) == 0)
        {
            route.Comparison.Exit();
        }
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
