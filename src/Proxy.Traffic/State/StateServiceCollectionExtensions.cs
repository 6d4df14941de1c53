using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.State;

/// <summary>What <c>AddTrafficSplitting()</c> returns: its services, and where their runtime state lives.</summary>
public interface ITrafficSplittingBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}

/// <summary>Chooses the state backend of <c>AddTrafficSplitting()</c>; without a choice the <c>State</c> section decides (SQLite by default).</summary>
public static class StateBuilderExtensions
{
    /// <summary>Keeps runtime state in one durable SQLite file (the default), at <paramref name="path"/> when given (else <c>State:Sqlite:Path</c>).</summary>
    public static ITrafficSplittingBuilder UseSqliteState(this ITrafficSplittingBuilder builder, string? path = null) =>
        builder.UseState(o =>
        {
            o.Provider = StateOptions.SqliteProvider;
            o.Sqlite.Path = path ?? o.Sqlite.Path;
        });

    /// <summary>Shares runtime state with the other instances of a fleet through Redis (<c>State:Redis</c>, adjusted by <paramref name="configure"/>).</summary>
    public static ITrafficSplittingBuilder UseRedisState(this ITrafficSplittingBuilder builder, Action<Redis.RedisStateOptions>? configure = null) =>
        builder.UseState(o =>
        {
            o.Provider = StateOptions.RedisProvider;
            configure?.Invoke(o.Redis);
        });

    /// <summary>Keeps runtime state in memory: nothing survives a restart.</summary>
    public static ITrafficSplittingBuilder UseInMemoryState(this ITrafficSplittingBuilder builder) =>
        builder.UseState(o => o.Provider = StateOptions.InMemoryProvider);

    /// <summary>Binds the <c>State</c> section and registers the one state store over the backend it names.</summary>
    internal static IServiceCollection AddRuntimeState(this IServiceCollection services)
    {
        services.AddOptions<StateOptions>().BindConfiguration(StateOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StateOptions>, StateOptionsValidator>());
        services.TryAddSingleton(StateBackend.Create);
        services.TryAddSingleton(sp => sp.GetRequiredService<StateBackend>().Repository);
        services.TryAddSingleton(sp => sp.GetRequiredService<StateBackend>().Redis
            ?? throw new InvalidOperationException("The fleet's Redis connection exists only with State:Provider=Redis (UseRedisState())."));
        services.TryAddSingleton(sp => new RuntimeStateStore(sp.GetRequiredService<IStateRepository>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static ITrafficSplittingBuilder UseState(this ITrafficSplittingBuilder builder, Action<StateOptions> choose)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.PostConfigure(choose);
        return builder;
    }
}

/// <summary>The builder <c>AddTrafficSplitting()</c> returns.</summary>
internal sealed class TrafficSplittingBuilder(IServiceCollection services) : ITrafficSplittingBuilder
{
    public IServiceCollection Services { get; } = services;
}
