using Microsoft.Extensions.Options;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Webhooks;

namespace Proxy.Traffic.Notifications;

/// <summary>
/// Checks <c>Notifications</c> at start-up and on every new version of a configuration file (a bad entry refuses the
/// whole version; the receivers in force stay). Each error names its configuration path and never quotes a URL or a secret.
/// </summary>
public sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    /// <summary>The most receivers.</summary>
    public const int MaxWebhooks = 32;

    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var errors = new List<string>();
        var section = NotificationOptions.SectionName;
        if (options.QueueLength is < 1 or > 10_000)
        {
            errors.Add($"{section}:{nameof(options.QueueLength)}: {options.QueueLength} must be between 1 and 10000");
        }

        if (options.Webhooks.Count > MaxWebhooks)
        {
            errors.Add($"{section}:{nameof(options.Webhooks)}: {options.Webhooks.Count} receivers, at most {MaxWebhooks}");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var path = $"{section}:{nameof(options.Webhooks)}:{i}";
            var hook = options.Webhooks[i];
            CheckUrl(errors, path, hook.Url);
            CheckName(errors, path, hook.Name, names);
            if (hook.Events.Count == 0)
            {
                errors.Add($"{path}:Events: list the events to send (names such as {NotificationEvents.RolloutRolledBack}, groups such as rollout.*, or *)");
            }

            for (var e = 0; e < hook.Events.Count; e++)
            {
                if (!NotificationEvents.IsPattern(hook.Events[e] ?? ""))
                {
                    errors.Add($"{path}:Events:{e}: '{hook.Events[e]}' is not an event; use one of {string.Join(", ", NotificationEvents.All)}, a group (rollout.*, breaker.*, config.*, certificate.*) or *");
                }
            }

            if (!string.Equals(hook.Format, NotificationWebhookOptions.JsonFormat, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(hook.Format, NotificationWebhookOptions.SlackFormat, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{path}:Format: '{hook.Format}' is not a format; use {NotificationWebhookOptions.JsonFormat} or {NotificationWebhookOptions.SlackFormat}");
            }

            if (hook.Secret is not null && (hook.Secret.Length is 0 or > 1024 || string.IsNullOrWhiteSpace(hook.Secret)))
            {
                errors.Add($"{path}:Secret: must be 1 to 1024 characters, not blank (or left out to send unsigned calls)");
            }

            for (var r = 0; r < hook.Routes.Count; r++)
            {
                if (string.IsNullOrWhiteSpace(hook.Routes[r]))
                {
                    errors.Add($"{path}:Routes:{r}: a route id is required");
                }
            }

            if (hook.Timeout < MinTimeout || hook.Timeout > MaxTimeout)
            {
                errors.Add($"{path}:Timeout: must be between 00:00:00.1 and 00:01:00");
            }

            if (hook.Retries is < 0 or > WebhookSender.MaxRetries)
            {
                errors.Add($"{path}:Retries: {hook.Retries} must be between 0 and {WebhookSender.MaxRetries}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // The URL itself is never quoted: a Slack or Teams URL carries its token in the path.
    private static void CheckUrl(List<string> errors, string path, string? url)
    {
        // No length limit of its own: the address comes from the configuration file, not from a request body.
        var problem = OutboundAddress.Check(url, int.MaxValue, out _);
        if (problem == OutboundAddressProblem.NotHttp)
        {
            errors.Add($"{path}:Url: must be an absolute http or https URL");
        }
        else if (problem == OutboundAddressProblem.Credentials)
        {
            errors.Add($"{path}:Url: must not carry credentials (user:password@); sign the calls with Secret instead");
        }
    }

    private static void CheckName(List<string> errors, string path, string? name, HashSet<string> names)
    {
        if (name is null)
        {
            return;
        }

        if (!ResourceName.IsValid(name))
        {
            errors.Add($"{path}:Name: must be {ResourceName.Rule}");
        }
        else if (!names.Add(name))
        {
            errors.Add($"{path}:Name: '{name}' names another receiver");
        }
    }
}
