using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Admin;

namespace Proxy.Traffic.WebConsole;

/// <summary>Registers the operator console's sessions; map it with <see cref="ConsoleEndpoints.MapTrafficConsole"/>.</summary>
public static class ConsoleServiceCollectionExtensions
{
    /// <summary>Adds the console's cookie scheme (accepted by the admin policies beside API keys), sessions and login throttle.</summary>
    public static IServiceCollection AddTrafficConsole(this IServiceCollection services)
    {
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ConsoleSessions>();
        services.TryAddSingleton<LoginThrottle>();
        services.AddAuthentication().AddCookie(ConsoleAuthentication.Scheme, _ => { });
        services.AddOptions<CookieAuthenticationOptions>(ConsoleAuthentication.Scheme)
            .Configure<IOptions<ConsoleOptions>>((cookie, console) => ConsoleAuthentication.Configure(cookie, console.Value));
        services.PostConfigure<AdminOptions>(admin =>
        {
            if (!admin.AuthenticationSchemes.Contains(ConsoleAuthentication.Scheme))
            {
                admin.AuthenticationSchemes.Add(ConsoleAuthentication.Scheme);
            }
        });
        return services;
    }
}
