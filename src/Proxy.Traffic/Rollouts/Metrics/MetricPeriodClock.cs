namespace Proxy.Traffic.Rollouts.Metrics;

/// <summary>
/// Maps the slots of this process's metric windows (monotonic timestamps, which differ from process to process) to
/// periods: whole wall-clock seconds since the Unix epoch, the unit in which the instances of a fleet publish, so their
/// figures line up. The offset between the two clocks is taken once, so a slot always falls in the same period even if
/// the wall clock is stepped later. A slot belongs to the period it starts in.
/// </summary>
internal sealed class MetricPeriodClock
{
    private readonly TimeProvider _time;
    private readonly long _frequency;
    private readonly long _slotTicks;

    // The wall clock at timestamp 0, in timestamp ticks since the Unix epoch (128 bits: nanosecond ticks overflow 64).
    private readonly Int128 _epochOffset;

    public MetricPeriodClock(TimeProvider time)
    {
        _time = time;
        _frequency = time.TimestampFrequency;
        _slotTicks = ClusterMetricWindow.SlotTicks(_frequency);
        var timestamp = time.GetTimestamp();
        var sinceEpoch = time.GetUtcNow() - DateTimeOffset.UnixEpoch;
        _epochOffset = ((Int128)sinceEpoch.Ticks * _frequency / TimeSpan.TicksPerSecond) - timestamp;
    }

    /// <summary>The slot being recorded into now; every earlier slot is closed.</summary>
    public long CurrentSlot => _time.GetTimestamp() / _slotTicks;

    /// <summary>The period a wall-clock instant falls in.</summary>
    public static long PeriodAt(DateTimeOffset instant) => instant.ToUnixTimeSeconds();

    /// <summary>The period <paramref name="slot"/> starts in.</summary>
    public long PeriodOf(long slot) => (long)FloorDivide(_epochOffset + ((Int128)slot * _slotTicks), _frequency);

    /// <summary>The first slot that starts in <paramref name="period"/> or later: the slots of a period are [FirstSlotOf(p), FirstSlotOf(p + 1)).</summary>
    public long FirstSlotOf(long period) => (long)-FloorDivide(_epochOffset - ((Int128)period * _frequency), _slotTicks);

    private static Int128 FloorDivide(Int128 dividend, Int128 divisor)
    {
        var quotient = dividend / divisor;
        return dividend % divisor != 0 && dividend < 0 ? quotient - 1 : quotient;
    }
}
