using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proxy.Traffic.State;

namespace Proxy.Traffic.Tests.State;

/// <summary>The builder <c>AddTrafficSplitting()</c> returns picks the backend over what the <c>State</c> section says.</summary>
public sealed class StateBuilderExtensionsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("proxy-state-builder-").FullName;

    [Fact]
    public void UseSqliteState_with_a_path_puts_the_state_in_that_file_whatever_the_section_says()
    {
        var path = Path.Combine(_directory, "chosen.db");
        using var services = Build(new() { ["State:Provider"] = "InMemory", ["State:Sqlite:Path"] = "elsewhere.db" }, b => b.UseSqliteState(path));

        var repository = Assert.IsType<SqliteStateRepository>(services.GetRequiredService<StateBackend>().Repository);
        Assert.Equal(path, repository.DatabasePath);
        Assert.Null(services.GetRequiredService<StateBackend>().Redis);
    }

    [Fact]
    public void UseSqliteState_without_a_path_keeps_the_sections_path()
    {
        var path = Path.Combine(_directory, "configured.db");
        using var services = Build(new() { ["State:Provider"] = "InMemory", ["State:Sqlite:Path"] = path }, b => b.UseSqliteState());

        Assert.Equal(path, Assert.IsType<SqliteStateRepository>(services.GetRequiredService<StateBackend>().Repository).DatabasePath);
    }

    [Fact]
    public void UseInMemoryState_overrides_a_configured_file()
    {
        using var services = Build(new() { ["State:Provider"] = "Sqlite", ["State:Sqlite:Path"] = Path.Combine(_directory, "unused.db") }, b => b.UseInMemoryState());

        Assert.IsType<InMemoryStateRepository>(services.GetRequiredService<StateBackend>().Repository);
        Assert.False(File.Exists(Path.Combine(_directory, "unused.db")));
    }

    [Fact]
    public void UseRedisState_chooses_Redis_and_adjusts_the_sections_options()
    {
        using var services = Build(
            new() { ["State:Provider"] = "Sqlite", ["State:Redis:Configuration"] = "redis.internal:6380", ["State:Redis:KeyPrefix"] = "from-file" },
            b => b.UseRedisState(redis => redis.KeyPrefix = "fleet-a"));

        var options = services.GetRequiredService<IOptions<StateOptions>>().Value;
        Assert.Equal(StateOptions.RedisProvider, options.Provider);
        Assert.Equal("redis.internal:6380", options.Redis.Configuration);
        Assert.Equal("fleet-a", options.Redis.KeyPrefix);
    }

    [Fact]
    public void Without_a_choice_the_section_decides()
    {
        using var services = Build(new() { ["State:Provider"] = "InMemory" }, _ => { });

        Assert.IsType<InMemoryStateRepository>(services.GetRequiredService<StateBackend>().Repository);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<ITrafficSplittingBuilder> choose)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddReverseProxy();
        choose(services.AddTrafficSplitting());
        return services.BuildServiceProvider();
    }
}
