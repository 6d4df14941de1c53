using System.Buffers;

namespace Proxy.Traffic.Rollouts.Analysis.Prometheus;

/// <summary>Asks Prometheus one instant query.</summary>
public interface IPrometheusClient
{
    /// <summary>The query's value, or why there is none; cancelled (throws) only through <paramref name="cancellationToken"/>.</summary>
    Task<PrometheusQueryResult> QueryAsync(string address, string query, CancellationToken cancellationToken);
}

/// <summary>
/// Prometheus's HTTP API over the named <see cref="HttpClientName"/> client: <c>GET {address}/api/v1/query?query=…</c>,
/// no redirects followed, an answer read up to <see cref="MaxAnswerBytes"/>. A refused connection or a broken answer is a
/// result without a value, never an exception.
/// </summary>
public sealed class PrometheusClient(IHttpClientFactory clients) : IPrometheusClient
{
    /// <summary>The name of the <see cref="HttpClient"/> the checks use.</summary>
    public const string HttpClientName = "Proxy.Prometheus";

    /// <summary>The largest answer read: one value's answer is a few hundred bytes, many series' can be anything.</summary>
    public const int MaxAnswerBytes = 1 << 20;

    public async Task<PrometheusQueryResult> QueryAsync(string address, string query, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{address.TrimEnd('/')}/api/v1/query?query={Uri.EscapeDataString(query)}");
        var client = clients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var body = await ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
            return body is null
                ? PrometheusQueryResult.NoValue($"Prometheus's answer is larger than {MaxAnswerBytes / 1024} KiB")
                : PrometheusAnswer.Read(response.StatusCode, body.Value);
        }
        catch (HttpRequestException ex)
        {
            return PrometheusQueryResult.NoValue($"Prometheus at {address} cannot be reached: {ex.Message}");
        }
    }

    private static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxAnswerBytes)
        {
            return null;
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + read > MaxAnswerBytes)
                    {
                        return null;
                    }

                    body.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return body.ToArray();
        }
    }
}
