using Proxy.Traffic.Configuration;
using FluentValidation;
using Proxy.Traffic.Webhooks;

namespace Proxy.Traffic.Rollouts.Webhooks;

/// <summary>
/// The <c>webhooks</c> of a plan, checked whole: at most <see cref="MaxWebhooks"/>, unique names, one of the seven types,
/// an absolute http(s) url (left out only by a confirm-* hook, which makes it a manual gate), a timeout in range, and
/// bounded metadata. Each error names its field, e.g. <c>webhooks[1].url</c>.
/// </summary>
public static class RolloutWebhookRules
{
    /// <summary>The most webhooks a plan may have.</summary>
    public const int MaxWebhooks = 20;

    /// <summary>The most metadata entries of one webhook.</summary>
    public const int MaxMetadataEntries = 20;

    private const int MaxUrlLength = 2048;
    private const int MaxMetadataValueLength = 1024;
    private const int MaxMetadataChars = 8192;

    /// <summary>The shortest timeout of one attempt.</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest timeout of one attempt.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Adds a failure for each thing wrong with <paramref name="webhooks"/> (none when it is null).</summary>
    public static void Check<T>(ValidationContext<T> context, IReadOnlyList<RolloutWebhookRequest?>? webhooks, bool raisesWeight)
    {
        if (webhooks is null)
        {
            return;
        }

        if (webhooks.Count > MaxWebhooks)
        {
            context.AddFailure("webhooks", $"at most {MaxWebhooks} webhooks");
            return;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < webhooks.Count; i++)
        {
            var field = $"webhooks[{i}]";
            if (webhooks[i] is not { } hook)
            {
                context.AddFailure(field, "a webhook is required: { \"name\": …, \"type\": …, \"url\": … }");
                continue;
            }

            if (!ResourceName.IsValid(hook.Name))
            {
                context.AddFailure($"{field}.name", $"a name of {ResourceName.Rule} is required");
            }
            else if (!names.Add(hook.Name))
            {
                context.AddFailure($"{field}.name", $"'{hook.Name}' names another webhook of the plan: names are unique");
            }

            var type = RolloutWebhookTypes.Parse(hook.Type);
            if (type is null)
            {
                context.AddFailure($"{field}.type", $"'{hook.Type}' is not a webhook type; use one of {string.Join(", ", RolloutWebhookTypes.All)}");
            }
            else if (type == RolloutWebhookType.ConfirmTrafficIncrease && !raisesWeight)
            {
                context.AddFailure($"{field}.type", "confirm-traffic-increase would never be asked: no step of the plan raises the candidate's weight after the first");
            }

            CheckUrl(context, $"{field}.url", hook.Url, type);
            if (hook.Timeout is { } timeout && (timeout < MinTimeout || timeout > MaxTimeout))
            {
                context.AddFailure($"{field}.timeout", $"must be between {MinTimeout:c} and {MaxTimeout:c}");
            }

            CheckMetadata(context, $"{field}.metadata", hook.Metadata);
        }
    }

    /// <summary>The url of a request that passed <see cref="Check"/>, or null for a manual gate.</summary>
    internal static Uri? UrlOf(string? url) => string.IsNullOrEmpty(url) ? null : new Uri(url, UriKind.Absolute);

    private static void CheckUrl<T>(ValidationContext<T> context, string field, string? url, RolloutWebhookType? type)
    {
        if (string.IsNullOrEmpty(url))
        {
            if (type is { } known && !known.IsGate())
            {
                context.AddFailure(field, $"a url is required: only confirm-* hooks may be manual gates, and {known.Name()} is not one");
            }

            return;
        }

        var problem = OutboundAddress.Check(url, MaxUrlLength, out _);
        if (problem == OutboundAddressProblem.NotHttp)
        {
            context.AddFailure(field, $"an absolute http or https address of at most {MaxUrlLength} characters is required");
        }
        else if (problem == OutboundAddressProblem.Credentials)
        {
            // Credentials in an address end up wherever addresses are shown; the signature authenticates the gateway.
            context.AddFailure(field, "must not carry credentials: receivers check the X-Proxy-Signature header (Rollouts:WebhookSecret)");
        }
    }

    private static void CheckMetadata<T>(ValidationContext<T> context, string field, Dictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > MaxMetadataEntries)
        {
            context.AddFailure(field, $"at most {MaxMetadataEntries} entries");
            return;
        }

        var chars = 0;
        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > ResourceName.MaxLength)
            {
                context.AddFailure(field, $"keys have 1 to {ResourceName.MaxLength} characters");
            }
            else if (value is null || value.Length > MaxMetadataValueLength)
            {
                context.AddFailure($"{field}.{key}", $"a string of at most {MaxMetadataValueLength} characters is required");
            }

            chars += key.Length + (value?.Length ?? 0);
        }

        if (chars > MaxMetadataChars)
        {
            context.AddFailure(field, $"at most {MaxMetadataChars} characters in all");
        }
    }
}
