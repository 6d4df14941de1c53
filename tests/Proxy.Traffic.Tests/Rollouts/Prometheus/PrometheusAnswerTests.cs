using System.Net;
using System.Text;
using Proxy.Traffic.Rollouts.Analysis.Prometheus;

namespace Proxy.Traffic.Tests.Rollouts.Prometheus;

public class PrometheusAnswerTests
{
    private static PrometheusQueryResult Read(string body, HttpStatusCode status = HttpStatusCode.OK) => PrometheusAnswer.Read(status, Encoding.UTF8.GetBytes(body));

    private static string Vector(params string[] values) =>
        """{"status":"success","data":{"resultType":"vector","result":["""
        + string.Join(",", values.Select((v, i) => $$"""{"metric":{"i":"{{i}}"},"value":[1700000000.5,"{{v}}"]}"""))
        + "]}}";

    [Fact]
    public void A_single_sample_vector_gives_its_value() => Assert.Equal(PrometheusQueryResult.Of(0.0342), Read(Vector("0.0342")));

    [Fact]
    public void A_scalar_gives_its_value() =>
        Assert.Equal(PrometheusQueryResult.Of(12), Read("""{"status":"success","data":{"resultType":"scalar","result":[1700000000,"12"]}}"""));

    [Theory]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("NaN", double.NaN)]
    [InlineData("1e-7", 1e-7)]
    public void Prometheus_s_special_values_are_read(string text, double expected) => Assert.Equal(expected, Read(Vector(text)).Value);

    [Theory]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[]}}""", "the query returned no series")]
    [InlineData("""{"status":"success","data":{"resultType":"matrix","result":[]}}""", "range vector")]
    [InlineData("""{"status":"success","data":{"resultType":"string","result":[1,"x"]}}""", "returned a string")]
    [InlineData("""{"status":"success"}""", "no data.result")]
    [InlineData("""<html>hello</html>""", "not the query API's JSON")]
    [InlineData("""{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}""", "not a number")]
    public void An_answer_without_one_number_gives_no_value_and_says_why(string body, string why)
    {
        var result = Read(body);

        Assert.Null(result.Value);
        Assert.Contains(why, result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_series_give_no_value_and_say_how_many() =>
        Assert.Equal("the query returned 3 series; a check needs one (aggregate them, e.g. with sum)", Read(Vector("1", "2", "3")).Problem);

    [Fact]
    public void An_error_answer_gives_prometheus_s_reason()
    {
        var result = Read("""{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \"}\""}""", HttpStatusCode.BadRequest);

        Assert.Equal("""Prometheus refused the query (400, bad_data): 1:5: parse error: unexpected "}" """.TrimEnd(), result.Problem);
    }

    [Fact]
    public void A_failed_status_without_json_gives_the_status()
    {
        Assert.Equal("Prometheus answered 500 InternalServerError", Read("boom", HttpStatusCode.InternalServerError).Problem);
        Assert.Equal("Prometheus answered 503 ServiceUnavailable", Read(Vector("1"), HttpStatusCode.ServiceUnavailable).Problem);
    }
}
