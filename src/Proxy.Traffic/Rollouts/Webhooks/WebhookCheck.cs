namespace Proxy.Traffic.Rollouts.Webhooks;

/// <summary>A <c>rollout</c> hook's part in an analysis verdict: anything but a 2xx is a failed check.</summary>
/// <param name="Hook">The hook's name.</param>
/// <param name="Outcome">delivered, refused, timed_out or unreachable.</param>
/// <param name="Status">The answer's status code, if one came.</param>
/// <param name="Passed">True for a 2xx answer.</param>
/// <param name="Detail">The outcome in words ("answered 500: load test failed").</param>
public sealed record WebhookCheck(string Hook, string Outcome, int? Status, bool Passed, string Detail);
