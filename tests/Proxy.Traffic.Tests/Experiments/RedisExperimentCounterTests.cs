using Proxy.Traffic.Experiments;
using Proxy.Traffic.Experiments.Counting;
using Proxy.Traffic.State.Redis;
using Proxy.Traffic.Tests.State.Redis;

namespace Proxy.Traffic.Tests.Experiments;

/// <summary>Fleet-wide counting in a real Redis (or embedded Garnet): two instances' users counted once, within the HyperLogLog's error.</summary>
public sealed class RedisExperimentCounterTests(RedisServer server) : IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisConnections _connections = new();

    private static ExperimentDefinition Definition() => new(
        "shop", "checkout", ["blue", "green"], null,
        [ExperimentGoal.From(new GoalOptions { Name = "order", Path = "/api/orders" })], 0, ExperimentSettings.Default,
        new ExperimentUserKey("X-User-Id", null, null), "fingerprint");

    [Fact]
    public async Task Two_instances_count_each_user_once_within_the_stated_error()
    {
        var prefix = "fleet-" + Guid.NewGuid().ToString("N");
        var first = new RedisExperimentCounter(Connect(prefix), Definition());
        var second = new RedisExperimentCounter(Connect(prefix), Definition());

        // 20,000 users, each seen by both instances; half of them convert, on the instance that did not expose them.
        for (var i = 0; i < 20_000; i++)
        {
            var user = UserKeyHash.Of($"user-{i}");
            var arm = i % 2;
            first.Expose(user, arm);
            second.Expose(user, arm);
            if (i % 4 < 2)
            {
                (arm == 0 ? second : first).Convert(user, 0, assignedArm: arm);
            }
        }

        var counts = await EventuallyCountedAsync(first, 20_000);

        Assert.Equal(("redis-hyperloglog", 0.0081), (counts.Mode, counts.StandardError));
        Assert.All(counts.Exposed, n => Assert.InRange(n, 10_000 * 0.97, 10_000 * 1.03));
        Assert.All(counts.Converted[0], n => Assert.InRange(n, 5_000 * 0.97, 5_000 * 1.03));
        Assert.Equal(counts.Exposed, (await second.ReadAsync(default)).Exposed);
    }

    public void Dispose() => _connections.Dispose();

    // Sends are fire-and-forget: wait until Redis has taken them.
    private static async Task<ExperimentCounts> EventuallyCountedAsync(RedisExperimentCounter counter, long expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        ExperimentCounts counts;
        long last = -1;
        while (true)
        {
            counts = await counter.ReadAsync(default);
            var total = counts.Exposed.Sum();
            if ((total >= expected * 0.97 && total == last) || DateTime.UtcNow > deadline)
            {
                return counts;
            }

            last = total;
            await Task.Delay(100);
        }
    }

    private RedisStateConnection Connect(string prefix) =>
        _connections.Open(new RedisStateOptions { Configuration = server.Configuration, KeyPrefix = prefix });
}
