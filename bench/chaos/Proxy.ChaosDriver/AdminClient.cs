using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Proxy.ChaosDriver;

/// <summary>The admin API calls the operator and the checks make, with the Operator key.</summary>
internal sealed class AdminClient : IDisposable
{
    private readonly HttpClient _http;

    public AdminClient(string key)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>The answer of one call: its status (0 when none arrived, with the error) and its JSON body.</summary>
    public readonly record struct Answer(int Status, JsonNode? Body, string? Error)
    {
        public bool Succeeded => Status is >= 200 and < 300;

        public string Kind => Status == 0 ? Error ?? "no answer" : Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<Answer> GetAsync(Uri admin, string path, CancellationToken ct = default) => SendAsync(HttpMethod.Get, admin, path, null, ct);

    public Task<Answer> SendAsync(HttpMethod method, Uri admin, string path, JsonNode? body, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(method, new Uri(admin, path));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return SendAsync(request, ct);
    }

    private async Task<Answer> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            try
            {
                using var response = await _http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                JsonNode? body = null;
                try
                {
                    body = text.Length > 0 ? JsonNode.Parse(text) : null;
                }
                catch (System.Text.Json.JsonException)
                {
                    // Not JSON: the status is all a check needs.
                }

                return new Answer((int)response.StatusCode, body, null);
            }
            catch (HttpRequestException ex)
            {
                return new Answer(0, null, $"transport:{ex.HttpRequestError}");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                return new Answer(0, null, "timeout");
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
