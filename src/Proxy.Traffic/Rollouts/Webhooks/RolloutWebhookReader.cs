namespace Proxy.Traffic.Rollouts.Webhooks;

/// <summary>Turns the validated <c>webhooks</c> of a plan into <see cref="RolloutWebhook"/>s, filling in the defaults.</summary>
public static class RolloutWebhookReader
{
    /// <summary>The plan's hooks, or null when it has none (so its stored form and fingerprint stay as before hooks existed).</summary>
    public static IReadOnlyList<RolloutWebhook>? Read(IReadOnlyList<RolloutWebhookRequest?>? requests) =>
        requests is not { Count: > 0 }
            ? null
            : [.. requests.Select(r => new RolloutWebhook(
                r!.Name!,
                RolloutWebhookTypes.Parse(r.Type)!.Value,
                RolloutWebhookRules.UrlOf(r.Url),
                r.Timeout ?? RolloutWebhook.DefaultTimeout,
                r.Metadata is null ? new Dictionary<string, string>() : new Dictionary<string, string>(r.Metadata, StringComparer.Ordinal)))];

    /// <summary>True when a step of the plan raises the candidate's weight after the first (what confirm-traffic-increase holds).</summary>
    public static bool RaisesWeight(StartRolloutRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RolloutPlanReader.StrategyOf(request.Strategy) == RolloutStrategy.BlueGreen)
        {
            return request.PrePromotionWindow is not null; // the switch from the preview's 0 to 100
        }

        var steps = request.Steps ?? [];
        for (var i = 1; i < steps.Count; i++)
        {
            if (steps[i]?.Weight > steps[i - 1]?.Weight)
            {
                return true;
            }
        }

        return false;
    }
}
