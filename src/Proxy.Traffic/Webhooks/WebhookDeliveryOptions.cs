using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Webhooks;

/// <summary>The <c>Webhooks</c> section: how every outgoing webhook call (rollout hooks, notifications) is retried.</summary>
public sealed class WebhookDeliveryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>The first retry's delay; each next one doubles it (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Range-checks <c>Webhooks</c> at start-up; each error names its configuration path.</summary>
public sealed class WebhookDeliveryOptionsValidator : IValidateOptions<WebhookDeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookDeliveryOptions options)
    {
        var errors = new List<string>();
        if (options.RetryDelay < TimeSpan.FromMilliseconds(10) || options.RetryDelay > TimeSpan.FromSeconds(30))
        {
            errors.Add($"{WebhookDeliveryOptions.SectionName}:{nameof(options.RetryDelay)}: must be between 00:00:00.010 and 00:00:30");
        }

        if (options.MaxRetryDelay < options.RetryDelay || options.MaxRetryDelay > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{WebhookDeliveryOptions.SectionName}:{nameof(options.MaxRetryDelay)}: must be between {nameof(options.RetryDelay)} and 00:05:00");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
