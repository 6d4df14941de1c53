using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using Proxy.Cli;
using Proxy.Cli.Output;
using Proxy.Cli.Watch;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Rollouts.Analysis;

namespace Proxy.FunctionalTests.Cli;

public class RolloutWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);

    private static RolloutResponse Rollout(string phase, int step, decimal canary, string? verdict = null, string? next = "step 2 (100%) after a passing analysis") => new(
        "shop", 1, "canary", "blue", "canary", phase, step, 2,
        new Dictionary<string, decimal> { ["blue"] = 100 - canary, ["canary"] = canary },
        Start, Start, next, next is null ? null : Start.AddSeconds(10), null, 0,
        verdict is null ? [] : [new VerdictResponse(Start.AddSeconds(1), step, verdict, new ClusterFigures("canary", 20, 0.25, 3), new ClusterFigures("blue", 80, 0, 2), null, "error rate 25.0% above the limit 5.0%")],
        [], null);

    [Fact]
    public async Task Without_a_terminal_each_change_is_one_line_and_a_rollback_exits_1()
    {
        var progressing = Rollout("Progressing", 0, 30);
        var feed = new ListFeed(progressing, progressing, Rollout("Progressing", 0, 30, "fail"), Rollout("RolledBack", 0, 0, "fail", next: null));
        using var output = new StringWriter();
        var console = new CliConsole(output, TextWriter.Null, TextReader.Null, interactive: false);

        var code = await new RolloutWatch(feed, console, new FakeTimeProvider(Start)).RunAsync("shop", CancellationToken.None);

        Assert.Equal(1, code);
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("2026-12-01 20:00:00Z shop #1 Progressing step 1/2 weights blue=70 canary=30 | next: step 2 (100%) after a passing analysis at 2026-12-01 20:00:10Z", lines[0]);
        Assert.Contains("verdict fail: error rate 25.0% above the limit 5.0% (canary: 20 requests, 25.0% errors, p99 3 ms; blue: 80 requests", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2026-12-01 20:00:00Z shop #1 RolledBack step 1/2 weights blue=100 canary=0", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Succeeded", 0)]
    [InlineData("Aborted", 1)]
    [InlineData("RolledBack", 1)]
    public async Task The_watch_ends_with_the_rollout_and_its_exit_code_says_how(string phase, int expected)
    {
        var feed = new ListFeed(Rollout("Progressing", 1, 100), Rollout(phase, 1, 100, next: null), Rollout("Progressing", 0, 10));
        var console = new CliConsole(TextWriter.Null, TextWriter.Null, TextReader.Null, interactive: false);

        var code = await new RolloutWatch(feed, console, new FakeTimeProvider(Start)).RunAsync("shop", CancellationToken.None);

        Assert.Equal(expected, code);
        Assert.Equal(2, feed.Read);
    }

    [Fact]
    public async Task With_json_output_each_change_is_the_rollouts_JSON_on_one_line()
    {
        var feed = new ListFeed(Rollout("Progressing", 0, 30), Rollout("Progressing", 0, 30), Rollout("Succeeded", 1, 100, next: null));
        using var output = new StringWriter();
        var console = new CliConsole(output, TextWriter.Null, TextReader.Null, interactive: true);

        var code = await new RolloutWatch(feed, console, new FakeTimeProvider(Start), json: true).RunAsync("shop", CancellationToken.None);

        Assert.Equal(0, code);
        var phases = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("phase").GetString());
        Assert.Equal(["Progressing", "Succeeded"], phases);
    }

    [Fact]
    public void The_block_counts_down_to_the_next_action()
    {
        using var output = new StringWriter();
        var console = new CliConsole(output, TextWriter.Null, TextReader.Null, interactive: false, width: 160);

        console.Ansi.Write(RolloutView.Block(Rollout("Progressing", 0, 30, "pass"), Start.AddSeconds(3)));

        Assert.Contains("step 2 (100%) after a passing analysis, in 7 s", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("1/2", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Countdown_reads_in_seconds_then_minutes()
    {
        Assert.Equal(("in 7 s", "in 2 min 5 s", "now"), (
            Formats.Countdown(Start.AddSeconds(6.2), Start),
            Formats.Countdown(Start.AddSeconds(125), Start),
            Formats.Countdown(Start, Start.AddSeconds(1))));
    }

    private sealed class ListFeed(params RolloutResponse[] rollouts) : IRolloutFeed
    {
        public int Read { get; private set; }

        public async IAsyncEnumerable<RolloutResponse> ReadAsync(string route, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var rollout in rollouts)
            {
                await Task.Yield();
                Read++;
                yield return rollout;
            }
        }
    }
}
