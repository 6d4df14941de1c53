using System.Text.Json.Serialization;

namespace Proxy.DemoBackend.Json;

/// <summary>The wire form of the fault settings for <c>/_demo/faults</c>; on input every field is optional.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record DemoFaultsDocument(double? ErrorRate, int? LatencyMs, bool? Healthy, double? AbortRate)
{
    public static DemoFaultsDocument From(DemoFaults faults) =>
        new(faults.ErrorRate, faults.LatencyMs, faults.Healthy, faults.AbortRate);
}
