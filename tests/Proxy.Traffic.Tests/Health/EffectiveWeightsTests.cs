using Proxy.Traffic.Health;

namespace Proxy.Traffic.Tests.Health;

public class EffectiveWeightsTests
{
    [Fact]
    public void All_available_keeps_the_configured_weights()
    {
        Assert.Equal([8000, 1500, 500], EffectiveWeights.Compute([8000, 1500, 500], 0, [true, true, true])!);
    }

    [Fact]
    public void A_broken_candidate_gives_its_share_to_stable()
    {
        Assert.Equal([8500, 1500, 0], EffectiveWeights.Compute([8000, 1500, 500], 0, [true, true, false])!);
    }

    [Fact]
    public void A_broken_stable_shares_out_in_proportion_to_weight()
    {
        Assert.Equal([0, 7500, 2500], EffectiveWeights.Compute([6000, 3000, 1000], 0, [false, true, true])!);
    }

    [Fact]
    public void A_broken_stable_with_zero_weight_survivors_shares_equally()
    {
        var effective = EffectiveWeights.Compute([10000, 0, 0], 0, [false, true, true])!;

        Assert.Equal(10000, effective.Sum());
        Assert.Equal(0, effective[0]);
        Assert.InRange(effective[1], 4999, 5001);
    }

    [Fact]
    public void Rounding_never_loses_a_basis_point()
    {
        var effective = EffectiveWeights.Compute([3333, 3334, 3333], 1, [true, false, true])!;

        Assert.Equal(10000, effective.Sum());
    }

    [Fact]
    public void Nothing_available_is_null()
    {
        Assert.Null(EffectiveWeights.Compute([5000, 5000], 0, [false, false])!);
    }
}
