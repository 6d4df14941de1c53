using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Proxy.Traffic.Webhooks;

/// <summary>Registers the one <see cref="WebhookSender"/> that rollout hooks and notifications share.</summary>
public static class WebhookServiceCollectionExtensions
{
    /// <summary>Adds <see cref="WebhookSender"/>, its <see cref="HttpClient"/> and the <c>Webhooks</c> options (once, however often it is called).</summary>
    public static IServiceCollection AddWebhookSender(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(WebhookSender)))
        {
            return services; // rollouts and notifications both ask for it
        }

        services.AddOptions<WebhookDeliveryOptions>().BindConfiguration(WebhookDeliveryOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookDeliveryOptions>, WebhookDeliveryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        services.AddSingleton<WebhookSender>();
        return services;
    }
}
