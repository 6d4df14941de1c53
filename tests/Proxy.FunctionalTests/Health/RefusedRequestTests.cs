using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Health;
using Proxy.Traffic.Telemetry;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Proxy.FunctionalTests.Health;

/// <summary>Requests the gateway refuses on its own never count against a cluster (issue 14, defect 1).</summary>
public class RefusedRequestTests
{
    private static readonly string[] Clusters = ["blue", "canary", "green"];

    // A sensitive breaker: on the code before the fix, a handful of refused requests per cluster opened it.
    private static object Split() => new
    {
        CircuitBreaker = new { FailureRatio = 0.5, MinimumThroughput = 5, SamplingDuration = "00:00:30", BreakDuration = "00:00:30" },
        Routes = new Dictionary<string, object>
        {
            ["shop"] = new { Stable = "blue", Weights = new Dictionary<string, decimal> { ["blue"] = 34, ["canary"] = 33, ["green"] = 33 } },
        },
    };

    [Fact]
    public async Task Thirty_connect_requests_leave_every_breaker_closed_and_users_served()
    {
        await using var env = await TestEnvironment.StartAsync(Clusters, Split());
        using var refused = new MetricCollector<long>(env.Services.GetRequiredService<IMeterFactory>(), TrafficTelemetry.MeterName, "proxy.requests.refused");
        await using var connection = new RawHttpConnection(env.ProxyAddress);

        var answers = new List<(int Status, string Body)>();
        for (var i = 0; i < 30; i++)
        {
            answers.Add(await connection.SendAsync("CONNECT x:1 HTTP/1.1", "x:1"));
        }

        AssertUntouched(env);
        Assert.All(answers, answer => Assert.Equal((405, true), (answer.Status, answer.Body.Contains("does not forward CONNECT", StringComparison.Ordinal))));
        Assert.Equal(30, refused.GetMeasurementSnapshot().Where(m => (string?)m.Tags["http.request.method"] == "CONNECT").Sum(m => m.Value));
        using var client = env.CreateClient(cookies: false);
        var served = await Load.RunAsync(client, 300, parallelism: 4);
        Assert.Equal(300, served.Where(s => Clusters.Contains(s.Key)).Sum(s => s.Value));
        Assert.All(Clusters, cluster => Assert.True(served.GetValueOrDefault(cluster) > 30, $"{cluster} served {served.GetValueOrDefault(cluster)} of 300"));
    }

    [Fact]
    public async Task A_thousand_connect_and_trace_requests_on_eight_connections_leave_every_breaker_closed()
    {
        await using var env = await TestEnvironment.StartAsync(Clusters, Split());
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            await using var connection = new RawHttpConnection(env.ProxyAddress);
            var answers = new List<int>();
            for (var i = 0; i < 125; i++)
            {
                var (status, _) = await connection.SendAsync(i % 5 == 0 ? "TRACE / HTTP/1.1" : "CONNECT x:1 HTTP/1.1", i % 5 == 0 ? "localhost" : "x:1");
                answers.Add(status);
            }

            return answers;
        })));

        AssertUntouched(env);
        Assert.Equal(1_000, statuses.SelectMany(s => s).Count(s => s == 405));
        using var client = env.CreateClient(cookies: false);
        Assert.Contains(await client.GetVersionAsync(), Clusters);
    }

    [Fact]
    public async Task Trace_is_answered_405_by_the_gateway_and_never_reaches_an_upstream()
    {
        await using var env = await TestEnvironment.StartAsync(["blue"], Splits.Route("blue", new() { ["blue"] = 100 }));
        using var client = env.CreateClient(cookies: false);

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Trace, "/secret") { Headers = { { "Cookie", "session=abc" } } });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], response.Content.Headers.Allow);
        Assert.DoesNotContain("session=abc", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, env.Upstream("blue").Stats.Total);
    }

    [Fact]
    public async Task A_request_yarp_cannot_build_counts_as_refused_not_as_a_cluster_failure()
    {
        // A transform that throws: YARP reports RequestCreation (nothing was sent), the same path CONNECT took before.
        await using var env = await TestEnvironment.StartAsync(Clusters, Split(), configureGateway: b => b.Services.AddSingleton<ITransformProvider, ThrowingTransform>());
        using var requests = new MetricCollector<long>(env.Services.GetRequiredService<IMeterFactory>(), TrafficTelemetry.MeterName, "proxy.requests");
        using var client = env.CreateClient(cookies: false);

        for (var i = 0; i < 30; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { ThrowingTransform.Header, "1" } } };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        AssertUntouched(env);
        await Eventually.TrueAsync(
            () => requests.GetMeasurementSnapshot().Where(m => (string?)m.Tags["proxy.outcome"] == "refused").Sum(m => m.Value) == 30,
            "the refused requests were not counted with proxy.outcome=refused");
    }

    [Fact]
    public async Task A_session_affinity_cookie_yarp_cannot_read_is_yarps_503_not_a_cluster_failure()
    {
        // YARP answers 503 itself (failure policy Return503Error) for an affinity cookie it cannot decrypt; nothing is forwarded.
        await using var env = await TestEnvironment.StartAsync(Clusters, Split(), config =>
        {
            foreach (var (_, cluster) in config["ReverseProxy"]!["Clusters"]!.AsObject())
            {
                cluster!["SessionAffinity"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["Enabled"] = true,
                    ["Policy"] = "Cookie",
                    ["FailurePolicy"] = "Return503Error",
                    ["AffinityKeyName"] = "shop-affinity",
                };
            }
        });
        using var client = env.CreateClient(cookies: false);

        for (var i = 0; i < 30; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "Cookie", "shop-affinity=not-a-protected-key" } } };
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        AssertUntouched(env);
    }

    private static void AssertUntouched(TestEnvironment env)
    {
        Assert.All(Clusters, cluster =>
        {
            Assert.Equal(BreakerState.Closed, env.Health.GetStatus(cluster).Breaker);
            Assert.Equal(0, env.Upstream(cluster).Stats.Total);
        });
        Assert.True(env.Splits.TryGetSnapshot("shop", out var snapshot));
        Assert.Equal(snapshot.Definition.Weights.Select(w => w.BasisPoints), env.Health.EffectiveWeights(snapshot).Select(w => w.BasisPoints));
    }

    private sealed class ThrowingTransform : ITransformProvider
    {
        public const string Header = "X-Test-Break-Transform";

        public void ValidateRoute(TransformRouteValidationContext context)
        {
        }

        public void ValidateCluster(TransformClusterValidationContext context)
        {
        }

        public void Apply(TransformBuilderContext context) => context.AddRequestTransform(transform =>
            transform.HttpContext.Request.Headers.ContainsKey(Header) ? throw new InvalidOperationException("test transform failed") : ValueTask.CompletedTask);
    }
}
