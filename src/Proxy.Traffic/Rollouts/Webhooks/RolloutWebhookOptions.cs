using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Rollouts.Webhooks;

/// <summary>The <c>Rollouts</c> section: the secret every rollout webhook call is signed with.</summary>
public sealed class RolloutWebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Rollouts";

    /// <summary>The shortest secret accepted.</summary>
    public const int MinSecretLength = 16;

    /// <summary>
    /// The HMAC-SHA256 key of <c>X-Proxy-Signature</c> on every rollout webhook call; receivers share it. Without one the
    /// calls go unsigned (a warning is logged once). Never logged, never shown by the admin API or the event stream.
    /// </summary>
    public string? WebhookSecret { get; set; }
}

/// <summary>Checks <c>Rollouts:WebhookSecret</c> at start-up (its length only: the value is never repeated).</summary>
public sealed class RolloutWebhookOptionsValidator : IValidateOptions<RolloutWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, RolloutWebhookOptions options) =>
        options.WebhookSecret is { } secret && (secret.Length < RolloutWebhookOptions.MinSecretLength || secret.Length > 1024 || string.IsNullOrWhiteSpace(secret))
            ? ValidateOptionsResult.Fail($"{RolloutWebhookOptions.SectionName}:{nameof(options.WebhookSecret)}: must have {RolloutWebhookOptions.MinSecretLength} to 1024 characters, not only spaces")
            : ValidateOptionsResult.Success;
}
