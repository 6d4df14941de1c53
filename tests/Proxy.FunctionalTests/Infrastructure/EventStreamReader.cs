using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>A client of the gateway's <c>GET /api/events</c>: collects the events it reads, for tests to wait on.</summary>
public sealed class EventStreamReader : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseItem<string>> _events = Channel.CreateUnbounded<SseItem<string>>();
    private readonly Task _reading;

    private EventStreamReader(HttpClient client, HttpResponseMessage response)
    {
        _client = client;
        _response = response;
        _reading = ReadAsync();
    }

    /// <summary>Opens the stream with <paramref name="query"/> (e.g. <c>?kinds=split</c>) and an optional Last-Event-ID.</summary>
    public static async Task<EventStreamReader> OpenAsync(Uri admin, string key, string query = "", string? lastEventId = null)
    {
        var client = new HttpClient { BaseAddress = admin, Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/events" + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"GET /api/events{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStreamReader(client, response);
    }

    /// <summary>Waits for the next event that <paramref name="match"/> accepts (skipping others) and returns it.</summary>
    public async Task<SseItem<string>> NextAsync(Func<SseItem<string>, bool> match, string because, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                var item = await _events.Reader.ReadAsync(deadline.Token);
                if (match(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail(because);
            throw;
        }
        catch (ChannelClosedException)
        {
            Assert.Fail($"{because}: the stream ended");
            throw;
        }
    }

    /// <summary>The next event of <paramref name="kind"/>, with its data parsed.</summary>
    public async Task<(string? Id, JsonElement Data)> NextOfKindAsync(string kind, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var item = await NextAsync(i => i.EventType == kind && (match is null || match(JsonDocument.Parse(i.Data).RootElement)), $"no '{kind}' event came", timeout);
        return (item.EventId, JsonDocument.Parse(item.Data).RootElement.Clone());
    }

    private async Task ReadAsync()
    {
        try
        {
            var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
            {
                _events.Writer.TryWrite(item);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _response.Dispose();
        _client.Dispose();
        _stop.Dispose();
    }
}
