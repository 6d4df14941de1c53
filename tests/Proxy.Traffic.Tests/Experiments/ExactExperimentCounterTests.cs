using Proxy.Traffic.Experiments.Counting;

namespace Proxy.Traffic.Tests.Experiments;

public class ExactExperimentCounterTests
{
    [Fact]
    public void Users_count_once_in_the_arm_they_were_first_exposed_to()
    {
        var counter = new ExactExperimentCounter(arms: 2, goals: 1, maxUsers: 1_000);
        counter.Expose(UserKeyHash.Of("alice"), 0);
        counter.Expose(UserKeyHash.Of("alice"), 1);
        counter.Expose(UserKeyHash.Of("bob"), 1);
        counter.Convert(UserKeyHash.Of("bob"), 0, -1);
        counter.Convert(UserKeyHash.Of("bob"), 0, -1);
        counter.Convert(UserKeyHash.Of("carol"), 0, 1);

        var counts = counter.Read();

        Assert.Equal([1L, 1L], counts.Exposed);
        Assert.Equal([0L, 1L], counts.Converted[0]);
        Assert.False(counts.Capped);
        Assert.Equal("exact", counts.Mode);
    }

    [Fact]
    public void Past_its_limit_it_stops_adding_users_and_says_so()
    {
        var counter = new ExactExperimentCounter(arms: 2, goals: 1, maxUsers: 1_000);
        for (var i = 0; i < 5_000; i++)
        {
            counter.Expose(UserKeyHash.Of($"user-{i}"), i % 2);
        }

        var counts = counter.Read();

        Assert.Equal(1_000, counts.Exposed.Sum());
        Assert.True(counts.Capped);
    }

    [Fact]
    public void Hashes_of_a_million_keys_do_not_collide()
    {
        var seen = new HashSet<ulong>();
        for (var i = 0; i < 1_000_000; i++)
        {
            Assert.True(seen.Add(UserKeyHash.Of($"user-{i}")));
        }
    }
}
