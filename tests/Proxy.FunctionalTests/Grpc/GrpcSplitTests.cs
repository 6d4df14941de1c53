using Grpc.Core;
using Proxy.DemoBackend.Grpc;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Health;

namespace Proxy.FunctionalTests.Grpc;

public class GrpcSplitTests
{
    private static readonly object Breaker = new { FailureRatio = 0.5, MinimumThroughput = 10, SamplingDuration = "00:00:10", BreakDuration = "00:01:00" };

    [Fact]
    public async Task Unary_and_streaming_calls_reach_both_versions_of_a_50_50_split_and_a_stream_stays_on_one()
    {
        await using var env = await GrpcEnvironment.StartAsync(50);

        var unary = new Dictionary<string, int>();
        for (var i = 0; i < 200; i++)
        {
            var version = (await env.Client.GetVersionAsync(new VersionRequest())).Version;
            unary[version] = unary.GetValueOrDefault(version) + 1;
        }

        Assert.True(unary.GetValueOrDefault("grpc-canary") is >= 60 and <= 140, string.Join(",", unary));
        Assert.Equal(200, unary.Values.Sum());

        var streamed = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            using var call = env.Client.StreamTicks(new TicksRequest { Count = 5, IntervalMs = 10 });
            var ticks = new List<Tick>();
            await foreach (var tick in call.ResponseStream.ReadAllAsync())
            {
                ticks.Add(tick);
            }

            Assert.Equal([1, 2, 3, 4, 5], ticks.Select(t => t.Sequence));
            streamed.Add(Assert.Single(ticks.Select(t => t.Version).Distinct()));
        }

        Assert.Equal(["grpc-blue", "grpc-canary"], streamed.Order());
    }

    [Fact]
    public async Task The_canary_breaker_stays_closed_on_not_found_and_opens_on_unavailable()
    {
        await using var env = await GrpcEnvironment.StartAsync(50, Breaker);

        // The caller's mistakes: answered HTTP 200 with grpc-status NOT_FOUND, never the version's failure.
        env.Canary.GrpcFaults.FailWith = StatusCode.NotFound;
        var notFound = 0;
        for (var i = 0; i < 60; i++)
        {
            notFound += await CallAsync(env) == StatusCode.NotFound ? 1 : 0;
        }

        Assert.InRange(notFound, 10, 50);
        Assert.Equal(BreakerState.Closed, env.Gateway.Health.GetStatus("grpc-canary").Breaker);

        env.Canary.GrpcFaults.FailWith = StatusCode.Unavailable;
        for (var i = 0; i < 300 && env.Gateway.Health.GetStatus("grpc-canary").Breaker != BreakerState.Open; i++)
        {
            await CallAsync(env);
        }

        Assert.Equal(BreakerState.Open, env.Gateway.Health.GetStatus("grpc-canary").Breaker);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("grpc-blue", (await env.Client.GetVersionAsync(new VersionRequest())).Version);
        }
    }

    [Fact]
    public async Task A_bidirectional_stream_on_the_canary_survives_a_rollback_and_new_calls_go_to_stable()
    {
        await using var env = await GrpcEnvironment.StartAsync(100);
        using var call = env.Client.Echo();

        await call.RequestStream.WriteAsync(new EchoMessage { Text = "before" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(("before", "grpc-canary"), (call.ResponseStream.Current.Text, call.ResponseStream.Current.Version));

        using var admin = env.Gateway.CreateAdminClient();
        using (var rollback = await admin.PostAsync("api/routes/grpc/rollback", new { reason = "test" }))
        {
            rollback.EnsureSuccessStatusCode();
        }

        Assert.Equal("grpc-blue", (await env.Client.GetVersionAsync(new VersionRequest())).Version);
        for (var i = 0; i < 5; i++)
        {
            await call.RequestStream.WriteAsync(new EchoMessage { Text = $"after {i}" });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(($"after {i}", "grpc-canary"), (call.ResponseStream.Current.Text, call.ResponseStream.Current.Version));
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Metadata_overrides_and_sticky_keys_apply_to_grpc_calls()
    {
        await using var env = await GrpcEnvironment.StartAsync(50);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("grpc-canary", (await env.Client.GetVersionAsync(new VersionRequest(), new Metadata { { "x-variant", "canary" } })).Version);
        }

        foreach (var user in Enumerable.Range(0, 10).Select(i => $"user-{i}"))
        {
            var first = (await env.Client.GetVersionAsync(new VersionRequest(), new Metadata { { "x-user-id", user } })).Version;
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(first, (await env.Client.GetVersionAsync(new VersionRequest(), new Metadata { { "x-user-id", user } })).Version);
            }
        }
    }

    private static async Task<StatusCode> CallAsync(GrpcEnvironment env)
    {
        try
        {
            await env.Client.GetVersionAsync(new VersionRequest());
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }
}
