using Proxy.Traffic.Experiments.Statistics;

namespace Proxy.Traffic.Tests.Experiments;

/// <summary>The statistics against worked examples published with their figures.</summary>
public class PublishedExampleTests
{
    [Fact]
    public void Difference_of_proportions_has_newcombes_simple_asymptotic_interval()
    {
        // Newcombe, "Interval estimation for the difference between independent proportions", Statistics in Medicine 17
        // (1998) 873–890, Table II example (a): 56/70 − 48/80 = 0.2000, method 1 (Wald) 95 % interval 0.0575 to 0.3425.
        var comparison = ProportionComparison.Of(controlConverted: 48, controlExposed: 80, treatmentConverted: 56, treatmentExposed: 70);

        var (low, high) = comparison.WaldInterval(0.05);

        Assert.Equal(0.2, comparison.AbsoluteLift, 1e-12);
        Assert.Equal(0.0575, low, 4);
        Assert.Equal(0.3425, high, 4);
        Assert.Equal(0.2 / 0.6, comparison.RelativeLift, 12);
    }

    [Fact]
    public void Sample_ratio_mismatch_reproduces_kohavis_example()
    {
        // Kohavi, Tang, Xu, "Trustworthy Online Controlled Experiments" (2020), ch. 3: 821,588 vs 815,482 users in a 50/50
        // experiment, a ratio of 0.993, has a p-value of 1.8E-6: "extremely unlikely", the assignment is broken.
        var result = SampleRatioCheck.Test([821_588, 815_482], [0.5, 0.5]);

        Assert.Equal(22.774, result.ChiSquare, 3);
        Assert.Equal(1.8e-6, result.PValue, 0.05e-6);
        Assert.True(result.Detected);
    }

    [Fact]
    public void Sample_ratio_within_chance_is_not_a_mismatch()
    {
        // 50,210 vs 49,790 (0.4 % apart) at 50/50: chi-square 1.764, p = 0.184.
        var result = SampleRatioCheck.Test([50_210, 49_790], [1, 1]);

        Assert.Equal(1.764, result.ChiSquare, 3);
        Assert.Equal(0.184, result.PValue, 3);
        Assert.False(result.Detected);
    }

    [Fact]
    public void Sample_ratio_uses_the_allocation_not_equal_shares()
    {
        // 90/10 is what a 90/10 allocation should give, and a mismatch for 50/50.
        Assert.False(SampleRatioCheck.Test([9_000, 1_000], [90, 10]).Detected);
        Assert.True(SampleRatioCheck.Test([9_000, 1_000], [50, 50]).Detected);
        Assert.True(SampleRatioCheck.Test([10, 1], [100, 0]).Detected);
    }
}
