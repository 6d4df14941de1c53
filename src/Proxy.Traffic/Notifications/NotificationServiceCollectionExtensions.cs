using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Events;
using Proxy.Traffic.Webhooks;

namespace Proxy.Traffic.Notifications;

/// <summary>Registers the notifications: subscribers of the event stream that post to <c>Notifications:Webhooks</c>; <c>AddTrafficAdmin()</c> calls it.</summary>
public static class NotificationServiceCollectionExtensions
{
    /// <summary>Adds the <c>Notifications</c> options (validated at start-up and on every new version of a configuration file), the stream subscription and the notifier.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(NotificationIntake)))
        {
            return services;
        }

        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());

        // A configuration file's new version with a bad receiver is refused whole: the receivers in force stay.
        services.AddSingleton<IConfigurationCheck>(sp => new OptionsConfigurationCheck<NotificationOptions>(NotificationOptions.SectionName, sp.GetServices<IValidateOptions<NotificationOptions>>()));

        services.AddWebhookSender();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NotificationMetrics>();
        services.AddSingleton<NotificationIntake>();
        services.AddSingleton<IProxyEventListener>(sp => sp.GetRequiredService<NotificationIntake>());
        services.AddSingleton<WebhookNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookNotifier>());
        return services;
    }
}
