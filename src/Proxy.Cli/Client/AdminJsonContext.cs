using System.Text.Json;
using System.Text.Json.Serialization;
using Proxy.Traffic.Admin.Contracts;
using Proxy.Traffic.Rollouts;

namespace Proxy.Cli.Client;

/// <summary>Source-generated JSON for the admin API's contracts, in the API's own (web) naming.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RouteResponse))]
[JsonSerializable(typeof(RouteResponse[]))]
[JsonSerializable(typeof(HistoryEntryResponse[]))]
[JsonSerializable(typeof(IsolationChangeResponse[]))]
[JsonSerializable(typeof(ClusterResponse))]
[JsonSerializable(typeof(MirrorResponse))]
[JsonSerializable(typeof(MirrorDiffsResponse))]
[JsonSerializable(typeof(RolloutResponse))]
[JsonSerializable(typeof(FleetResponse))]
[JsonSerializable(typeof(SetWeightsRequest))]
[JsonSerializable(typeof(PromoteRequest))]
[JsonSerializable(typeof(ReasonRequest))]
[JsonSerializable(typeof(SetMirrorRequest))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(StartRolloutRequest))]
[JsonSerializable(typeof(Proxy.Traffic.Experiments.ExperimentReport))]
[JsonSerializable(typeof(Proxy.Traffic.Experiments.ExperimentReport[]))]
[JsonSerializable(typeof(ExperimentPromotion))]
[JsonSerializable(typeof(PromoteArmRequest))]
[JsonSerializable(typeof(FlagResponse))]
[JsonSerializable(typeof(FlagResponse[]))]
[JsonSerializable(typeof(Proxy.Traffic.Flags.FlagChange[]))]
[JsonSerializable(typeof(SetFlagRequest))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
