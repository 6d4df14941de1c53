using Proxy.Traffic.Rollouts.Analysis.Prometheus;

namespace Proxy.Traffic.Tests.Rollouts.Prometheus;

public class PrometheusQueryTextTests
{
    [Fact]
    public void Route_candidate_stable_and_interval_are_substituted_everywhere_they_appear()
    {
        var query = PrometheusQueryText.Substitute(
            """sum(rate(x{route="{{route}}",cluster="{{candidate}}"}[{{interval}}])) / sum(rate(x{cluster=~"{{candidate}}|{{stable}}"}[{{interval}}])) + {{other}}""",
            "shop", "shop-canary", "shop-blue", TimeSpan.FromSeconds(30));

        Assert.Equal("""sum(rate(x{route="shop",cluster="shop-canary"}[30s])) / sum(rate(x{cluster=~"shop-canary|shop-blue"}[30s])) + {{other}}""", query);
    }

    [Fact]
    public void Ids_are_escaped_for_the_promql_string_they_are_put_in()
    {
        var query = PrometheusQueryText.Substitute("""x{cluster="{{candidate}}"}""", "shop", """can"ary\1""", "blue", TimeSpan.FromSeconds(1));

        Assert.Equal("""x{cluster="can\"ary\\1"}""", query);
    }

    [Theory]
    [InlineData(10_000, "10s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(500, "500ms")]
    [InlineData(1_500, "1s500ms")]
    [InlineData(180_000, "3m")]
    [InlineData(3_723_004, "1h2m3s4ms")]
    [InlineData(90_000_000, "25h")]
    public void The_interval_is_written_in_prometheus_duration_syntax(int milliseconds, string expected) =>
        Assert.Equal(expected, PrometheusQueryText.Duration(TimeSpan.FromMilliseconds(milliseconds)));
}
