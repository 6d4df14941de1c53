using System.Text.Json;
using Proxy.Cli.Client;
using Proxy.Cli.Output;
using Proxy.Traffic.Admin.Contracts;
using Spectre.Console;

namespace Proxy.Cli.Watch;

/// <summary>
/// Follows a rollout until it ends: on a terminal one live block redrawn each second (for the countdown) and on each
/// change; without one (CI) one line per change, or with <paramref name="json"/> the rollout's JSON on one line per change.
/// Returns 0 when the candidate was promoted, 1 when it rolled back or was aborted.
/// </summary>
public sealed class RolloutWatch(IRolloutFeed feed, CliConsole console, TimeProvider time, bool json = false)
{
    public Task<int> RunAsync(string route, CancellationToken cancellationToken) =>
        console.Interactive && !json ? LiveAsync(route, cancellationToken) : LinesAsync(route, cancellationToken);

    private async Task<int> LinesAsync(string route, CancellationToken cancellationToken)
    {
        string? last = null;
        await foreach (var rollout in feed.ReadAsync(route, cancellationToken).ConfigureAwait(false))
        {
            var line = json ? JsonSerializer.Serialize(rollout, AdminJsonContext.Default.RolloutResponse) : RolloutView.Line(rollout);
            if (line != last)
            {
                await console.Output.WriteLineAsync(json ? line : $"{Formats.Time(time.GetUtcNow())} {line}").ConfigureAwait(false);
                last = line;
            }

            if (RolloutView.IsFinished(rollout))
            {
                return RolloutView.ExitCodeOf(rollout);
            }
        }

        throw new CliException(ExitCodes.Unavailable, "the rollout feed ended before the rollout did");
    }

    private Task<int> LiveAsync(string route, CancellationToken cancellationToken) =>
        console.Ansi.Live(new Text($"waiting for the rollout of {route}…")).AutoClear(false).StartAsync(async live =>
        {
            var updates = feed.ReadAsync(route, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (updates.ConfigureAwait(false))
            {
                RolloutResponse? current = null;
                var next = updates.MoveNextAsync().AsTask();
                while (true)
                {
                    var tick = Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
                    if (await Task.WhenAny(next, tick).ConfigureAwait(false) == next)
                    {
                        if (!await next.ConfigureAwait(false))
                        {
                            throw new CliException(ExitCodes.Unavailable, "the rollout feed ended before the rollout did");
                        }

                        current = updates.Current;
                        if (RolloutView.IsFinished(current))
                        {
                            live.UpdateTarget(RolloutView.Block(current, time.GetUtcNow()));
                            return RolloutView.ExitCodeOf(current);
                        }

                        next = updates.MoveNextAsync().AsTask();
                    }

                    if (current is not null)
                    {
                        live.UpdateTarget(RolloutView.Block(current, time.GetUtcNow()));
                    }
                }
            }
        });
}
