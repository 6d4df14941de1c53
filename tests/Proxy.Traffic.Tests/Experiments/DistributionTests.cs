using MathNet.Numerics.Distributions;
using Proxy.Traffic.Experiments.Statistics;

namespace Proxy.Traffic.Tests.Experiments;

/// <summary>The distributions the statistics rest on, against Math.NET Numerics 5.0 as the reference computation.</summary>
public class DistributionTests
{
    [Theory]
    [InlineData(-8.0)]
    [InlineData(-3.2)]
    [InlineData(-1.96)]
    [InlineData(-0.5)]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(1.6448536)]
    [InlineData(2.5)]
    [InlineData(6.0)]
    public void Normal_cdf_matches_the_reference(double z)
    {
        Assert.Equal(Normal.CDF(0, 1, z), NormalDistribution.Cdf(z), 1e-12);
        Assert.Equal(1 - Normal.CDF(0, 1, z), NormalDistribution.UpperTail(z), 1e-12);
    }

    [Fact]
    public void Normal_upper_tail_keeps_its_relative_precision_far_out()
    {
        // P(Z > 8) = 6.22e-16: 1 − Φ(z) in doubles would be 0 or noise.
        var reference = Normal.CDF(0, 1, -8);
        Assert.Equal(reference, NormalDistribution.UpperTail(8), reference * 1e-9);
    }

    [Theory]
    [InlineData(1e-10)]
    [InlineData(0.001)]
    [InlineData(0.025)]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    [InlineData(0.975)]
    [InlineData(0.999999)]
    public void Normal_quantile_matches_the_reference(double p) =>
        Assert.Equal(Normal.InvCDF(0, 1, p), NormalDistribution.Quantile(p), 1e-9);

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(3.84, 1)]
    [InlineData(22.774, 1)]
    [InlineData(5.99, 2)]
    [InlineData(1.0, 3)]
    [InlineData(30.0, 7)]
    [InlineData(120.0, 99)]
    public void Chi_square_tail_matches_the_reference(double x, int degrees)
    {
        var reference = 1 - ChiSquared.CDF(degrees, x);
        Assert.Equal(reference, ChiSquareDistribution.UpperTail(x, degrees), Math.Max(1e-12, reference * 1e-8));
    }
}
