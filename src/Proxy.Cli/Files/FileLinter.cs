using System.Text.Json;
using System.Text.Json.Nodes;
using Proxy.Cli.Client;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Rollouts;

namespace Proxy.Cli.Files;

/// <summary>
/// Validates files offline with the gateway's own readers and validators: a gateway configuration file (JSON with
/// ReverseProxy, TrafficSplit, Admin or State) or a rollout plan (JSON or YAML, the body of <c>rollout start</c>).
/// </summary>
public static class FileLinter
{
    private static readonly JsonSerializerOptions StrictJson = AdminRequestReader.Strict(AdminJsonContext.Default.Options);

    private static readonly string[] ConfigSections = ["ReverseProxy", "TrafficSplit", "Admin", "State", "Proxy", "Logging", "Kestrel"];

    /// <summary>What the file is taken for, and each of its errors (none: valid).</summary>
    public static async Task<(string Kind, IReadOnlyList<string> Errors)> LintAsync(string path)
    {
        if (!File.Exists(path))
        {
            return ("file", ["no such file"]);
        }

        if (PlanFile.IsYaml(path))
        {
            return ("rollout plan", LintPlan(path));
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(await File.ReadAllTextAsync(path).ConfigureAwait(false), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            return ("file", [$"not valid JSON: {ex.Message}"]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ("file", [$"cannot read the file: {ex.Message}"]);
        }

        var isConfig = root is JsonObject obj && obj.Any(p => ConfigSections.Contains(p.Key, StringComparer.OrdinalIgnoreCase));
        if (isConfig || root is null)
        {
            var (_, errors) = await ConfigFileReader.ReadAsync(path).ConfigureAwait(false);
            return ("gateway configuration", errors);
        }

        return ("rollout plan", LintPlan(path));
    }

    /// <summary>The errors of a rollout plan: what the admin API would answer with 400, field by field.</summary>
    public static IReadOnlyList<string> LintPlan(string path)
    {
        string json;
        try
        {
            json = PlanFile.ReadJson(path, ExitCodes.Invalid);
        }
        catch (CliException ex)
        {
            return [ex.Message];
        }

        StartRolloutRequest? plan;
        try
        {
            plan = JsonSerializer.Deserialize<StartRolloutRequest>(json, StrictJson);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            var message = ex.Message.Split(" Path:", 2)[0];
            return [$"{field}: {message}"];
        }

        if (plan is null)
        {
            return ["body: a rollout plan object is required"];
        }

        return [.. new RolloutPlanValidator().Validate(plan).Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")];
    }
}
