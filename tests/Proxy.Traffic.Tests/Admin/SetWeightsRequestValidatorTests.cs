using FluentValidation;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Tests.Admin;

public class SetWeightsRequestValidatorTests
{
    private static readonly SplitSnapshot Shop = new("shop", 3, new SplitDefinition("blue", [new("blue", 9000), new("canary", 1000)], null, []));

    private static Dictionary<string, string[]> Errors(Dictionary<string, decimal>? weights, string? reason = null)
    {
        var context = new ValidationContext<SetWeightsRequest>(new SetWeightsRequest(weights, reason));
        context.RootContextData[RouteSplitFilter.SplitKey] = Shop;
        return new SetWeightsRequestValidator().Validate(context).ToDictionary().ToDictionary(e => e.Key, e => e.Value);
    }

    [Theory]
    [InlineData(100, 0)]
    [InlineData(0.01, 99.99)]
    [InlineData(33.33, 66.67)]
    public void Weights_of_the_splits_clusters_summing_to_100_are_valid(double blue, double canary)
    {
        Assert.Empty(Errors(new() { ["blue"] = (decimal)blue, ["canary"] = (decimal)canary }));
    }

    [Fact]
    public void Clusters_left_out_count_as_zero()
    {
        Assert.Empty(Errors(new() { ["blue"] = 100 }));
    }

    [Fact]
    public void Each_problem_names_its_field()
    {
        var errors = Errors(new() { ["blue"] = 33.333m, ["ghost"] = -1 }, new string('x', 501));

        Assert.Equal(["weights.blue", "weights.ghost", "reason"], errors.Keys);
        Assert.Equal(["cluster 'ghost' is not part of route 'shop''s split (blue, canary)", "weight -1 must be between 0 and 100 with at most two decimals"], errors["weights.ghost"]);
    }

    [Fact]
    public void Valid_weights_not_summing_to_100_name_the_sum()
    {
        Assert.Equal(["weights sum to 99.99; they must sum to exactly 100"], Errors(new() { ["blue"] = 50, ["canary"] = 49.99m })["weights"]);
    }

    [Fact]
    public void Weights_near_the_decimal_limit_are_refused_without_overflowing_the_sum()
    {
        var errors = Errors(new() { ["blue"] = decimal.MaxValue, ["canary"] = decimal.MaxValue });

        Assert.Equal(["weights.blue", "weights.canary"], errors.Keys);
    }

    [Fact]
    public void Missing_weights_are_reported()
    {
        Assert.Equal(["weights"], Errors(null).Keys);
    }
}
