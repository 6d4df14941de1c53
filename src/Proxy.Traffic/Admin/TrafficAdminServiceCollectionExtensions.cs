using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Proxy.Traffic.Admin.Api;
using Proxy.Traffic.Admin.Auth;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Admin.Listener;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Configuration;
using Proxy.Traffic.Events;
using Proxy.Traffic.Notifications;
using Proxy.Traffic.Rollouts;

namespace Proxy.Traffic.Admin;

/// <summary>Registers the admin API's services; map it with <see cref="TrafficAdminEndpointRouteBuilderExtensions.MapTrafficAdmin"/>.</summary>
public static class TrafficAdminServiceCollectionExtensions
{
    /// <summary>Adds API key authentication, the admin policies, validation, probes, OpenAPI and the listener isolation.</summary>
    public static IServiceCollection AddTrafficAdmin(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>());

        // A configuration file's new version with broken admin keys is refused whole, rather than the keys failing on use.
        services.AddSingleton<IConfigurationCheck>(sp => new OptionsConfigurationCheck<AdminOptions>(AdminOptions.SectionName, sp.GetServices<IValidateOptions<AdminOptions>>()));

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AdminAuthorization.ApiKeyScheme, null);
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AdminOptions>>((authorization, admin) => AdminAuthorization.AddPolicies(authorization, admin.Value));

        services.AddProblemDetails();
        services.TryAddSingleton<AdminRequestReader>();
        services.TryAddSingleton<RouteStateProjection>();
        services.TryAddSingleton<IValidator<SetWeightsRequest>, SetWeightsRequestValidator>();
        services.TryAddSingleton<IValidator<PromoteRequest>, PromoteRequestValidator>();
        services.TryAddSingleton<IValidator<ReasonRequest>, ReasonRequestValidator>();
        services.TryAddSingleton<IValidator<SetMirrorRequest>, SetMirrorRequestValidator>();
        services.TryAddSingleton<IValidator<StartRolloutRequest>, StartRolloutRequestValidator>();
        services.TryAddSingleton<IValidator<SetFlagRequest>, SetFlagRequestValidator>();
        services.TryAddSingleton<IValidator<PromoteArmRequest>, PromoteArmRequestValidator>();
        services.TryAddSingleton<Experiments.ExperimentReporter>();

        services.AddTrafficEvents();
        services.AddNotifications();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, AdminListenerMatcherPolicy>());
        services.AddHealthChecks().AddCheck<StateReadinessCheck>("state", tags: [ProbesApi.ReadyTag]);
        services.AddOpenApi(openApi =>
        {
            openApi.AddOperationTransformer<AdminRequestBodyTransformer>();
            openApi.AddDocumentTransformer<AdminSecuritySchemeTransformer>();
            openApi.AddOperationTransformer<AdminSecuritySchemeTransformer>();
        });
        return services;
    }
}
