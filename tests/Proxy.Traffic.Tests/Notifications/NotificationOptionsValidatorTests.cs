using Proxy.Traffic.Notifications;

namespace Proxy.Traffic.Tests.Notifications;

public class NotificationOptionsValidatorTests
{
    private const string SlackUrl = "https://hooks.slack.com/services/T000/B000/XXXXsecretTOKEN";

    private static IEnumerable<string> Errors(params NotificationWebhookOptions[] hooks) =>
        new NotificationOptionsValidator().Validate(null, new NotificationOptions { Webhooks = [.. hooks] }).Failures ?? [];

    [Fact]
    public void A_complete_receiver_is_valid()
    {
        Assert.Empty(Errors(
            new NotificationWebhookOptions { Url = SlackUrl, Events = ["rollout.*", "breaker.opened"], Format = "slack" },
            new NotificationWebhookOptions { Name = "audit", Url = "http://127.0.0.1:9000/hook", Events = ["*"], Secret = "s3cret", Routes = ["shop"], Timeout = TimeSpan.FromSeconds(2), Retries = 0 }));
    }

    [Fact]
    public void Each_error_names_its_path_and_none_quotes_the_url_or_the_secret()
    {
        var errors = Errors(
            new NotificationWebhookOptions { Url = SlackUrl.Replace("https", "ftp", StringComparison.Ordinal), Events = ["rollout.finished"], Format = "teams", Secret = "  ", Timeout = TimeSpan.Zero, Retries = 11 },
            new NotificationWebhookOptions { Url = "https://user:XXXXsecretTOKEN@example.com/hook", Name = "a b" }).ToList();

        Assert.Equal(
            [
                "Notifications:Webhooks:0:Url: must be an absolute http or https URL",
                "Notifications:Webhooks:0:Events:0: 'rollout.finished' is not an event",
                "Notifications:Webhooks:0:Format: 'teams' is not a format; use json or slack",
                "Notifications:Webhooks:0:Secret: must be 1 to 1024 characters, not blank (or left out to send unsigned calls)",
                "Notifications:Webhooks:0:Timeout: must be between 00:00:00.1 and 00:01:00",
                "Notifications:Webhooks:0:Retries: 11 must be between 0 and 10",
                "Notifications:Webhooks:1:Url: must not carry credentials (user:password@); sign the calls with Secret instead",
                "Notifications:Webhooks:1:Name: must be 1 to 64 letters, digits, '.', '_' or '-'",
                "Notifications:Webhooks:1:Events: list the events to send",
            ],
            errors.Select(e => e.Split(" (names such", 2)[0].Split("; use one of", 2)[0]));
        Assert.DoesNotContain(errors, e => e.Contains("secretTOKEN", StringComparison.Ordinal) || e.Contains("hooks.slack.com", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_receivers_cannot_share_a_name_and_the_queue_is_range_checked()
    {
        var hook = new NotificationWebhookOptions { Name = "chat", Url = SlackUrl, Events = ["*"] };
        var errors = new NotificationOptionsValidator().Validate(null, new NotificationOptions { Webhooks = [hook, hook], QueueLength = 0 }).Failures;

        Assert.Equal(["Notifications:QueueLength: 0 must be between 1 and 10000", "Notifications:Webhooks:1:Name: 'chat' names another receiver"], errors);
    }

    [Theory]
    [InlineData("*", "config.refused", true)]
    [InlineData("rollout.*", "rollout.rolled_back", true)]
    [InlineData("rollout.*", "breaker.opened", false)]
    [InlineData("breaker.closed", "breaker.closed", true)]
    [InlineData("breaker.closed", "breaker.opened", false)]
    public void An_event_pattern_covers_its_names(string pattern, string name, bool covered)
    {
        Assert.True(NotificationEvents.IsPattern(pattern));
        Assert.Equal(covered, NotificationEvents.Covers(pattern, name));
    }

    [Theory]
    [InlineData("rollout")]
    [InlineData("rollout.")]
    [InlineData("split.*")]
    [InlineData("Rollout.Started")]
    public void Anything_else_is_not_a_pattern(string pattern) => Assert.False(NotificationEvents.IsPattern(pattern));
}
