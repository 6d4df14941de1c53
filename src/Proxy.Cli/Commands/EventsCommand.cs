using System.CommandLine;
using System.Net.ServerSentEvents;
using Proxy.Cli.Client;

namespace Proxy.Cli.Commands;

/// <summary><c>events</c>: tails the live event stream.</summary>
public static class EventsCommand
{
    public static Command Create(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var route = new Option<string?>("--route") { Description = "Only this route's events" };
        var kinds = new Option<string[]>("--kinds") { Description = "Only these kinds, e.g. rollout,split (comma-separated or repeated)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("events", "Tail the gateway's event stream (GET /api/events): splits, breakers, rollouts, mirrors, reloads") { route, kinds };
        return builder.Action(command, async (invocation, cancellationToken) =>
        {
            using var client = invocation.CreateClient();
            var kindList = invocation.Value(kinds) is { Length: > 0 } given ? string.Join(',', given.SelectMany(k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))) : null;
            HttpResponseMessage stream;
            try
            {
                stream = await client.OpenEventsAsync(invocation.Value(route), kindList, null, cancellationToken).ConfigureAwait(false);
            }
            catch (AdminApiException ex) when (AdminClient.IsMissingEndpoint(ex))
            {
                throw new CliException(ExitCodes.Unavailable, $"{client.Server} has no event stream (GET /api/events answered 404): this gateway is older than the event stream; 'rollout status ROUTE --watch' polls instead");
            }

            using (stream)
            {
                var body = await stream.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
                    {
                        await invocation.Console.Output.WriteLineAsync(Format(item, invocation.Output)).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    throw new CliException(ExitCodes.Unavailable, $"the event stream of {client.Server} was cut: {ex.Message}");
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return ExitCodes.Success;
                }
            }

            throw new CliException(ExitCodes.Unavailable, $"{client.Server} closed the event stream");
        });
    }

    // One event per line: its JSON as sent with -o json, else "id kind data".
    private static string Format(SseItem<string> item, OutputFormat output) =>
        output == OutputFormat.Json ? item.Data : $"{item.EventId} {item.EventType} {item.Data}";
}
