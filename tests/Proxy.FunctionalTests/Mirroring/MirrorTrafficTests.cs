using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Mirroring;

namespace Proxy.FunctionalTests.Mirroring;

/// <summary>Mirroring against real upstreams: the share copied, what a copy carries, and that the primary never notices the mirror.</summary>
public class MirrorTrafficTests
{
    [Fact]
    public async Task A_quarter_of_the_requests_reach_the_mirror_as_exact_copies()
    {
        await using var env = await TestEnvironment.StartAsync(
            ["blue", "green"], Mirrors.Route(new { Cluster = "green", Percentage = 25, Methods = new[] { "GET", "POST" } }));
        var blue = env.Upstream("blue");
        var green = env.Upstream("green");
        blue.RecordRequests = true;
        green.RecordRequests = true;
        using var client = env.CreateClient(cookies: false);

        const int total = 2000;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                using var request = new HttpRequestMessage(i % 2 == 0 ? HttpMethod.Get : HttpMethod.Post, $"/orders/{i}?i={i}&q=a%20b");
                request.Headers.Add("X-Test", $"value-{i}");
                if (i % 2 == 1)
                {
                    request.Content = new StringContent($"payload-{i}", Encoding.UTF8, "text/plain");
                }

                using var response = await client.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        })));

        var comparison = env.Comparison();
        await Eventually.TrueAsync(() => comparison.Compared() == comparison.Sent && comparison.InFlight == 0, "mirror copies did not all complete");
        Assert.Equal(total, blue.Stats.Total);
        Assert.Equal(comparison.Sent, green.Stats.Total);
        Assert.Equal(0, comparison.Dropped);
        Assert.InRange(100.0 * green.Stats.Total / total, 22, 28);
        Assert.Equal(comparison.Sent, comparison.Count(MirrorResult.Match));

        // Each copy carries the request as the client sent it, plus the mirror header.
        var primaries = blue.Stats.RecentRequests.ToDictionary(r => r.PathAndQuery);
        var compared = 0;
        foreach (var copy in green.Stats.RecentRequests)
        {
            var i = int.Parse(copy.PathAndQuery.Split("?i=")[1].Split('&')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal($"/orders/{i}?i={i}&q=a%20b", copy.PathAndQuery);
            Assert.Equal(i % 2 == 0 ? "GET" : "POST", copy.Method);
            Assert.Equal($"value-{i}", copy.Headers["X-Test"]);
            Assert.Equal("1", copy.Headers["X-Proxy-Mirror"]);
            var body = i % 2 == 0 ? "" : $"payload-{i}";
            Assert.Equal(Encoding.UTF8.GetByteCount(body), copy.BodyLength);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))), copy.BodySha256);
            if (primaries.TryGetValue(copy.PathAndQuery, out var primary))
            {
                Assert.Equal(primary.Method, copy.Method);
                Assert.Equal(Comparable(primary.Headers), Comparable(copy.Headers));
                compared++;
            }
        }

        Assert.NotEmpty(green.Stats.RecentRequests);
        Assert.True(compared > 0, "no mirror copy was among the primary's recent requests");
    }

    [Fact]
    public async Task Bodies_over_the_limit_reach_the_primary_whole_and_are_not_mirrored()
    {
        await using var env = await TestEnvironment.StartAsync(
            ["blue", "green"], Mirrors.Route(new { Cluster = "green", Percentage = 100, Methods = new[] { "POST" }, MaxBodyBytes = 1024 }));
        var blue = env.Upstream("blue");
        var green = env.Upstream("green");
        blue.RecordRequests = true;
        green.RecordRequests = true;
        using var client = env.CreateClient(cookies: false);
        var small = new byte[1024];
        var large = new byte[200_000];
        Random.Shared.NextBytes(small);
        Random.Shared.NextBytes(large);

        // Declared length over the limit, then a chunked body that grows past it, then one within it.
        using (var declared = await client.PostAsync("/declared", new ByteArrayContent(large)))
        using (var chunked = await client.PostAsync("/chunked", new StreamContent(new UnknownLengthStream(large))))
        using (var within = await client.PostAsync("/within", new StreamContent(new UnknownLengthStream(small))))
        {
            Assert.All(new[] { declared, chunked, within }, r => r.EnsureSuccessStatusCode());
        }

        var comparison = env.Comparison();
        await Eventually.TrueAsync(() => comparison.Compared() == 1, "the copy within the limit was not compared");
        var primaries = blue.Stats.RecentRequests.ToDictionary(r => r.PathAndQuery);
        Assert.Equal(Sha256(large), primaries["/declared"].BodySha256);
        Assert.Equal(Sha256(large), primaries["/chunked"].BodySha256);
        var copy = Assert.Single(green.Stats.RecentRequests);
        Assert.Equal(("/within", Sha256(small)), (copy.PathAndQuery, copy.BodySha256));
        Assert.Equal(2, comparison.Count(MirrorDropReason.BodyTooLarge));
    }

    [Fact]
    public async Task A_mirror_that_takes_five_seconds_does_not_slow_the_primary()
    {
        // Two routes to the same upstream, measured side by side: "plain" without a mirror, "shop" mirrored to a slow green.
        await using var env = await TestEnvironment.StartAsync(
            ["blue", "green"],
            Mirrors.Route(new { Cluster = "green", Percentage = 100, MaxConcurrency = 4, Timeout = "00:00:02" }),
            editConfig: config => config["ReverseProxy"]!["Routes"]!["plain"] = new JsonObject
            {
                ["ClusterId"] = "blue",
                ["Match"] = new JsonObject { ["Path"] = "/plain/{**rest}" },
            });
        env.Upstream("green").Faults.LatencyMs = 5000;
        using var client = env.CreateClient(cookies: false);
        await client.GetVersionAsync("/plain/warm-up");
        await client.GetVersionAsync("/warm-up");

        var plain = new List<double>();
        var mirrored = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            plain.Add(await TimeAsync(client, $"/plain/{i}"));
            mirrored.Add(await TimeAsync(client, $"/{i}"));
        }

        var comparison = env.Comparison();
        Assert.True(mirrored.Average() < plain.Average() + 100, $"mirrored primary averaged {mirrored.Average():F1} ms, plain {plain.Average():F1} ms");
        Assert.True(mirrored.Max() < 1000, $"the slowest mirrored primary took {mirrored.Max():F0} ms");
        Assert.InRange(comparison.PeakInFlight, 1, 4);
        Assert.True(comparison.Count(MirrorDropReason.Concurrency) > 0, "the concurrency limit never dropped a copy");

        // The copies that were sent end as timeouts, and free their slots.
        await Eventually.TrueAsync(() => comparison.InFlight == 0 && comparison.Compared() == comparison.Sent, "the slow copies did not time out", TimeSpan.FromSeconds(10));
        Assert.Equal(comparison.Sent, comparison.Count(MirrorResult.MirrorTimeout));
    }

    [Fact]
    public async Task A_mirror_that_is_down_changes_nothing_for_the_client()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Mirrors.Route(new { Cluster = "green", Percentage = 100, MaxConcurrency = 8 }));
        await env.Upstream("green").StopAsync();
        using var client = env.CreateClient(cookies: false);

        var served = await Load.RunAsync(client, 200, parallelism: 8);

        Assert.Equal(200, served["blue"]);
        var comparison = env.Comparison();
        await Eventually.TrueAsync(
            () => comparison.Count(MirrorResult.MirrorError) + comparison.Dropped == 200,
            $"mirror errors {comparison.Count(MirrorResult.MirrorError)} + drops {comparison.Dropped} never reached 200");
        Assert.True(comparison.Count(MirrorResult.MirrorError) > 0);
        Assert.Equal(0, comparison.Count(MirrorResult.Match));
    }

    [Fact]
    public async Task A_mirror_answering_500_where_the_primary_answers_200_counts_as_a_mismatch()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Mirrors.Route(new { Cluster = "green", Percentage = 100 }));
        env.Upstream("green").Faults.ErrorRate = 1;
        using var client = env.CreateClient(cookies: false);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("blue", await client.GetVersionAsync($"/{i}"));
        }

        var comparison = env.Comparison();
        await Eventually.TrueAsync(() => comparison.Compared() == 50, "not every copy was compared");
        Assert.Equal(50, comparison.Count(MirrorResult.StatusMismatch));
        Assert.Equal(50, comparison.StatusCounts(mirror: false)[MirrorComparison.ClassIndex(200)]);
        Assert.Equal(50, comparison.StatusCounts(mirror: true)[MirrorComparison.ClassIndex(500)]);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static async Task<double> TimeAsync(HttpClient client, string path)
    {
        var started = Stopwatch.GetTimestamp();
        Assert.Equal("blue", await client.GetVersionAsync(path));
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    // Headers that legitimately differ between the two sides: the destination, the trace span, the mirror mark.
    private static Dictionary<string, string> Comparable(IReadOnlyDictionary<string, string> headers) =>
        headers.Where(h => h.Key is not ("Host" or "traceparent" or "tracestate" or "X-Proxy-Mirror") && !h.Key.Equals("host", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A readable stream that does not report its length, so the client sends it chunked.</summary>
internal sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
}
