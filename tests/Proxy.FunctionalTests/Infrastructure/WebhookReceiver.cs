using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>One call a <see cref="WebhookReceiver"/> received.</summary>
/// <param name="Number">1 for the first call, 2 for the next…</param>
/// <param name="Path">The request path (several hooks can share one receiver by path).</param>
/// <param name="Event">The <c>X-Proxy-Event</c> header.</param>
/// <param name="Signature">The <c>X-Proxy-Signature</c> header, if any.</param>
/// <param name="ContentType">The request's content type.</param>
/// <param name="Body">The body as received.</param>
public sealed record ReceivedWebhook(int Number, string Path, string? Event, string? Signature, string? ContentType, byte[] Body)
{
    /// <summary>The body as text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>What a <see cref="WebhookReceiver"/> answers to one call.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Body">The answer's body.</param>
/// <param name="Delay">How long to wait before answering (to script a timeout).</param>
/// <param name="Location">A <c>Location</c> header (to script a redirect).</param>
public sealed record WebhookAnswer(int Status, string Body = "", TimeSpan Delay = default, string? Location = null)
{
    public static readonly WebhookAnswer Ok = new(200);
}

/// <summary>A real Kestrel server on 127.0.0.1:0 that records every webhook call and answers as the test scripts it.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The calls received, in order of arrival.</summary>
    public ConcurrentQueue<ReceivedWebhook> Calls { get; } = new();

    /// <summary>What the receiver answers; the test may change it at any time (default 200).</summary>
    public Func<ReceivedWebhook, WebhookAnswer> Answer { get; set; } = _ => WebhookAnswer.Ok;

    /// <summary>The receiver's base address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The receiver's address for <paramref name="path"/>.</summary>
    public Uri At(string path) => new(Address, path);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var call = new ReceivedWebhook(
            Interlocked.Increment(ref _calls),
            context.Request.Path,
            context.Request.Headers["X-Proxy-Event"].FirstOrDefault(),
            context.Request.Headers["X-Proxy-Signature"].FirstOrDefault(),
            context.Request.ContentType,
            body.ToArray());
        Calls.Enqueue(call);
        var answer = Answer(call);
        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the caller gave up: its timeout is what the test scripts
            }
        }

        context.Response.StatusCode = answer.Status;
        if (answer.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }

        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
