using Proxy.Traffic.Mirroring.Diffs;

namespace Proxy.Traffic.Tests.Mirroring.Diffs;

public class EndpointDiffsTests
{
    private static FieldDifference Diff(string field) => new(field, field, "changed", "1", "2");

    [Fact]
    public void A_field_learned_as_noise_later_takes_earlier_requests_out_of_the_differing_share()
    {
        var endpoint = new EndpointDiffs("GET /x", maxFields: 10);
        endpoint.Record([Diff("$.at")], noise: null);
        endpoint.Record([Diff("$.at"), Diff("$.price")], noise: null);
        Assert.Equal((2L, 2L), endpoint.Rate());

        endpoint.Record([Diff("$.at")], noise: [Diff("$.at")]);

        Assert.Equal((3L, 1L), endpoint.Rate());
        var report = endpoint.Report(10);
        Assert.Equal("$.price", Assert.Single(report.Fields).Field);
        var noisy = Assert.Single(report.Noise);
        Assert.Equal(("$.at", 1.0, 3L), (noisy.Field, noisy.NoiseRate, noisy.CandidateCount));
    }

    [Fact]
    public void Fields_beyond_the_limit_are_counted_and_still_make_a_request_differ()
    {
        var endpoint = new EndpointDiffs("GET /x", maxFields: 1);

        endpoint.Record([Diff("$.a"), Diff("$.b")], noise: null);
        endpoint.Record([Diff("$.c")], noise: [Diff("$.a")]);

        var report = endpoint.Report(10);
        Assert.Equal((2L, 2L, 2L), (report.Compared, report.Differing, report.DroppedFields));
    }

    [Fact]
    public void Answer_bodies_stay_within_the_routes_memory_and_what_does_not_fit_says_why()
    {
        var memory = new DiffMemory(8192);
        var first = new AnswerBuffer(memory, 1 << 20);
        var second = new AnswerBuffer(memory, 1 << 20);
        var small = new AnswerBuffer(memory, 10);

        first.Append(new byte[6000]);
        second.Append(new byte[3000]);
        small.Append(new byte[11]);

        Assert.Null(first.Problem);
        Assert.Equal(NotComparedReason.Memory, second.Problem);
        Assert.Equal(NotComparedReason.BodyTooLarge, small.Problem);
        Assert.True(memory.Used <= memory.Limit);
        first.Release();
        Assert.Equal(0, memory.Used);
    }
}
