namespace Proxy.FunctionalTests.Cli;

/// <summary>proxyctl against a stand-in of the event stream's contract (the gateway does not serve it yet).</summary>
public class EventStreamTests
{
    [Fact]
    public async Task The_watch_rereads_the_rollout_on_each_event_and_polls_once_the_stream_is_cut()
    {
        await using var standIn = await EventStreamStandIn.StartAsync(async (s, response) =>
        {
            await s.WaitForReadAsync();
            s.Phase = "Paused";
            await EventStreamStandIn.SendAsync(response, 1, "rollout", """{"route":"shop","phase":"Paused"}""");
            await s.WaitForReadAsync();
            s.Phase = "Succeeded";
        });
        using var cli = new ProxyCtlRunner(standIn.Address);

        var result = await cli.RunAsync("rollout", "status", "shop", "--watch", "--timeout", "00:00:30");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["?route=shop&kinds=rollout"], standIn.EventsQueries);
        var phases = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[4]);
        Assert.Equal(["Progressing", "Paused", "Succeeded"], phases);
        Assert.Contains("the event stream was cut; polling", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_prints_one_line_per_event_with_the_filters_asked_for_and_exits_5_when_the_stream_ends()
    {
        await using var standIn = await EventStreamStandIn.StartAsync(async (_, response) =>
        {
            await EventStreamStandIn.SendAsync(response, 41, "split", """{"route":"shop","revision":3}""");
            await EventStreamStandIn.SendAsync(response, 42, "rollout", """{"route":"shop","phase":"Progressing"}""");
        });
        using var cli = new ProxyCtlRunner(standIn.Address);

        var lines = await cli.RunAsync("events", "--route", "shop", "--kinds", "split", "--kinds", "rollout");
        var json = await cli.RunAsync("events", "-o", "json");

        Assert.Equal(5, lines.ExitCode);
        Assert.Equal(["?route=shop&kinds=split%2Crollout", ""], standIn.EventsQueries);
        Assert.Equal(
            ["41 split {\"route\":\"shop\",\"revision\":3}", "42 rollout {\"route\":\"shop\",\"phase\":\"Progressing\"}"],
            lines.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("closed the event stream", lines.Error, StringComparison.Ordinal);
        Assert.Equal(["{\"route\":\"shop\",\"revision\":3}", "{\"route\":\"shop\",\"phase\":\"Progressing\"}"], json.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
