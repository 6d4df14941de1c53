using MathNet.Numerics.Distributions;
using MathNet.Numerics.Integration;
using Proxy.Traffic.Experiments.Statistics;

namespace Proxy.Traffic.Tests.Experiments;

/// <summary>
/// The mSPRT's closed form against the reference computation of its definition (Johari et al. 2017, eq. 7): the likelihood
/// ratio averaged over the mixing distribution, integrated numerically with Math.NET's double-exponential quadrature.
/// </summary>
public class MixtureSequentialTestTests
{
    [Theory]
    [InlineData(0.0, 1e-4, 0.05)]
    [InlineData(0.01, 1e-4, 0.05)]
    [InlineData(0.03, 4e-5, 0.05)]
    [InlineData(-0.02, 2.5e-4, 0.1)]
    [InlineData(0.05, 1e-3, 0.02)]
    public void Likelihood_ratio_is_the_mixture_of_normal_likelihood_ratios(double difference, double variance, double tau)
    {
        var sd = Math.Sqrt(variance);
        double Integrand(double theta) =>
            Normal.PDF(theta, sd, difference) / Normal.PDF(0, sd, difference) * Normal.PDF(0, tau, theta);

        var reference = DoubleExponentialTransformation.Integrate(Integrand, -12 * tau, 12 * tau, 1e-12);

        var closedForm = MixtureSequentialTest.LikelihoodRatio(difference, variance, tau);
        Assert.Equal(reference, closedForm, reference * 1e-7);
    }

    [Theory]
    [InlineData(0.012, 2e-5, 0.05, 0.05)]
    [InlineData(-0.03, 1e-4, 0.02, 0.01)]
    public void Interval_ends_where_the_ratio_reaches_one_over_alpha(double difference, double variance, double tau, double alpha)
    {
        var half = MixtureSequentialTest.HalfWidth(variance, tau, alpha);

        Assert.Equal(1 / alpha, MixtureSequentialTest.LikelihoodRatio(difference, variance, tau, difference + half), 1e-6 / alpha);
        Assert.Equal(1 / alpha, MixtureSequentialTest.LikelihoodRatio(difference, variance, tau, difference - half), 1e-6 / alpha);
    }

    [Fact]
    public void Always_valid_interval_is_wider_than_the_fixed_horizon_one()
    {
        var comparison = ProportionComparison.Of(1_000, 10_000, 1_100, 10_000);
        var (low, high) = comparison.WaldInterval(0.05);

        Assert.True(MixtureSequentialTest.HalfWidth(comparison.Variance, 0.05, 0.05) > (high - low) / 2);
    }

    [Fact]
    public void No_variance_is_no_evidence()
    {
        Assert.Equal(1, MixtureSequentialTest.PValue(0, 0, 0.05));
        Assert.True(double.IsPositiveInfinity(MixtureSequentialTest.HalfWidth(0, 0.05, 0.05)));
    }

    [Fact]
    public void Users_needed_are_just_enough_for_the_lift()
    {
        var needed = SampleSizeEstimate.UsersPerArm(0.1, 0.01, 0.05, 0.05)!.Value;

        Bound(needed, 0.1, 0.01, out var enough);
        Bound(needed - 1, 0.1, 0.01, out var short1);
        Assert.True(enough);
        Assert.False(short1);
        Assert.True(SampleSizeEstimate.UsersPerArm(0.1, 0.02, 0.05, 0.05) < needed);
        Assert.Null(SampleSizeEstimate.UsersPerArm(0, 0.01, 0.05, 0.05));
    }

    private static void Bound(long n, double p, double lift, out bool enough)
    {
        var variance = 2 * p * (1 - p) / n;
        enough = MixtureSequentialTest.HalfWidth(variance, 0.05, 0.05) + Normal.InvCDF(0, 1, 0.8) * Math.Sqrt(variance) <= lift;
    }
}
