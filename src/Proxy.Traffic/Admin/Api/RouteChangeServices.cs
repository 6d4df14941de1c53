using Microsoft.Extensions.Logging;
using Proxy.Traffic.Splitting;

namespace Proxy.Traffic.Admin.Api;

/// <summary>What every route change handler takes from the application, bound as one parameter (<c>[AsParameters]</c>).</summary>
/// <param name="Store">The split store the change is committed through.</param>
/// <param name="Projection">Describes the route in the answer.</param>
/// <param name="LoggerFactory">Logs an applied change under the <see cref="RouteChangesApi"/> category.</param>
public sealed record RouteChangeServices(SplitStore Store, RouteStateProjection Projection, ILoggerFactory LoggerFactory);
