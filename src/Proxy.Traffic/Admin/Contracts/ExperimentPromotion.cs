using Proxy.Traffic.Experiments;

namespace Proxy.Traffic.Admin.Contracts;

/// <summary>The answer of a promotion: the experiment as it ended, and the route or flag as it is now.</summary>
public sealed record ExperimentPromotion(ExperimentReport Experiment, RouteResponse? Route, FlagResponse? Flag);
