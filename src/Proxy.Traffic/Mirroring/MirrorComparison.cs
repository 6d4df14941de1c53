using Proxy.Traffic.Telemetry;

namespace Proxy.Traffic.Mirroring;

/// <summary>
/// What one route's mirror has seen since its settings were applied: copies sent and dropped, how each compared with
/// the primary, both sides' status classes and latency distributions. Every update is a single Interlocked operation.
/// </summary>
public sealed class MirrorComparison
{
    private readonly long[] _results = new long[Enum.GetValues<MirrorResult>().Length];
    private readonly long[] _drops = new long[Enum.GetValues<MirrorDropReason>().Length];
    private readonly long[] _primaryStatus = new long[StatusClasses.Count];
    private readonly long[] _mirrorStatus = new long[StatusClasses.Count];
    private long _sent;
    private int _inFlight;
    private int _peakInFlight;

    /// <summary>Status classes counted per side; "other" covers codes outside 100–599.</summary>
    public static readonly IReadOnlyList<string> StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];

    /// <summary>The primary's latency distribution over mirrored requests.</summary>
    public LatencyHistogram PrimaryLatency { get; } = new();

    /// <summary>The mirror's latency distribution (answers only).</summary>
    public LatencyHistogram MirrorLatency { get; } = new();

    /// <summary>Copies sent.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Copies in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Copies dropped, all reasons together.</summary>
    public long Dropped => _drops.Select((_, i) => Interlocked.Read(ref _drops[i])).Sum();

    /// <summary>The most copies ever in flight at once.</summary>
    public int PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Compared copies by result.</summary>
    public long Count(MirrorResult result) => Interlocked.Read(ref _results[(int)result]);

    /// <summary>Dropped copies by reason.</summary>
    public long Count(MirrorDropReason reason) => Interlocked.Read(ref _drops[(int)reason]);

    /// <summary>Answers per status class of one side.</summary>
    public long[] StatusCounts(bool mirror)
    {
        var source = mirror ? _mirrorStatus : _primaryStatus;
        return [.. source.Select((_, i) => Interlocked.Read(ref source[i]))];
    }

    /// <summary>Takes a slot for a copy unless <paramref name="limit"/> are in flight; never waits.</summary>
    public bool TryEnter(int limit)
    {
        var current = Interlocked.Increment(ref _inFlight);
        if (current > limit)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        // Keep the peak: retry only while another thread raised it below our value.
        var peak = Volatile.Read(ref _peakInFlight);
        while (current > peak && Interlocked.CompareExchange(ref _peakInFlight, current, peak) is var seen && seen != peak)
        {
            peak = seen;
        }

        return true;
    }

    /// <summary>Releases a slot taken by <see cref="TryEnter"/>.</summary>
    public void Exit() => Interlocked.Decrement(ref _inFlight);

    internal void RecordSent() => Interlocked.Increment(ref _sent);

    internal void RecordDrop(MirrorDropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    internal void RecordComparison(MirrorResult result, int primaryStatus, TimeSpan primaryLatency, int? mirrorStatus, TimeSpan? mirrorLatency)
    {
        Interlocked.Increment(ref _results[(int)result]);
        if (result == MirrorResult.PrimaryNotAnswered)
        {
            // Neither side's figures: the primary's status is the gateway's, not an upstream's.
            return;
        }

        Interlocked.Increment(ref _primaryStatus[ClassIndex(primaryStatus)]);
        PrimaryLatency.Record(primaryLatency);
        if (mirrorStatus is { } status && mirrorLatency is { } latency)
        {
            Interlocked.Increment(ref _mirrorStatus[ClassIndex(status)]);
            MirrorLatency.Record(latency);
        }
    }

    /// <summary>The result of comparing the two sides (a mirror status of null means the mirror failed).</summary>
    public static MirrorResult Compare(int primaryStatus, int? mirrorStatus, bool timedOut) =>
        timedOut ? MirrorResult.MirrorTimeout
        : mirrorStatus is not { } status ? MirrorResult.MirrorError
        : ClassIndex(primaryStatus) == ClassIndex(status) ? MirrorResult.Match
        : MirrorResult.StatusMismatch;

    /// <summary>The index in <see cref="StatusClasses"/> of a status code.</summary>
    public static int ClassIndex(int statusCode) => statusCode is >= 100 and < 600 ? (statusCode / 100) - 1 : StatusClasses.Count - 1;
}
