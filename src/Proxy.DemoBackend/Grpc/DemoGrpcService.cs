using Grpc.Core;

namespace Proxy.DemoBackend.Grpc;

/// <summary>The demo's gRPC service: each answer names the version that served it; faults come from the upstream's settings.</summary>
internal sealed class DemoGrpcService(DemoUpstreamServer server) : DemoService.DemoServiceBase
{
    private const int MaxTicks = 10_000;
    private const int MaxIntervalMs = 60_000;

    public override Task<VersionReply> GetVersion(VersionRequest request, ServerCallContext context)
    {
        ThrowIfFaulted();
        return Task.FromResult(new VersionReply { Version = server.Version, Instance = server.Instance });
    }

    public override async Task StreamTicks(TicksRequest request, IServerStreamWriter<Tick> responseStream, ServerCallContext context)
    {
        if (request.Count is < 0 or > MaxTicks || request.IntervalMs is < 0 or > MaxIntervalMs)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"count must be 0..{MaxTicks} and interval_ms 0..{MaxIntervalMs}"));
        }

        ThrowIfFaulted();
        for (var i = 1; i <= request.Count; i++)
        {
            if (i > 1 && request.IntervalMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(request.IntervalMs), server.TimeProvider, context.CancellationToken).ConfigureAwait(false);
            }

            await responseStream.WriteAsync(new Tick { Sequence = i, Version = server.Version }, context.CancellationToken).ConfigureAwait(false);
        }
    }

    public override async Task Echo(IAsyncStreamReader<EchoMessage> requestStream, IServerStreamWriter<EchoMessage> responseStream, ServerCallContext context)
    {
        ThrowIfFaulted();
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            await responseStream.WriteAsync(new EchoMessage { Text = requestStream.Current.Text, Version = server.Version }, context.CancellationToken).ConfigureAwait(false);
        }
    }

    private void ThrowIfFaulted()
    {
        if (server.GrpcFaults.FailWith is { } status)
        {
            throw new RpcException(new Status(status, $"injected by the demo upstream {server.Instance}"));
        }

        if (server.Faults.ShouldFail())
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"injected error rate of {server.Instance}"));
        }
    }
}
