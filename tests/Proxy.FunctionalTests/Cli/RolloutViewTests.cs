using Proxy.Cli.Output;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Rollouts.Analysis;

namespace Proxy.FunctionalTests.Cli;

public class RolloutViewTests
{
    [Fact]
    public void A_verdict_line_lists_each_prometheus_check_s_value_or_why_it_has_none_with_its_limits()
    {
        var at = new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero);
        var verdict = new VerdictResponse(
            at, 0, "fail", new ClusterFigures("canary", 20, 0, 3), new ClusterFigures("blue", 80, 0, 2), null,
            "checkout-errors = 0.0342 above the limit 0.01; the gateway's own limits met",
            Metrics: [new("checkout-errors", "fail", 0.0342, null, 0.01, null), new("orders", "inconclusive", null, 1, null, "the query returned no series")]);
        var rollout = new RolloutResponse(
            "shop", 1, "canary", "blue", "canary", "RolledBack", 0, 2, new Dictionary<string, decimal> { ["blue"] = 100, ["canary"] = 0 },
            at, at, null, null, null, 1, [verdict], [], null);

        Assert.EndsWith(
            "| verdict fail: checkout-errors = 0.0342 above the limit 0.01; the gateway's own limits met (canary: 20 requests, 0.0% errors, p99 3 ms; "
            + "blue: 80 requests, 0.0% errors, p99 2 ms; checkout-errors = 0.0342 (max 0.01); orders inconclusive: the query returned no series (min 1))",
            RolloutView.Line(rollout),
            StringComparison.Ordinal);
    }
}
