using System.Net.Http.Json;
using System.Text.Json;

namespace Proxy.FunctionalTests.Infrastructure;

/// <summary>Calls of the admin API that tests make over and over.</summary>
public static class AdminCalls
{
    public static async Task<(JsonElement Route, string ETag)> GetRouteAsync(this HttpClient admin, string route = "shop")
    {
        using var response = await admin.GetAsync($"api/routes/{route}");
        response.EnsureSuccessStatusCode();
        return (await response.ReadJsonAsync(), response.Headers.ETag!.Tag);
    }

    public static async Task<HttpResponseMessage> PutWeightsAsync(this HttpClient admin, object weights, string? ifMatch = null, string route = "shop", string? reason = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/routes/{route}/weights") { Content = JsonContent.Create(new { weights, reason }) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await admin.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient admin, string path, object? body = null) =>
        admin.PostAsync(path, body is null ? null : JsonContent.Create(body));

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement[]> GetHistoryAsync(this HttpClient admin, string route = "shop")
    {
        using var response = await admin.GetAsync($"api/routes/{route}/history?limit=1000");
        response.EnsureSuccessStatusCode();
        return [.. (await response.ReadJsonAsync()).EnumerateArray()];
    }

    /// <summary>The route's weights as "cluster=percent" pairs, for compact assertions.</summary>
    public static string Weights(this JsonElement route, string property = "weights") =>
        string.Join(", ", route.GetProperty(property).EnumerateObject().Select(p => $"{p.Name}={p.Value}"));
}
