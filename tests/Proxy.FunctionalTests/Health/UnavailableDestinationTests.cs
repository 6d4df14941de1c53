using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Health;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Proxy.FunctionalTests.Health;

/// <summary>A cluster YARP's health has emptied gets no request while another cluster of the split can serve (issue 14, defect 6).</summary>
public class UnavailableDestinationTests
{
    private static object Split() => Splits.Route("blue", new() { ["blue"] = 50, ["canary"] = 50 });

    [Fact]
    public async Task Requests_split_to_a_cluster_yarp_has_no_destination_for_go_to_stable_before_the_breaker_hears_of_it()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(), config =>
            config["ReverseProxy"]!["Clusters"]!["canary"]!["HealthCheck"] = new JsonObject { ["Passive"] = new JsonObject { ["Enabled"] = true } });
        using var client = env.CreateClient(cookies: false);

        // What YARP's health does first when an upstream dies (passive health never tells the breaker at all).
        Assert.True(env.Services.GetRequiredService<IProxyStateLookup>().TryGetCluster("canary", out var canary));
        foreach (var destination in canary.Destinations.Values)
        {
            destination.Health.Passive = DestinationHealth.Unhealthy;
        }

        env.Services.GetRequiredService<IClusterDestinationsUpdater>().UpdateAvailableDestinations(canary);
        Assert.Equal(BreakerState.Closed, env.Health.GetStatus("canary").Breaker);

        var served = await Load.RunAsync(client, 200, parallelism: 4);
        var posted = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            // Not replayable, but nothing was sent: it may go elsewhere as well.
            using var response = await client.PostAsync("/orders", new StringContent("""{"item":1}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            posted.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetString()!);
        }

        Assert.Equal(new Dictionary<string, int> { ["blue"] = 200 }, served);
        Assert.All(posted, version => Assert.Equal("blue", version));
        Assert.Equal(0, env.Upstream("canary").Stats.Total);
    }

    [Fact]
    public async Task Killing_a_real_canary_process_at_50_percent_gives_no_client_a_503()
    {
        await using var canary = await UpstreamProcess.StartAsync("canary");
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Split(), config =>
        {
            TestEnvironment.ActiveHealthChecks(config, TimeSpan.FromMilliseconds(200));
            config["ReverseProxy"]!["Clusters"]!["canary"]!["Destinations"]!["d1"] = new JsonObject { ["Address"] = canary.Address.ToString() };
        });
        using var client = env.CreateClient(cookies: false);
        var answers = new ConcurrentQueue<(string Version, HttpStatusCode Status)>();
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync("/");
                    var body = await response.Content.ReadAsStringAsync();
                    answers.Enqueue((response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("version").GetString()! : body, response.StatusCode));
                }
                catch (HttpRequestException ex)
                {
                    failures.Enqueue(ex.Message);
                }
            }
        })).ToArray();

        await Eventually.TrueAsync(() => answers.Count(a => a.Version == "canary") > 200, "the canary process got no traffic", TimeSpan.FromSeconds(30));
        await canary.KillAsync();
        await Eventually.TrueAsync(() => env.Health.GetStatus("canary").Breaker == BreakerState.Isolated, "active health did not isolate the killed canary", TimeSpan.FromSeconds(30));
        var isolatedAt = answers.Count;
        await Eventually.TrueAsync(() => answers.Count > isolatedAt + 300, "the load stopped after the isolation", TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(answers.Where(a => a.Status != HttpStatusCode.OK).Select(a => $"{(int)a.Status} {a.Version}").Take(5));
        Assert.Empty(failures.Take(5));
    }
}
