using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Proxy.Traffic.Health;
using Yarp.ReverseProxy.Model;

namespace Proxy.Traffic.Tests.Health;

public class GrpcOutcomeTests
{
    [Theory]
    [InlineData(14, true)] // UNAVAILABLE
    [InlineData(4, true)] // DEADLINE_EXCEEDED
    [InlineData(13, true)] // INTERNAL
    [InlineData(2, true)] // UNKNOWN
    [InlineData(8, true)] // RESOURCE_EXHAUSTED
    [InlineData(15, true)] // DATA_LOSS
    [InlineData(0, false)] // OK
    [InlineData(3, false)] // INVALID_ARGUMENT
    [InlineData(5, false)] // NOT_FOUND
    [InlineData(7, false)] // PERMISSION_DENIED
    [InlineData(16, false)] // UNAUTHENTICATED
    public void A_grpc_status_in_the_trailers_decides_whether_the_version_failed(int grpcStatus, bool failure)
    {
        var context = GrpcAnswer();
        context.Features.Get<IHttpResponseTrailersFeature>()!.Trailers["grpc-status"] = grpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(failure, ForwardingOutcome.IsFailure(ForwardingOutcome.Classify(context)));
    }

    [Fact]
    public void A_trailers_only_answer_is_read_from_the_headers()
    {
        var context = GrpcAnswer();
        context.Response.Headers["grpc-status"] = "14";

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, ForwardingOutcome.Classify(context));
    }

    [Fact]
    public void A_grpc_answer_without_any_status_is_the_version_failing()
    {
        Assert.True(ForwardingOutcome.IsFailure(ForwardingOutcome.Classify(GrpcAnswer())));
    }

    [Fact]
    public void Other_answers_keep_their_status_code_whatever_their_headers()
    {
        var context = Forwarded();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers["grpc-status"] = "14";

        Assert.Equal(200, ForwardingOutcome.Classify(context));
    }

    [Theory]
    [InlineData("14", 503)]
    [InlineData("5", 404)]
    [InlineData("0", 200)]
    public async Task A_mirror_answer_is_read_from_its_trailers_once_the_body_is_read(string grpcStatus, int expected)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        response.TrailingHeaders.Add("grpc-status", grpcStatus);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(expected, GrpcOutcome.Adjust(response));
    }

    private static DefaultHttpContext GrpcAnswer()
    {
        var context = Forwarded();
        context.Features.Set<IHttpResponseTrailersFeature>(new ResponseTrailers());
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/grpc";
        return context;
    }

    // An answer counts as the upstream's only when YARP sent the request to a destination.
    private static DefaultHttpContext Forwarded()
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IReverseProxyFeature>(new ReverseProxyFeature { ProxiedDestination = new DestinationState("d1") });
        return context;
    }

    private sealed class ResponseTrailers : IHttpResponseTrailersFeature
    {
        public IHeaderDictionary Trailers { get; set; } = new HeaderDictionary();
    }
}
