using System.Net.Sockets;
using Proxy.Traffic.Health;
using Yarp.ReverseProxy.Forwarder;

namespace Proxy.Traffic.Tests.Health;

public class ForwardingOutcomeTests
{
    private enum Verdict
    {
        Upstream,
        Client,
        Gateway,
        NotSent,
    }

    // What each YARP 2.3.0 error says about the cluster (docs/health.md). A value YARP adds fails the coverage test.
    private static readonly Dictionary<ForwarderError, Verdict> Decisions = new()
    {
        [ForwarderError.Request] = Verdict.Upstream,
        [ForwarderError.RequestTimedOut] = Verdict.Upstream,
        [ForwarderError.RequestCanceled] = Verdict.Client,
        [ForwarderError.RequestBodyCanceled] = Verdict.Client,
        [ForwarderError.RequestBodyClient] = Verdict.Client,
        [ForwarderError.RequestBodyDestination] = Verdict.Upstream,
        [ForwarderError.ResponseHeaders] = Verdict.Upstream,
        [ForwarderError.ResponseBodyCanceled] = Verdict.Client,
        [ForwarderError.ResponseBodyClient] = Verdict.Client,
        [ForwarderError.ResponseBodyDestination] = Verdict.Upstream,
        [ForwarderError.UpgradeRequestCanceled] = Verdict.Client,
        [ForwarderError.UpgradeRequestClient] = Verdict.Client,
        [ForwarderError.UpgradeRequestDestination] = Verdict.Upstream,
        [ForwarderError.UpgradeResponseCanceled] = Verdict.Client,
        [ForwarderError.UpgradeResponseClient] = Verdict.Client,
        [ForwarderError.UpgradeResponseDestination] = Verdict.Upstream,
        [ForwarderError.NoAvailableDestinations] = Verdict.NotSent,
        [ForwarderError.RequestCreation] = Verdict.Gateway,
        [ForwarderError.UpgradeActivityTimeout] = Verdict.Gateway,
    };

    public static TheoryData<ForwarderError> Errors() => [.. Enum.GetValues<ForwarderError>().Where(e => e != ForwarderError.None)];

    [Fact]
    public void Every_forwarder_error_of_yarp_has_a_decision()
    {
        Assert.Equal(Enum.GetValues<ForwarderError>().Where(e => e != ForwarderError.None).Order(), Decisions.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Each_forwarder_error_counts_as_decided(ForwarderError error)
    {
        var exception = error == ForwarderError.Request ? new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException()) : null;
        var outcome = ForwardingOutcome.Classify(error, exception);

        var verdict = outcome switch
        {
            ForwardingOutcome.TransportFailure => Verdict.Upstream,
            ForwardingOutcome.ClientAborted => Verdict.Client,
            ForwardingOutcome.GatewayRefused => Verdict.Gateway,
            ForwardingOutcome.NoDestination => Verdict.NotSent,
            _ => throw new InvalidOperationException($"unexpected outcome {outcome}"),
        };
        Assert.Equal(Decisions[error], verdict);
        Assert.Equal(verdict == Verdict.Upstream, ForwardingOutcome.IsFailure(outcome));
        Assert.Equal(verdict == Verdict.Upstream, ForwardingOutcome.IsUpstreamVerdict(outcome));
    }

    [Fact]
    public void A_request_the_handler_refused_before_sending_is_the_gateways_not_the_upstreams()
    {
        // SocketsHttpHandler throws something other than HttpRequestException for a message it will not send.
        Assert.Equal(ForwardingOutcome.GatewayRefused, ForwardingOutcome.Classify(ForwarderError.Request, new NotSupportedException("Unsupported request method 'CONNECT'.")));
        Assert.Equal(ForwardingOutcome.GatewayRefused, ForwardingOutcome.Classify(ForwarderError.Request, new InvalidOperationException("invalid request")));
        Assert.Equal(ForwardingOutcome.TransportFailure, ForwardingOutcome.Classify(ForwarderError.Request, new HttpRequestException("The response ended prematurely.")));
    }

    [Theory]
    [InlineData(200, false, true, "answered")]
    [InlineData(404, false, true, "answered")]
    [InlineData(503, true, true, "upstream_error")]
    [InlineData(ForwardingOutcome.TransportFailure, true, true, "upstream_failure")]
    [InlineData(ForwardingOutcome.ClientAborted, false, false, "client_aborted")]
    [InlineData(ForwardingOutcome.GatewayRefused, false, false, "refused")]
    [InlineData(ForwardingOutcome.NoDestination, false, false, "no_destination")]
    public void Answers_count_by_status_and_only_upstream_verdicts_reach_windows(int outcome, bool failure, bool upstream, string name)
    {
        Assert.Equal((failure, upstream, name), (ForwardingOutcome.IsFailure(outcome), ForwardingOutcome.IsUpstreamVerdict(outcome), ForwardingOutcome.Name(outcome)));
    }
}
