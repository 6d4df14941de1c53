using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.FunctionalTests.Mirroring.Diffs;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;

namespace Proxy.FunctionalTests.Rollouts;

/// <summary>The gateway's Prometheus client against a real Kestrel server on 127.0.0.1:0 that answers the query API as each test scripts it.</summary>
public sealed class PrometheusClientTests : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetricChecks().AddLogging().AddSingleton(TimeProvider.System).BuildServiceProvider();

    private IPrometheusClient Client => _services.GetRequiredService<IPrometheusClient>();

    private static Task<ScriptedUpstream> PrometheusAsync(int status, string body, ConcurrentQueue<string>? requests = null) =>
        ScriptedUpstream.StartAsync(async (context, _) =>
        {
            requests?.Enqueue(context.Request.Method + " " + context.Request.Path + context.Request.QueryString);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });

    [Fact]
    public async Task The_query_goes_escaped_to_the_instant_query_api_under_the_address_s_path_and_its_value_comes_back()
    {
        var requests = new ConcurrentQueue<string>();
        await using var prometheus = await PrometheusAsync(200, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"0.25"]}]}}""", requests);

        var result = await Client.QueryAsync(new Uri(prometheus.Address, "/prom/").ToString(), """sum(rate(x{a="b c"}[10s])) / 2""", default);

        Assert.Equal(PrometheusQueryResult.Of(0.25), result);
        Assert.Equal(["GET /prom/api/v1/query?query=sum%28rate%28x%7Ba%3D%22b%20c%22%7D%5B10s%5D%29%29%20%2F%202"], requests);
    }

    [Theory]
    [InlineData(200, """{"status":"success","data":{"resultType":"vector","result":[]}}""", "the query returned no series")]
    [InlineData(200, """{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]},{"metric":{"a":"2"},"value":[1,"2"]}]}}""", "the query returned 2 series; a check needs one (aggregate them, e.g. with sum)")]
    [InlineData(500, "internal error", "Prometheus answered 500 InternalServerError")]
    [InlineData(422, """{"status":"error","errorType":"execution","error":"query timed out"}""", "Prometheus refused the query (422, execution): query timed out")]
    public async Task An_answer_without_one_value_says_why(int status, string body, string why)
    {
        await using var prometheus = await PrometheusAsync(status, body);

        var result = await Client.QueryAsync(prometheus.Address.ToString(), "up", default);

        Assert.Equal(PrometheusQueryResult.NoValue(why), result);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        var requests = new ConcurrentQueue<string>();
        await using var prometheus = await ScriptedUpstream.StartAsync(async (context, _) =>
        {
            requests.Enqueue(context.Request.Path);
            if (context.Request.Path == "/api/v1/query")
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "/elsewhere";
                return;
            }

            await context.Response.WriteAsync("""{"status":"success","data":{"resultType":"scalar","result":[1,"0"]}}""");
        });

        var result = await Client.QueryAsync(prometheus.Address.ToString(), "up", default);

        Assert.Equal((PrometheusQueryResult.NoValue("Prometheus answered 302 Found"), 1), (result, requests.Count));
    }

    [Fact]
    public async Task An_unreachable_prometheus_gives_no_value_and_says_so()
    {
        using var down = new RefusingPort();
        var address = $"http://127.0.0.1:{down.Port}";

        var result = await Client.QueryAsync(address, "up", default);

        Assert.Null(result.Value);
        Assert.StartsWith($"Prometheus at {address} cannot be reached: ", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_larger_than_the_limit_is_not_read_whole()
    {
        var huge = """{"status":"success","data":{"resultType":"vector","result":[""" + string.Join(",", Enumerable.Repeat("""{"metric":{"a":"xxxxxxxxxxxxxxxx"},"value":[1,"1"]}""", 30_000)) + "]}}";
        await using var prometheus = await PrometheusAsync(200, huge);

        var result = await Client.QueryAsync(prometheus.Address.ToString(), "up", default);

        Assert.Equal(PrometheusQueryResult.NoValue("Prometheus's answer is larger than 1024 KiB"), result);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
