using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Rollouts.Metrics;

namespace Proxy.Traffic.Tests.Rollouts.Metrics;

public class MetricPeriodClockTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(130)]
    [InlineData(870)]
    public void Every_slot_falls_in_exactly_one_wall_clock_second_whatever_the_offset(int milliseconds)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, milliseconds, TimeSpan.Zero));
        var clock = new MetricPeriodClock(new OffsetTimestamps(time, 123_456_789));
        var period = MetricPeriodClock.PeriodAt(time.GetUtcNow());

        var slotsPerSecond = new List<long>();
        for (var p = period; p < period + 10; p++)
        {
            for (var slot = clock.FirstSlotOf(p); slot < clock.FirstSlotOf(p + 1); slot++)
            {
                Assert.Equal(p, clock.PeriodOf(slot));
            }

            slotsPerSecond.Add(clock.FirstSlotOf(p + 1) - clock.FirstSlotOf(p));
        }

        Assert.All(slotsPerSecond, count => Assert.Equal(5, count));

        // The slot open now may have started in the second before (a slot belongs to the second it starts in).
        Assert.InRange(clock.PeriodOf(clock.CurrentSlot), period - 1, period);
    }

    [Fact]
    public void The_current_slot_moves_into_the_next_second_when_the_wall_clock_does()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, 900, TimeSpan.Zero));
        var clock = new MetricPeriodClock(time);
        var period = MetricPeriodClock.PeriodAt(time.GetUtcNow());

        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(period, clock.PeriodOf(clock.CurrentSlot));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(period + 1, clock.PeriodOf(clock.CurrentSlot));
    }
}
