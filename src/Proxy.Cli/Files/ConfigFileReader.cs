using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Proxy.Traffic.Admin;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.State;
using Yarp.ReverseProxy.Configuration;

namespace Proxy.Cli.Files;

/// <summary>
/// Reads a gateway configuration file offline the way the gateway does — its <see cref="TrafficSplitConfigReader"/>, its
/// options validators and YARP's own route and cluster validation — collecting every error with the same messages.
/// </summary>
public static class ConfigFileReader
{
    /// <summary>The file's traffic split (valid or not) and every error of every section.</summary>
    public static async Task<(TrafficSplitConfig? Split, IReadOnlyList<string> Errors)> ReadAsync(string path)
    {
        IConfigurationRoot configuration;
        try
        {
            if (new FileInfo(path) is { Exists: true, Length: 0 })
            {
                return (null, ["the file is empty (the gateway refuses an empty configuration file)"]);
            }

            configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or JsonException)
        {
            return (null, [$"cannot read the file: {ex.InnerException?.Message ?? ex.Message}"]);
        }

        var errors = new List<string>();
        var split = new TrafficSplitConfigReader(configuration, new ProxyTopology(configuration, [])).Read();
        errors.AddRange(split.Errors);
        errors.AddRange(SectionErrors<AdminOptions>(configuration, AdminOptions.SectionName, o => new AdminOptionsValidator().Validate(null, o)));
        errors.AddRange(SectionErrors<StateOptions>(configuration, StateOptions.SectionName, o => new StateOptionsValidator().Validate(null, o)));
        errors.AddRange(await ReverseProxyErrorsAsync(configuration).ConfigureAwait(false));
        return (split, errors);
    }

    private static IEnumerable<string> SectionErrors<T>(IConfiguration configuration, string sectionName, Func<T, Microsoft.Extensions.Options.ValidateOptionsResult> validate)
        where T : class, new()
    {
        var section = configuration.GetSection(sectionName);
        if (!section.Exists())
        {
            return [];
        }

        T options;
        try
        {
            options = section.Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            return [$"{sectionName}: {ex.InnerException?.Message ?? ex.Message}"];
        }

        return validate(options).Failures ?? [];
    }

    // YARP's validator, as the gateway runs it on start and on every reload.
    private static async Task<List<string>> ReverseProxyErrorsAsync(IConfiguration configuration)
    {
        var errors = new List<string>();
        var services = new ServiceCollection().AddLogging();
        services.AddReverseProxy().LoadFromConfig(configuration.GetSection(ProxyTopology.SectionName));
        using var provider = services.BuildServiceProvider();
        IProxyConfig config;
        try
        {
            config = provider.GetRequiredService<IProxyConfigProvider>().GetConfig();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            return [$"{ProxyTopology.SectionName}: {ex.InnerException?.Message ?? ex.Message}"];
        }

        var validator = provider.GetRequiredService<IConfigValidator>();
        foreach (var route in config.Routes)
        {
            errors.AddRange((await validator.ValidateRouteAsync(route).ConfigureAwait(false))
                .Select(e => $"{ProxyTopology.SectionName}:Routes:{route.RouteId}: {e.Message}"));
        }

        foreach (var cluster in config.Clusters)
        {
            errors.AddRange((await validator.ValidateClusterAsync(cluster).ConfigureAwait(false))
                .Select(e => $"{ProxyTopology.SectionName}:Clusters:{cluster.ClusterId}: {e.Message}"));
        }

        return errors;
    }
}
