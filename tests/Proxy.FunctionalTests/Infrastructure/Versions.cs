using System.Text.Json;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>Reads which demo upstream served a response.</summary>
public static class Versions
{
    public static async Task<string> GetVersionAsync(this HttpClient client, string path = "/", Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("version").GetString()!;
    }
}
