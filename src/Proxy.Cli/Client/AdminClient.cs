using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Proxy.Traffic.Admin.Contracts;

namespace Proxy.Cli.Client;

/// <summary>
/// A typed client of the gateway's admin API. Errors become <see cref="AdminApiException"/> (the problem details as one
/// line); a server that cannot be reached, or that has not answered within <paramref name="callTimeout"/>, becomes a
/// <see cref="CliException"/> with exit code 5. The timeout covers a call up to its answer's headers (of the event stream)
/// or its whole body (of every other call), so the client's own <see cref="HttpClient.Timeout"/> should be infinite.
/// </summary>
public sealed class AdminClient(HttpClient http, TimeSpan callTimeout) : IDisposable
{
    private static readonly AdminJsonContext Json = AdminJsonContext.Default;

    /// <summary>The admin API's address.</summary>
    public Uri Server => http.BaseAddress!;

    public Task<ApiAnswer<RouteResponse[]>> ListRoutesAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "api/routes", null, null, Json.RouteResponseArray, cancellationToken);

    public Task<ApiAnswer<RouteResponse>> GetRouteAsync(string route, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/routes/{Escape(route)}", null, null, Json.RouteResponse, cancellationToken);

    public Task<ApiAnswer<HistoryEntryResponse[]>> GetHistoryAsync(string route, int? limit, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/routes/{Escape(route)}/history" + (limit is { } n ? $"?limit={n.ToString(CultureInfo.InvariantCulture)}" : ""),
            null, null, Json.HistoryEntryResponseArray, cancellationToken);

    public Task<ApiAnswer<RouteResponse>> SetWeightsAsync(string route, SetWeightsRequest request, string? ifMatch, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"api/routes/{Escape(route)}/weights", Body(request, Json.SetWeightsRequest), ifMatch, Json.RouteResponse, cancellationToken);

    public Task<ApiAnswer<RouteResponse>> RollbackAsync(string route, string? reason, string? ifMatch, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/routes/{Escape(route)}/rollback", ReasonBody(reason), ifMatch, Json.RouteResponse, cancellationToken);

    public Task<ApiAnswer<RouteResponse>> PromoteAsync(string route, PromoteRequest request, string? ifMatch, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/routes/{Escape(route)}/promote", Body(request, Json.PromoteRequest), ifMatch, Json.RouteResponse, cancellationToken);

    public Task<ApiAnswer<RouteResponse>> UndoAsync(string route, string? reason, string? ifMatch, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/routes/{Escape(route)}/undo", ReasonBody(reason), ifMatch, Json.RouteResponse, cancellationToken);

    public Task<ApiAnswer<ClusterResponse>> IsolateAsync(string cluster, string? reason, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/clusters/{Escape(cluster)}/isolate", ReasonBody(reason), null, Json.ClusterResponse, cancellationToken);

    public Task<ApiAnswer<ClusterResponse>> ResetAsync(string cluster, string? reason, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/clusters/{Escape(cluster)}/reset", ReasonBody(reason), null, Json.ClusterResponse, cancellationToken);

    public Task<ApiAnswer<IsolationChangeResponse[]>> GetClusterHistoryAsync(string cluster, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/clusters/{Escape(cluster)}/history", null, null, Json.IsolationChangeResponseArray, cancellationToken);

    public Task<ApiAnswer<MirrorResponse>> GetMirrorAsync(string route, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/routes/{Escape(route)}/mirror", null, null, Json.MirrorResponse, cancellationToken);

    public Task<ApiAnswer<MirrorResponse>> SetMirrorAsync(string route, SetMirrorRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"api/routes/{Escape(route)}/mirror", Body(request, Json.SetMirrorRequest), null, Json.MirrorResponse, cancellationToken);

    public Task<ApiAnswer<MirrorDiffsResponse>> GetMirrorDiffsAsync(string route, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/routes/{Escape(route)}/mirror/diffs", null, null, Json.MirrorDiffsResponse, cancellationToken);

    public Task<ApiAnswer<MirrorResponse>> ClearMirrorAsync(string route, string? reason, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"api/routes/{Escape(route)}/mirror", ReasonBody(reason), null, Json.MirrorResponse, cancellationToken);

    /// <summary>Starts a rollout with a plan given as JSON text (sent as it is: the gateway validates it).</summary>
    public Task<ApiAnswer<RolloutResponse>> StartRolloutAsync(string route, string planJson, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/routes/{Escape(route)}/rollouts", new StringContent(planJson, Encoding.UTF8, "application/json"), null, Json.RolloutResponse, cancellationToken);

    public Task<ApiAnswer<RolloutResponse>> GetRolloutAsync(string route, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/routes/{Escape(route)}/rollouts/current", null, null, Json.RolloutResponse, cancellationToken);

    /// <summary>pause, resume, abort or promote the route's current rollout.</summary>
    public Task<ApiAnswer<RolloutResponse>> RolloutCommandAsync(string route, string verb, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/routes/{Escape(route)}/rollouts/current/{verb}", null, null, Json.RolloutResponse, cancellationToken);

    /// <summary>Approves the manual gate the route's rollout waits at.</summary>
    public Task<ApiAnswer<RolloutResponse>> ApproveRolloutAsync(string route, string? reason, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/routes/{Escape(route)}/rollouts/current/approve", ReasonBody(reason), null, Json.RolloutResponse, cancellationToken);

    public Task<ApiAnswer<Traffic.Experiments.ExperimentReport[]>> ListExperimentsAsync(string route, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/routes/{Escape(route)}/experiments", null, null, Json.ExperimentReportArray, cancellationToken);

    public Task<ApiAnswer<Traffic.Experiments.ExperimentReport>> GetExperimentAsync(string route, string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/routes/{Escape(route)}/experiments/{Escape(name)}", null, null, Json.ExperimentReport, cancellationToken);

    public Task<ApiAnswer<Traffic.Experiments.ExperimentReport>> StopExperimentAsync(string route, string name, string? reason, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/routes/{Escape(route)}/experiments/{Escape(name)}/stop", ReasonBody(reason), null, Json.ExperimentReport, cancellationToken);

    public Task<ApiAnswer<ExperimentPromotion>> PromoteExperimentAsync(string route, string name, PromoteArmRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/routes/{Escape(route)}/experiments/{Escape(name)}/promote", Body(request, Json.PromoteArmRequest), null, Json.ExperimentPromotion, cancellationToken);

    public Task<ApiAnswer<FlagResponse[]>> ListFlagsAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "api/flags", null, null, Json.FlagResponseArray, cancellationToken);

    public Task<ApiAnswer<FlagResponse>> GetFlagAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/flags/{Escape(name)}", null, null, Json.FlagResponse, cancellationToken);

    public Task<ApiAnswer<FlagResponse>> SetFlagAsync(string name, SetFlagRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"api/flags/{Escape(name)}", Body(request, Json.SetFlagRequest), null, Json.FlagResponse, cancellationToken);

    /// <summary>kill, enable or reset a flag.</summary>
    public Task<ApiAnswer<FlagResponse>> FlagCommandAsync(string name, string verb, string? reason, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"api/flags/{Escape(name)}/{verb}", ReasonBody(reason), null, Json.FlagResponse, cancellationToken);

    public Task<ApiAnswer<Traffic.Flags.FlagChange[]>> GetFlagHistoryAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"api/flags/{Escape(name)}/history", null, null, Json.FlagChangeArray, cancellationToken);

    public Task<ApiAnswer<FleetResponse>> GetFleetAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, "api/fleet", null, null, Json.FleetResponse, cancellationToken);

    /// <summary>Opens <c>GET /api/events</c> (Server-Sent Events); the caller reads and disposes the answer.</summary>
    public async Task<HttpResponseMessage> OpenEventsAsync(string? route, string? kinds, string? lastEventId, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (route is not null)
        {
            query.Add("route=" + Uri.EscapeDataString(route));
        }

        if (kinds is not null)
        {
            query.Add("kinds=" + Uri.EscapeDataString(kinds));
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/events" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await CallAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ErrorOfAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    public void Dispose() => http.Dispose();

    private async Task<ApiAnswer<T>> SendAsync<T>(
        HttpMethod method, string path, HttpContent? body, string? ifMatch, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ETagOf(ifMatch));
        }

        using var response = await CallAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorOfAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        T value;
        try
        {
            value = JsonSerializer.Deserialize(json, type) ?? throw new JsonException("the answer is empty");
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Unavailable, $"{Server} answered {path} with JSON proxyctl cannot read ({ex.Message}); is it a Proxy admin API of this version?");
        }

        return new ApiAnswer<T>(value, json, response.Headers.ETag?.Tag);
    }

    private async Task<HttpResponseMessage> CallAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(callTimeout);
        try
        {
            return await http.SendAsync(request, completion, limit.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException(ExitCodes.Unavailable, $"cannot reach {Server}: {InnermostMessage(ex)}");
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unavailable, $"{Server} did not answer within {callTimeout.TotalSeconds:0} s");
        }
    }

    private static async Task<AdminApiException> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? described = null;
        try
        {
            described = text.Length > 0 ? JsonSerializer.Deserialize(text, Json.ProblemBody)?.Describe() : null;
        }
        catch (JsonException)
        {
            // Not problem details (a proxy in between, an HTML page): the status line says enough.
        }

        var status = (int)response.StatusCode;
        var message = string.IsNullOrWhiteSpace(described) ? $"{status.ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}" : described;
        return new AdminApiException(response.StatusCode, status == 401 ? $"{message} (give proxyctl a key with --key-file, --key-stdin, --key, {CliEnvironment.Key} or a context)" : message);
    }

    private static string InnermostMessage(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception.Message;
    }

    // "7", "\"7\"" and "W/\"7\"" all name revision 7; the API expects an entity tag.
    private static string ETagOf(string revision) =>
        revision.StartsWith('"') || revision.StartsWith("W/", StringComparison.Ordinal) ? revision : $"\"{revision}\"";

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static StringContent Body<T>(T value, JsonTypeInfo<T> type) =>
        new(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

    private static StringContent? ReasonBody(string? reason) => reason is null ? null : Body(new ReasonRequest(reason), Json.ReasonRequest);

    /// <summary>True when <paramref name="exception"/> says the server has no such endpoint (an older gateway).</summary>
    public static bool IsMissingEndpoint(AdminApiException exception) => exception.Status == HttpStatusCode.NotFound;
}
