using System.Text;
using System.Text.Json.Nodes;

namespace Proxy.FunctionalTests.Admin;

/// <summary>
/// One malformed admin request: what to send, the field its problem answer must name (null when none is involved), the
/// status when only one fits (and the problem's title, for a refusal); <paramref name="Ofrep"/> when a 400 comes in OFREP's
/// error body rather than problem details.
/// </summary>
public sealed record FuzzCase(string Name, string Method, string Path, string? ContentType, byte[]? Body, string? Field, int? Status = null, bool Ofrep = false, string? Title = null)
{
    public override string ToString() => Name;
}

/// <summary>
/// Generates malformed bodies for every admin write endpoint from a valid template of each: every field given wrong
/// types, out-of-range, overflowing and non-finite numbers; unknown and duplicate fields; deep nesting; huge and
/// truncated bodies; invalid UTF-8; wrong content types; empty and null bodies. No case may be valid.
/// </summary>
public static class AdminFuzzCorpus
{
    private const string Json = "application/json";
    private const string Marker = "\"__mutation__\"";

    private static readonly string[] AnyWrongType = ["true", "[]", "{}"];
    private static readonly string[] NotAString = ["5", "true", "[]", "{}"];
    private static readonly string[] BadPercent = ["\"50\"", "-1", "100.01", "1.001", "1e400", "-1e400", "79228162514264337593543950335", "79228162514264337593543950336", "null", .. AnyWrongType];
    private static readonly string[] BadInt = ["\"5\"", "1.5", "1e400", "2147483648", "-2147483649", "-1", "0", .. AnyWrongType];
    private static readonly string[] BadDuration = ["5", "\"abc\"", "\"-00:00:01\"", "\"99999999.00:00:00\"", "\"\"", .. AnyWrongType];
    private static readonly string[] BadRatio = ["\"0.1\"", "-0.1", "1.01", "1e400", "-1e400", "1e-400x", .. AnyWrongType];
    private static readonly string[] LongReason = [$"\"{new string('x', 501)}\"", .. NotAString];

    /// <summary>The flag the corpus changes (variants off and on, default off, on route shop).</summary>
    public const string Flag = "new-checkout";

    /// <summary>The experiment the corpus stops and promotes (arms blue and canary of route shop).</summary>
    public const string Experiment = "checkout";

    // Refusals: well-formed values the state in force refuses (a conflict names no field).
    private sealed record Endpoint(
        string Method, string Path, bool BodyRequired, JsonObject Template, (string Field, string[] Values)[] Fields, bool Ofrep = false, (string Field, string Value, int Status, string Title)[]? Refusals = null);

    private static IEnumerable<Endpoint> Endpoints()
    {
        JsonObject Reason() => new() { ["reason"] = "fuzz" };
        (string, string[])[] reasonOnly = [("reason", LongReason)];
        yield return new("PUT", "api/routes/shop/weights", true, new() { ["weights"] = new JsonObject { ["blue"] = 60, ["canary"] = 40 }, ["reason"] = "fuzz" },
        [
            ("weights", ["[]", "\"60/40\"", "5", "null", "{}", "{\"blue\":60}", "{\"ghost\":100}"]),
            ("weights.blue", BadPercent),
            ("weights.canary", BadPercent),
            ("reason", LongReason),
        ]);
        yield return new("POST", "api/routes/shop/promote", true, new() { ["cluster"] = "canary", ["force"] = true, ["reason"] = "fuzz" },
        [
            ("cluster", ["\"ghost\"", "\"\"", "null", .. NotAString]),
            ("force", ["\"yes\"", "1", "null", "[]", "{}"]),
            ("reason", LongReason),
        ]);
        yield return new("POST", "api/routes/shop/rollback", false, Reason(), reasonOnly);
        yield return new("POST", "api/routes/shop/undo", false, Reason(), reasonOnly);
        yield return new("POST", "api/clusters/canary/isolate", false, Reason(), reasonOnly);
        yield return new("POST", "api/clusters/canary/reset", false, Reason(), reasonOnly);
        yield return new("DELETE", "api/routes/shop/mirror", false, Reason(), reasonOnly);
        yield return new("PUT", "api/routes/shop/mirror", true, new()
        {
            ["cluster"] = "canary", ["percentage"] = 10, ["methods"] = new JsonArray("GET"), ["maxBodyBytes"] = 1024,
            ["maxConcurrency"] = 4, ["timeout"] = "00:00:05", ["reason"] = "fuzz",
        },
        [
            ("cluster", ["\"ghost\"", "\"\"", "null", .. NotAString]),
            ("percentage", BadPercent),
            ("methods", ["\"GET\"", "5", "{}"]),
            ("methods[0]", ["\"\"", "\"GE T\"", "5", "null", "[]"]),
            ("maxBodyBytes", ["\"5\"", "1.5", "1e400", "9223372036854775808", "-1", "16777217", .. AnyWrongType]),
            ("maxConcurrency", [.. BadInt, "10001"]),
            ("timeout", [.. BadDuration, "\"00:00:00.01\"", "\"00:10:00\""]),
            ("reason", LongReason),
        ]);
        yield return new("POST", "api/routes/shop/rollouts", true, new()
        {
            ["candidate"] = "canary",
            ["strategy"] = "canary",
            ["steps"] = new JsonArray(new JsonObject { ["weight"] = 10, ["pause"] = "00:00:10" }),
            ["analysis"] = new JsonObject
            {
                ["interval"] = "00:00:10", ["minRequests"] = 10, ["maxErrorRate"] = 0.1, ["maxP99LatencyMs"] = 500, ["maxErrorRateIncrease"] = 0.1,
                ["maxLatencyFactor"] = 2, ["failureLimit"] = 1, ["inconclusiveTimeout"] = "00:01:00", ["onInconclusive"] = "rollback",
                ["metrics"] = new JsonArray(new JsonObject
                {
                    ["name"] = "orders", ["prometheus"] = new JsonObject { ["address"] = "http://127.0.0.1:9", ["query"] = "sum(x)" }, ["max"] = 1, ["min"] = 0,
                }),
            },
            ["webhooks"] = new JsonArray(new JsonObject
            {
                ["name"] = "release", ["type"] = "confirm-promotion", ["url"] = "http://127.0.0.1:9/release", ["timeout"] = "00:00:05",
                ["metadata"] = new JsonObject { ["ticket"] = "CHG-1" },
            }),
        },
        [
            ("candidate", ["\"ghost\"", "\"blue\"", "\"\"", "null", .. NotAString]),
            ("strategy", ["\"rainbow\"", .. NotAString]),
            ("steps", ["[]", "{}", "\"10\"", "5"]),
            ("steps[0]", ["5", "null", "[]", "{}"]),
            ("steps[0].weight", [.. BadPercent, "0"]),
            ("steps[0].pause", [.. BadDuration, "\"8.00:00:00\""]),
            ("analysis", ["null", "5", "[]", "{}", "{\"interval\":\"00:00:10\"}"]),
            ("analysis.interval", [.. BadDuration, "null", "\"00:00:00.05\"", "\"00:10:00\""]),
            ("analysis.minRequests", [.. BadInt, "1000001"]),
            ("analysis.maxErrorRate", BadRatio),
            ("analysis.maxErrorRateIncrease", BadRatio),
            ("analysis.maxP99LatencyMs", ["\"500\"", "0", "-1", "1e400", "-1e400", "3600001", .. AnyWrongType]),
            ("analysis.maxLatencyFactor", ["\"2\"", "0.5", "1e400", "-1e400", "1001", .. AnyWrongType]),
            ("analysis.failureLimit", [.. BadInt, "101"]),
            ("analysis.inconclusiveTimeout", BadDuration),
            ("analysis.onInconclusive", ["\"explode\"", .. NotAString]),
            ("analysis.metrics", ["{}", "\"x\"", "5", "[5]", "[null]"]),
            ("analysis.metrics[0]", ["5", "null", "[]", "{}"]),
            ("analysis.metrics[0].name", ["\"\"", "\"two words\"", $"\"{new string('n', 65)}\"", "null", .. NotAString]),
            ("analysis.metrics[0].prometheus", ["5", "null", "[]", "{}"]),
            ("analysis.metrics[0].prometheus.address", ["\"ftp://127.0.0.1:9\"", "\"relative/path\"", "\"http://user:pw@127.0.0.1:9\"", "null", .. NotAString]),
            ("analysis.metrics[0].prometheus.query", ["\"\"", $"\"{new string('q', 4001)}\"", "null", .. NotAString]),
            ("analysis.metrics[0].max", ["\"1\"", "1e400", "-1e400", .. AnyWrongType]),
            ("analysis.metrics[0].min", ["\"0\"", "2", "1e400", "-1e400", .. AnyWrongType]),
            ("template", ["\"ghost\"", "\"\"", .. NotAString]),
            ("webhooks", ["{}", "\"x\"", "5", "[5]", "[null]"]),
            ("webhooks[0]", ["5", "null", "[]", "{}"]),
            ("webhooks[0].name", ["\"\"", "\"two words\"", $"\"{new string('n', 65)}\"", "null", .. NotAString]),
            ("webhooks[0].type", ["\"sometimes\"", "\"confirm_promotion\"", "null", .. NotAString]),
            ("webhooks[0].url", ["\"ftp://127.0.0.1/x\"", "\"relative/path\"", "\"http://user:pw@127.0.0.1/x\"", .. NotAString]),
            ("webhooks[0].timeout", [.. BadDuration, "\"00:00:00.05\"", "\"00:05:01\""]),
            ("webhooks[0].metadata", ["5", "\"x\"", "[]", "true"]),
            ("webhooks[0].metadata.ticket", ["5", "true", "[]", "{}", "null", $"\"{new string('x', 1025)}\""]),
        ]);
        yield return new("POST", "api/routes/shop/rollouts/current/approve", false, Reason(), reasonOnly);
        yield return new("POST", $"api/routes/shop/experiments/{Experiment}/stop", false, Reason(), reasonOnly);
        yield return new("POST", $"api/routes/shop/experiments/{Experiment}/promote", false, new() { ["arm"] = "canary", ["force"] = true, ["reason"] = "fuzz" },
        [
            ("arm", ["\"ghost\"", "\"\"", "\"Canary\"", $"\"{new string('a', 201)}\"", .. NotAString]),
            ("force", ["\"yes\"", "1", "null", "[]", "{}"]),
            ("reason", LongReason),
        ],
        Refusals: [("arm", "null", 409, "No arm has won")]); // forced, but which arm?
        yield return new("PUT", $"api/flags/{Flag}", true, new() { ["default"] = "off", ["rollout"] = new JsonObject { ["on"] = 50 }, ["reason"] = "fuzz" },
        [
            ("default", ["\"ghost\"", "\"\"", "\"OFF\"", .. NotAString]),
            ("rollout", ["[]", "5", "\"50\"", "{\"ghost\":10}", "{\"off\":10}", "{\"on\":60,\"off\":50}"]),
            ("rollout.on", BadPercent),
            ("reason", LongReason),
        ]);
        yield return new("POST", $"api/flags/{Flag}/kill", false, Reason(), reasonOnly);
        yield return new("POST", $"api/flags/{Flag}/enable", false, Reason(), reasonOnly);
        yield return new("POST", $"api/flags/{Flag}/reset", false, Reason(), reasonOnly);
        (string, string[])[] context =
        [
            ("context", ["null", "5", "\"user-1\"", "[]", "true"]),
            ("context.targetingKey", ["5", "true", "[]", "{}"]),
        ];
        yield return new("POST", $"ofrep/v1/evaluate/flags/{Flag}", true, new() { ["context"] = new JsonObject { ["targetingKey"] = "user-1" } }, context, Ofrep: true);
        yield return new("POST", "ofrep/v1/evaluate/flags", true, new() { ["context"] = new JsonObject { ["targetingKey"] = "user-1" } }, context, Ofrep: true);
    }

    /// <summary>The whole corpus, as xunit member data.</summary>
    public static TheoryData<FuzzCase> Cases()
    {
        var data = new TheoryData<FuzzCase>();
        foreach (var endpoint in Endpoints())
        {
            foreach (var fuzzCase in CasesOf(endpoint))
            {
                data.Add(fuzzCase);
            }
        }

        return data;
    }

    private static IEnumerable<FuzzCase> CasesOf(Endpoint e)
    {
        var name = $"{e.Method} {e.Path}";
        FuzzCase Body(string what, string body, string? field, string? contentType = Json, int? status = null) =>
            new($"{name}: {what}", e.Method, e.Path, contentType, Encoding.UTF8.GetBytes(body), field, status, e.Ofrep);

        foreach (var (field, values) in e.Fields)
        {
            foreach (var value in values)
            {
                yield return Body($"{field} = {Shorten(value)}", Mutate(e.Template, field, value), field);
            }
        }

        foreach (var (field, value, status, title) in e.Refusals ?? [])
        {
            yield return Body($"{field} = {Shorten(value)}", Mutate(e.Template, field, value), null, status: status) with { Title = title };
        }

        // Unknown fields, at the top and inside each nested object; OFREP ignores members other than "context" (as its
        // reference servers do) and a context's attributes are free.
        if (!e.Ofrep)
        {
            yield return Body("unknown field", Mutate(e.Template, "bogus", "1"), "bogus");
        }

        foreach (var (field, _) in e.Fields.Where(f => IsObject(e.Template, f.Field) && f.Field != "weights" && !e.Ofrep))
        {
            yield return Body($"unknown field in {field}", Mutate(e.Template, $"{field}.bogus", "1"), $"{field}.bogus");
        }

        // Every top-level field twice.
        var template = e.Template.ToJsonString();
        foreach (var (key, value) in e.Template)
        {
            yield return Body($"{key} twice", "{" + $"\"{key}\":{value!.ToJsonString()}," + template[1..], key);
        }

        var first = e.Fields[0].Field;
        yield return Body("nested 200 deep", Mutate(e.Template, first, new string('[', 200) + new string(']', 200)), first);
        yield return Body("huge body", Mutate(e.Template, "reason", $"\"{new string('x', 40_000)}\""), null, status: 413);
        yield return Body("truncated", template[..(template.Length / 2)], null);
        yield return Body("top-level array", "[" + template + "]", "body");
        yield return Body("top-level string", "\"" + template.Replace("\"", "'", StringComparison.Ordinal) + "\"", "body");
        yield return Body("not JSON", "reason=fuzz", "body");
        yield return Body("text/plain", template, null, "text/plain", status: 415);
        yield return Body("form content type", template, null, "application/x-www-form-urlencoded", status: 415);
        yield return Body("no content type", template, null, contentType: null, status: 415);
        yield return Body("XML", "<reason>fuzz</reason>", null, "application/xml", status: 415);
        yield return new($"{name}: UTF-16 body", e.Method, e.Path, "application/json; charset=utf-16", Encoding.Unicode.GetBytes(template), null, 415, e.Ofrep);
        yield return new($"{name}: UTF-8 body declared Latin-1", e.Method, e.Path, "application/json; charset=iso-8859-1", Encoding.UTF8.GetBytes(template), null, 415, e.Ofrep);
        var text = e.Fields.Any(f => f.Field == "reason") ? "reason" : e.Fields[^1].Field;
        yield return new($"{name}: invalid UTF-8 in a string", e.Method, e.Path, Json, InvalidUtf8(Mutate(e.Template, text, Marker)), text, Ofrep: e.Ofrep);
        if (e.BodyRequired)
        {
            yield return Body("empty body", "", "body");
            yield return Body("null body", "null", "body");
        }
    }

    private static bool IsObject(JsonObject template, string field) => Navigate(template, field, out var parent, out var key)
        && (key is int index ? parent.AsArray()[index] : parent.AsObject()[(string)key]) is JsonObject;

    // Replaces the field (a path like "analysis.interval", "steps[0].weight", "methods[0]") with the raw JSON text.
    private static string Mutate(JsonObject template, string field, string raw)
    {
        var copy = template.DeepClone().AsObject();
        if (!Navigate(copy, field, out var parent, out var key))
        {
            throw new ArgumentException($"no field {field} in the template", nameof(field));
        }

        if (key is int index)
        {
            parent.AsArray()[index] = "__mutation__";
        }
        else
        {
            parent.AsObject()[(string)key] = "__mutation__";
        }

        return copy.ToJsonString().Replace(Marker, raw, StringComparison.Ordinal);
    }

    private static bool Navigate(JsonNode root, string field, out JsonNode parent, out object key)
    {
        parent = root;
        key = "";
        var segments = field.Replace("[", ".[", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            object segment = segments[i].StartsWith('[') ? int.Parse(segments[i][1..^1], System.Globalization.CultureInfo.InvariantCulture) : segments[i];
            if (i == segments.Length - 1)
            {
                key = segment;
                return true;
            }

            var next = segment is int index ? parent.AsArray()[index] : parent.AsObject()[(string)segment];
            if (next is null)
            {
                return false;
            }

            parent = next;
        }

        return false;
    }

    private static byte[] InvalidUtf8(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.Replace(Marker, "\"@@\"", StringComparison.Ordinal));
        var at = Array.IndexOf(bytes, (byte)'@');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        return bytes;
    }

    private static string Shorten(string value) => value.Length > 24 ? value[..20] + $"…({value.Length})" : value;
}
