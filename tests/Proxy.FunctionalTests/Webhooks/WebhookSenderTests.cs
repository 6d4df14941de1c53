using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Webhooks;

namespace Proxy.FunctionalTests.Webhooks;

public sealed class WebhookSenderTests : IAsyncLifetime
{
    private const string Secret = "s3cret-for-tests";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"route":"shop","phase":"Progressing"}""");

    private WebhookReceiver _receiver = null!;
    private ServiceProvider _services = null!;
    private WebhookSender _sender = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:RetryDelay"] = "00:00:00.020",
            ["Webhooks:MaxRetryDelay"] = "00:00:00.100",
        }).Build();
        _services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddWebhookSender().BuildServiceProvider();
        _sender = _services.GetRequiredService<WebhookSender>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_call_is_a_json_post_signed_with_the_hmac_of_its_body()
    {
        var delivery = await _sender.SendAsync(Request(_receiver.At("hooks/pre"), retries: 0), CancellationToken.None);

        Assert.Equal(WebhookOutcome.Delivered, delivery.Outcome);
        var call = Assert.Single(_receiver.Calls);
        Assert.Equal("/hooks/pre", call.Path);
        Assert.Equal("pre-rollout", call.Event);
        Assert.StartsWith("application/json", call.ContentType);
        Assert.Equal(Body, call.Body);
        Assert.True(WebhookSignature.Verify(Secret, call.Body, call.Signature), call.Signature);
        Assert.False(WebhookSignature.Verify("another-secret", call.Body, call.Signature));
        Assert.False(WebhookSignature.Verify(Secret, Encoding.UTF8.GetBytes("{}"), call.Signature));
    }

    [Fact]
    public async Task Without_a_secret_a_call_carries_no_signature()
    {
        await _sender.SendAsync(Request(_receiver.At("x"), retries: 0) with { Secret = null }, CancellationToken.None);

        Assert.Null(Assert.Single(_receiver.Calls).Signature);
    }

    [Fact]
    public async Task A_5xx_is_retried_until_answered_and_a_4xx_is_not()
    {
        _receiver.Answer = call => call.Number < 3 ? new WebhookAnswer(503, "warming up") : WebhookAnswer.Ok;
        var retried = await _sender.SendAsync(Request(_receiver.At("a"), retries: 3), CancellationToken.None);

        Assert.Equal(WebhookOutcome.Delivered, retried.Outcome);
        Assert.Equal(3, retried.Attempts);

        _receiver.Answer = _ => new WebhookAnswer(403, "change freeze until Monday");
        var refused = await _sender.SendAsync(Request(_receiver.At("b"), retries: 3), CancellationToken.None);

        Assert.Equal(WebhookOutcome.Refused, refused.Outcome);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(1, refused.Attempts);
        Assert.Equal("answered 403: change freeze until Monday", refused.Describe());
        Assert.Equal(4, _receiver.Calls.Count);
    }

    [Fact]
    public async Task Retries_stop_at_the_number_the_call_asks_for()
    {
        _receiver.Answer = _ => new WebhookAnswer(500, "down");
        var delivery = await _sender.SendAsync(Request(_receiver.At("a"), retries: 2), CancellationToken.None);

        Assert.Equal(WebhookOutcome.Refused, delivery.Outcome);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal(3, _receiver.Calls.Count);
    }

    [Fact]
    public async Task A_receiver_slower_than_the_timeout_is_a_timeout_per_attempt()
    {
        _receiver.Answer = _ => new WebhookAnswer(200, Delay: TimeSpan.FromSeconds(30));
        var delivery = await _sender.SendAsync(Request(_receiver.At("slow"), retries: 1) with { Timeout = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);

        Assert.Equal(WebhookOutcome.TimedOut, delivery.Outcome);
        Assert.Equal(2, delivery.Attempts);
        Assert.True(delivery.Elapsed < TimeSpan.FromSeconds(20), delivery.Elapsed.ToString());
    }

    [Fact]
    public async Task A_refused_connection_is_unreachable_after_its_retries()
    {
        using var down = new RefusingPort();
        var delivery = await _sender.SendAsync(Request(down.At("hook"), retries: 1), CancellationToken.None);

        Assert.Equal(WebhookOutcome.Unreachable, delivery.Outcome);
        Assert.Equal(2, delivery.Attempts);
        Assert.Null(delivery.Status);
        Assert.StartsWith("unreachable after 2 attempts", delivery.Describe());
    }

    [Fact]
    public async Task A_long_answer_is_kept_only_in_part()
    {
        _receiver.Answer = _ => new WebhookAnswer(409, new string('x', 100_000));
        var delivery = await _sender.SendAsync(Request(_receiver.At("long"), retries: 0), CancellationToken.None);

        Assert.Equal(WebhookSender.KeptAnswerChars, delivery.Answer!.Length);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        _receiver.Answer = call => call.Path == "/moved" ? new WebhookAnswer(200) : new WebhookAnswer(307, Location: "/moved");
        var delivery = await _sender.SendAsync(Request(_receiver.At("old"), retries: 0), CancellationToken.None);

        Assert.Equal(WebhookOutcome.Refused, delivery.Outcome);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, delivery.Status);
        Assert.Single(_receiver.Calls);
    }

    [Fact]
    public async Task The_callers_cancellation_ends_the_call_and_is_thrown()
    {
        _receiver.Answer = _ => new WebhookAnswer(200, Delay: TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _sender.SendAsync(Request(_receiver.At("slow"), retries: 3) with { Timeout = TimeSpan.FromSeconds(20) }, cancel.Token));
        Assert.Single(_receiver.Calls);
    }

    private static WebhookRequest Request(Uri url, int retries) => new(url, Body, "pre-rollout", Secret, TimeSpan.FromSeconds(10), retries);
}
