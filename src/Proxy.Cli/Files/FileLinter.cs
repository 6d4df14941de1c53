using System.Text.Json;
using System.Text.Json.Nodes;
using Proxy.Cli.Client;
using Proxy.Traffic.Admin.Validation;
using Proxy.Traffic.Rollouts;
using Proxy.Traffic.Rollouts.Templates;

namespace Proxy.Cli.Files;

/// <summary>
/// Validates files offline with the gateway's own readers and validators: a gateway configuration file (JSON with
/// ReverseProxy, TrafficSplit, Admin or State) or a rollout plan (JSON or YAML, the body of <c>rollout start</c>).
/// A plan that names a template is merged onto it when a configuration file gives the templates (<c>lint --config</c>);
/// without one, only the plan's own fields are checked and a warning says the rest is the gateway's to check.
/// </summary>
public static class FileLinter
{
    private static readonly JsonSerializerOptions StrictJson = AdminRequestReader.Strict(AdminJsonContext.Default.Options);

    private static readonly string[] ConfigSections = ["ReverseProxy", "TrafficSplit", "Admin", "State", "Proxy", "Logging", "Kestrel"];

    // Stands in for the template of a plan checked without it: the fields a plan needs, each chosen to let the plan's own
    // fields pass whatever they depend on (a weight-0 step and a preview for maxDiffRate, a limit for the analysis).
    private static readonly RolloutAnalysisRequest AnyAnalysis = new(Interval: TimeSpan.FromSeconds(10), MaxErrorRate: 1, MaxDiffRate: 1);

    /// <summary>What the file is taken for, each of its errors (none: valid) and each warning (what was not checked).</summary>
    /// <param name="path">The file.</param>
    /// <param name="templates">The templates a plan naming one is merged onto (<c>--config</c>); null: none are known here.</param>
    public static async Task<(string Kind, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)> LintAsync(string path, TemplateSource? templates = null)
    {
        if (!File.Exists(path))
        {
            return ("file", ["no such file"], []);
        }

        if (PlanFile.IsYaml(path))
        {
            return Plan(LintPlan(path, templates));
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(await File.ReadAllTextAsync(path).ConfigureAwait(false), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            return ("file", [$"not valid JSON: {ex.Message}"], []);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ("file", [$"cannot read the file: {ex.Message}"], []);
        }

        var isConfig = root is JsonObject obj && obj.Any(p => ConfigSections.Contains(p.Key, StringComparer.OrdinalIgnoreCase));
        if (isConfig || root is null)
        {
            var (_, errors) = await ConfigFileReader.ReadAsync(path).ConfigureAwait(false);
            return ("gateway configuration", errors, []);
        }

        return Plan(LintPlan(path, templates));
    }

    /// <summary>
    /// The templates of a gateway configuration file, as the gateway puts them in force when it loads the file. A file the
    /// gateway would refuse puts none in force: it is refused here too (exit 1, as <c>diff</c>), and one that cannot be read
    /// at all is a usage error (exit 2, as an unreadable plan file).
    /// </summary>
    public static async Task<TemplateSource> ReadTemplatesAsync(string path)
    {
        var (split, errors) = await ConfigFileReader.ReadAsync(path).ConfigureAwait(false);
        if (split is null)
        {
            throw new CliException(ExitCodes.Usage, $"--config {path}: {string.Join("; ", errors)}");
        }

        return errors.Count == 0
            ? new TemplateSource(path, split.RolloutTemplates)
            : throw new CliException(ExitCodes.Invalid, $"--config {path} is not valid, the gateway would refuse it (and its templates): " + string.Join("; ", errors));
    }

    /// <summary>
    /// The errors of a rollout plan, what the admin API would answer with 400 field by field, and its warnings. A plan naming
    /// a template is merged onto it from <paramref name="templates"/>, as the gateway does; without them, its own fields are
    /// checked and a warning says the template's are not.
    /// </summary>
    public static (IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) LintPlan(string path, TemplateSource? templates = null)
    {
        string json;
        try
        {
            json = PlanFile.ReadJson(path, ExitCodes.Invalid);
        }
        catch (CliException ex)
        {
            return ([ex.Message], []);
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
            return ([$"{field}: {message}"], []);
        }

        if (plan is null)
        {
            return (["body: a rollout plan object is required"], []);
        }

        if (plan.Template is not { } name)
        {
            return (Validate(plan), []);
        }

        if (templates is null)
        {
            return (OwnFieldErrors(plan), [$"template: names the rollout template '{name}', which is not known here: the plan's own fields are checked, "
                + "the template's (and the plan merged onto it) are checked by the gateway when the rollout starts, or here with --config FILE, "
                + "the gateway configuration file that has it under TrafficSplit:RolloutTemplates"]);
        }

        if (RolloutTemplateMerge.Resolve(plan, templates.Templates) is { } merged)
        {
            return (Validate(merged), []);
        }

        var known = templates.Templates.Count == 0 ? "it has none" : "it has " + string.Join(", ", templates.Templates.Keys.Order(StringComparer.Ordinal));
        return ([$"template: {templates.File} has no rollout template '{name}' under TrafficSplit:RolloutTemplates ({known})"], []);
    }

    private static (string Kind, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) Plan((IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) lint) =>
        ("rollout plan", lint.Errors, lint.Warnings);

    private static string[] Validate(StartRolloutRequest plan, Func<string, bool>? onField = null) =>
        [.. new RolloutPlanValidator().Validate(plan).Errors.Where(e => onField?.Invoke(e.PropertyName) ?? true).Select(e => $"{e.PropertyName}: {e.ErrorMessage}")];

    // The plan merged onto a stand-in for its template, with the errors of the fields the plan gives: any other field is the
    // template's, and so is whatever a given field is wrong about only because of the stand-in's.
    private static string[] OwnFieldErrors(StartRolloutRequest plan)
    {
        var standIn = RolloutPlanReader.StrategyOf(plan.Strategy) == RolloutStrategy.BlueGreen
            ? new StartRolloutRequest(Candidate: "(the template's)", PrePromotionWindow: TimeSpan.Zero, Analysis: AnyAnalysis)
            : new StartRolloutRequest(Candidate: "(the template's)", Steps: [new(0), new(100)], Analysis: AnyAnalysis);
        var given = GivenFields(plan);
        return Validate(RolloutTemplateMerge.Merge(standIn, plan), property => given.Any(field => property.Equals(field, StringComparison.OrdinalIgnoreCase)
            || property.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase)
            || property.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase)));
    }

    // The fields a plan gives, as the validator names them: each top-level one, and analysis field by field (it merges so).
    private static List<string> GivenFields(StartRolloutRequest plan)
    {
        var fields = new List<string>();
        if (JsonSerializer.SerializeToNode(plan, StrictJson) is not JsonObject written)
        {
            return fields;
        }

        foreach (var (name, value) in written)
        {
            if (value is null || name.Equals("template", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("analysis", StringComparison.OrdinalIgnoreCase) && value is JsonObject analysis)
            {
                fields.AddRange(analysis.Where(p => p.Value is not null).Select(p => $"{name}.{p.Key}"));
                continue;
            }

            fields.Add(name);
        }

        return fields;
    }
}

/// <summary>The rollout templates a plan is linted against: those a valid gateway configuration file puts in force.</summary>
public sealed record TemplateSource(string File, IReadOnlyDictionary<string, StartRolloutRequest> Templates);
