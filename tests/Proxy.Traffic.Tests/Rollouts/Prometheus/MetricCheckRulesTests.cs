using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;

namespace Proxy.Traffic.Tests.Rollouts.Prometheus;

public class MetricCheckRulesTests
{
    private static readonly PrometheusQueryRequest Query = new("http://127.0.0.1:9090", "up");

    private static StartRolloutRequest Plan(params MetricCheckRequest[] metrics) =>
        new("canary", null, [new RolloutStepRequest(50)], new RolloutAnalysisRequest(TimeSpan.FromSeconds(10), Metrics: metrics));

    private static string[] Fields(StartRolloutRequest plan) => [.. new RolloutPlanValidator().Validate(plan).Errors.Select(e => e.PropertyName)];

    [Fact]
    public void Metrics_alone_are_a_limit_and_become_the_plan_s_checks()
    {
        var plan = Plan(new MetricCheckRequest("errors", Query, Max: 0.01), new MetricCheckRequest("orders", new("https://prom.example/sub/", "sum(x)"), Min: 1, Max: 2));

        Assert.Empty(Fields(plan));
        Assert.Equal(
            [new MetricCheck("errors", new PrometheusQuery("http://127.0.0.1:9090", "up"), 0.01, null), new MetricCheck("orders", new PrometheusQuery("https://prom.example/sub/", "sum(x)"), 2, 1)],
            RolloutPlanReader.Read(plan).Analysis.Metrics!);
    }

    [Theory]
    [InlineData(null, "analysis.metrics[0].prometheus.address")]
    [InlineData("127.0.0.1:9090", "analysis.metrics[0].prometheus.address")]
    [InlineData("ftp://127.0.0.1:9090", "analysis.metrics[0].prometheus.address")]
    [InlineData("http://user:secret@127.0.0.1:9090", "analysis.metrics[0].prometheus.address")]
    [InlineData("http://127.0.0.1:9090/?x=1", "analysis.metrics[0].prometheus.address")]
    public void A_bad_address_is_named(string? address, string field) =>
        Assert.Equal([field], Fields(Plan(new MetricCheckRequest("errors", new(address, "up"), Max: 1))));

    [Fact]
    public void Each_broken_rule_names_its_field()
    {
        var plan = Plan(
            new MetricCheckRequest("errors", new("http://127.0.0.1:9090", ""), Max: 1),
            new MetricCheckRequest("ERRORS", Query, Max: 1),
            new MetricCheckRequest("bad name!", Query),
            new MetricCheckRequest("limits", Query, Max: 1, Min: 2),
            new MetricCheckRequest("nan", Query, Max: double.NaN),
            new MetricCheckRequest("inf", Query, Min: double.NegativeInfinity),
            new MetricCheckRequest("long", new("http://127.0.0.1:9090", new string('x', MetricCheckRules.MaxQueryLength + 1)), Max: 1),
            new MetricCheckRequest("where"),
            null!);

        Assert.Equal(
            [
                "analysis.metrics[0].prometheus.query", "analysis.metrics[1].name", "analysis.metrics[2].name", "analysis.metrics[2]",
                "analysis.metrics[3].min", "analysis.metrics[4].max", "analysis.metrics[5].min", "analysis.metrics[6].prometheus.query",
                "analysis.metrics[7].prometheus", "analysis.metrics[7]", "analysis.metrics[8]",
            ],
            Fields(plan));
    }

    [Fact]
    public void At_most_ten_checks()
    {
        var plan = Plan([.. Enumerable.Range(0, MetricCheckRules.MaxChecks + 1).Select(i => new MetricCheckRequest($"c{i}", Query, Max: 1))]);

        Assert.Equal(["analysis.metrics"], Fields(plan));
    }

    [Fact]
    public void An_empty_list_is_no_check_and_no_limit()
    {
        Assert.Equal(["analysis"], Fields(Plan()));
        Assert.Null(RolloutPlanReader.Read(Plan() with { Analysis = new(TimeSpan.FromSeconds(10), MaxErrorRate: 0.1, Metrics: []) }).Analysis.Metrics);
    }
}
