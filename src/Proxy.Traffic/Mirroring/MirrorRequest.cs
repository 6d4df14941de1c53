using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Proxy.Traffic.Mirroring;

/// <summary>
/// What the mirror copy of a request carries, captured while the request is alive: method, path, query and the
/// client's headers (without hop-by-hop headers and Host), plus <c>X-Forwarded-*</c> and <see cref="MirrorHeader"/>.
/// </summary>
internal sealed class MirrorRequest
{
    /// <summary>Marks every copy, so that an upstream can skip side effects.</summary>
    public const string MirrorHeader = "X-Proxy-Mirror";

    private static readonly HashSet<string> SkippedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Content-Length", "Expect", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", MirrorHeader,
    };

    private readonly string _method;
    private readonly PathString _path;
    private readonly QueryString _query;
    private readonly List<KeyValuePair<string, StringValues>> _headers;

    private MirrorRequest(string method, PathString path, QueryString query, List<KeyValuePair<string, StringValues>> headers)
    {
        _method = method;
        _path = path;
        _query = query;
        _headers = headers;
    }

    /// <summary>Copies what the mirror needs from a live request.</summary>
    public static MirrorRequest Capture(HttpContext context)
    {
        var request = context.Request;
        var headers = new List<KeyValuePair<string, StringValues>>(request.Headers.Count + 4);
        foreach (var header in request.Headers)
        {
            if (!SkippedHeaders.Contains(header.Key) && !header.Key.StartsWith(':'))
            {
                headers.Add(header);
            }
        }

        // As YARP's default transforms set them for the primary.
        if (context.Connection.RemoteIpAddress is { } client)
        {
            headers.Add(new("X-Forwarded-For", client.ToString()));
        }

        headers.Add(new("X-Forwarded-Proto", request.Scheme));
        headers.Add(new("X-Forwarded-Host", request.Host.Value));
        headers.Add(new(MirrorHeader, "1"));
        return new MirrorRequest(request.Method, request.Path, request.Query.Count == 0 ? QueryString.Empty : request.QueryString, headers);
    }

    /// <summary>The copy as a message to one destination, with the cluster's HTTP version settings.</summary>
    public HttpRequestMessage ToMessage(string destinationPrefix, ReadOnlyMemory<byte> body, ForwarderRequestConfig? config)
    {
        var message = new HttpRequestMessage(new HttpMethod(_method), RequestUtilities.MakeDestinationAddress(destinationPrefix, _path, _query))
        {
            Version = config?.Version ?? HttpVersion.Version20,
            VersionPolicy = config?.VersionPolicy ?? HttpVersionPolicy.RequestVersionOrLower,
        };
        if (!body.IsEmpty)
        {
            message.Content = new ReadOnlyMemoryContent(body);
        }

        foreach (var (name, values) in _headers)
        {
            // A header the request collection refuses is a content header; a bodiless copy has none to carry.
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
            }
        }

        return message;
    }
}
