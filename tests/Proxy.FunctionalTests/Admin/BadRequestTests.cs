using System.Net;
using System.Text;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Admin;

/// <summary>Every invalid admin request gets a 4xx problem answer naming what is wrong, and changes nothing.</summary>
public sealed class BadRequestTests(BadRequestTests.Gateway gateway) : IClassFixture<BadRequestTests.Gateway>
{
    private const string Weights = "api/routes/shop/weights";
    private const string Json = "application/json";

    public static TheoryData<string, string, string, string?, string?, string?, HttpStatusCode, string?> Cases => new()
    {
        // name, method, path, content type, body, If-Match, expected status, field named in "errors"
        { "malformed JSON", "PUT", Weights, Json, """{"weights":""", null, HttpStatusCode.BadRequest, null },
        { "not JSON at all", "PUT", Weights, Json, "blue=50&canary=50", null, HttpStatusCode.BadRequest, "body" },
        { "empty object", "PUT", Weights, Json, "{}", null, HttpStatusCode.BadRequest, "weights" },
        { "no body", "PUT", Weights, Json, null, null, HttpStatusCode.BadRequest, "body" },
        { "JSON null", "PUT", Weights, Json, "null", null, HttpStatusCode.BadRequest, "body" },
        { "weights null", "PUT", Weights, Json, """{"weights":null}""", null, HttpStatusCode.BadRequest, "weights" },
        { "weights empty", "PUT", Weights, Json, """{"weights":{}}""", null, HttpStatusCode.BadRequest, "weights" },
        { "weights as array", "PUT", Weights, Json, """{"weights":[50,50]}""", null, HttpStatusCode.BadRequest, "weights" },
        { "weights as string", "PUT", Weights, Json, """{"weights":"50/50"}""", null, HttpStatusCode.BadRequest, "weights" },
        { "weight as numeric string", "PUT", Weights, Json, """{"weights":{"blue":"50","canary":"50"}}""", null, HttpStatusCode.BadRequest, "weights.blue" },
        { "weight as boolean", "PUT", Weights, Json, """{"weights":{"blue":true,"canary":0}}""", null, HttpStatusCode.BadRequest, "weights.blue" },
        { "weight null", "PUT", Weights, Json, """{"weights":{"blue":null,"canary":100}}""", null, HttpStatusCode.BadRequest, "weights.blue" },
        { "weight as object", "PUT", Weights, Json, """{"weights":{"blue":{"value":50},"canary":50}}""", null, HttpStatusCode.BadRequest, "weights.blue" },
        { "sum 99.99", "PUT", Weights, Json, """{"weights":{"blue":50,"canary":49.99}}""", null, HttpStatusCode.BadRequest, "weights" },
        { "sum 100.01", "PUT", Weights, Json, """{"weights":{"blue":50,"canary":50.01}}""", null, HttpStatusCode.BadRequest, "weights" },
        { "three decimals", "PUT", Weights, Json, """{"weights":{"blue":33.333,"canary":66.667}}""", null, HttpStatusCode.BadRequest, "weights.blue" },
        { "negative", "PUT", Weights, Json, """{"weights":{"blue":110,"canary":-10}}""", null, HttpStatusCode.BadRequest, "weights.canary" },
        { "over 100", "PUT", Weights, Json, """{"weights":{"blue":150,"canary":-50}}""", null, HttpStatusCode.BadRequest, "weights.blue" },
        { "number too large", "PUT", Weights, Json, """{"weights":{"blue":1e400,"canary":0}}""", null, HttpStatusCode.BadRequest, "weights.blue" },
        { "unknown cluster", "PUT", Weights, Json, """{"weights":{"blue":90,"ghost":10}}""", null, HttpStatusCode.BadRequest, "weights.ghost" },
        { "cluster of another case", "PUT", Weights, Json, """{"weights":{"Blue":90,"canary":10}}""", null, HttpStatusCode.BadRequest, "weights.Blue" },
        { "misspelt property", "PUT", Weights, Json, """{"weigths":{"blue":90,"canary":10}}""", null, HttpStatusCode.BadRequest, "weigths" },
        { "duplicate cluster", "PUT", Weights, Json, """{"weights":{"blue":50,"blue":50,"canary":50}}""", null, HttpStatusCode.BadRequest, "weights.blue" },
        { "reason too long", "PUT", Weights, Json, $$"""{"weights":{"blue":50,"canary":50},"reason":"{{new string('x', 501)}}"}""", null, HttpStatusCode.BadRequest, "reason" },
        { "reason as number", "PUT", Weights, Json, """{"weights":{"blue":50,"canary":50},"reason":5}""", null, HttpStatusCode.BadRequest, "reason" },
        { "top-level array", "PUT", Weights, Json, "[50,50]", null, HttpStatusCode.BadRequest, "body" },
        { "text/plain body", "PUT", Weights, "text/plain", """{"weights":{"blue":50,"canary":50}}""", null, HttpStatusCode.UnsupportedMediaType, null },
        { "huge body", "PUT", Weights, Json, $$"""{"weights":{"blue":50,"canary":50},"reason":"{{new string('x', 100_000)}}"}""", null, HttpStatusCode.RequestEntityTooLarge, null },
        { "stale If-Match", "PUT", Weights, Json, """{"weights":{"blue":50,"canary":50}}""", "\"99\"", HttpStatusCode.PreconditionFailed, null },
        { "If-Match not a revision", "PUT", Weights, Json, """{"weights":{"blue":50,"canary":50}}""", "\"abc\"", HttpStatusCode.BadRequest, "If-Match" },
        { "unknown route", "PUT", "api/routes/ghost/weights", Json, """{"weights":{"blue":50,"canary":50}}""", null, HttpStatusCode.NotFound, null },
        { "rollback of unknown route", "POST", "api/routes/ghost/rollback", null, null, null, HttpStatusCode.NotFound, null },
        { "rollback with a long reason", "POST", "api/routes/shop/rollback", Json, $$"""{"reason":"{{new string('x', 501)}}"}""", null, HttpStatusCode.BadRequest, "reason" },
        { "rollback with stale If-Match", "POST", "api/routes/shop/rollback", null, null, "\"0\"", HttpStatusCode.PreconditionFailed, null },
        { "promote without cluster", "POST", "api/routes/shop/promote", Json, "{}", null, HttpStatusCode.BadRequest, "cluster" },
        { "promote unknown cluster", "POST", "api/routes/shop/promote", Json, """{"cluster":"ghost"}""", null, HttpStatusCode.BadRequest, "cluster" },
        { "promote with force as text", "POST", "api/routes/shop/promote", Json, """{"cluster":"canary","force":"yes"}""", null, HttpStatusCode.BadRequest, "force" },
        { "undo with malformed JSON", "POST", "api/routes/shop/undo", Json, "{", null, HttpStatusCode.BadRequest, null },
        { "undo of the first revision", "POST", "api/routes/shop/undo", null, null, null, HttpStatusCode.Conflict, null },
        { "isolate with a long reason", "POST", "api/clusters/canary/isolate", Json, $$"""{"reason":"{{new string('x', 501)}}"}""", null, HttpStatusCode.BadRequest, "reason" },
        { "history limit 0", "GET", "api/routes/shop/history?limit=0", null, null, null, HttpStatusCode.BadRequest, "limit" },
        { "wrong method", "DELETE", "api/routes/shop", null, null, null, HttpStatusCode.NotFound, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_request_gets_a_problem_answer_and_changes_nothing(
        string name, string method, string path, string? contentType, string? body, string? ifMatch, HttpStatusCode expected, string? field)
    {
        using var admin = gateway.Environment.CreateAdminClient();
        var (before, beforeETag) = await admin.GetRouteAsync();
        var historyBefore = (await admin.GetHistoryAsync()).Length;

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new(contentType!);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await admin.SendAsync(request);

        Assert.True(expected == response.StatusCode, $"{name}: expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            var errors = (await response.ReadJsonAsync()).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"{name}: the problem does not name '{field}': {errors}");
        }

        var (after, afterETag) = await admin.GetRouteAsync();
        Assert.Equal((beforeETag, before.Weights(), before.GetProperty("stable").GetString()), (afterETag, after.Weights(), after.GetProperty("stable").GetString()));
        Assert.Equal(historyBefore, (await admin.GetHistoryAsync()).Length);
    }

    /// <summary>One gateway for the whole table: no case may change it.</summary>
    public sealed class Gateway : IAsyncLifetime
    {
        public TestEnvironment Environment { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Environment = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }));

        public async Task DisposeAsync() => await Environment.DisposeAsync();
    }
}
