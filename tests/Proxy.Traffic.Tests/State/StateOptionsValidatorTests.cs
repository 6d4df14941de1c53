using Proxy.Traffic.State;
using Proxy.Traffic.State.Redis;

namespace Proxy.Traffic.Tests.State;

public class StateOptionsValidatorTests
{
    private static string[] Errors(StateOptions options) =>
        [.. new StateOptionsValidator().Validate(options).Errors.Select(e => e.PropertyName)];

    [Fact]
    public void The_defaults_and_every_provider_with_defaults_are_valid()
    {
        Assert.Empty(Errors(new StateOptions()));
        Assert.Empty(Errors(new StateOptions { Provider = "redis" }));
        Assert.Empty(Errors(new StateOptions { Provider = "InMemory" }));
    }

    [Fact]
    public void Each_bad_setting_is_named_by_its_configuration_path()
    {
        Assert.Equal(["State:Provider"], Errors(new StateOptions { Provider = "Postgres" }));
        var redis = new RedisStateOptions { Configuration = "", KeyPrefix = "", ResyncInterval = TimeSpan.Zero, RolloutLeaseDuration = TimeSpan.FromMilliseconds(100) };
        Assert.Equal(
            ["State:Redis:Configuration", "State:Redis:KeyPrefix", "State:Redis:ResyncInterval", "State:Redis:RolloutLeaseDuration"],
            Errors(new StateOptions { Provider = "Redis", Redis = redis }));
    }

    [Fact]
    public void Redis_settings_are_not_checked_for_another_provider()
    {
        Assert.Empty(Errors(new StateOptions { Redis = new RedisStateOptions { KeyPrefix = "" } }));
    }
}
