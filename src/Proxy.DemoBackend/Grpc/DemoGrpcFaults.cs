using System.Runtime.CompilerServices;
using Grpc.Core;

namespace Proxy.DemoBackend.Grpc;

/// <summary>gRPC fault settings of a demo upstream: a status every call ends with (on top of <see cref="DemoFaults.ErrorRate"/>, which fails calls with UNAVAILABLE).</summary>
public sealed class DemoGrpcFaults
{
    private volatile StrongBox<StatusCode>? _failWith;

    /// <summary>When set, every gRPC call ends with this status (as a trailers-only answer, HTTP 200).</summary>
    public StatusCode? FailWith
    {
        get => _failWith?.Value;
        set => _failWith = value is { } code ? new StrongBox<StatusCode>(code) : null;
    }
}
