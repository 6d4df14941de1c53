using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Proxy.Traffic.Configuration;

namespace Proxy.Traffic.Rollouts.Templates;

/// <summary>
/// Reads <c>TrafficSplit:RolloutTemplates</c> when the configuration loads: each template must be a whole valid plan, its
/// candidate aside (the plans that use it usually name their own), and name no template itself. An invalid template
/// refuses the configuration like any invalid option.
/// </summary>
public static class RolloutTemplateConfiguration
{
    // Stands in for a template's missing candidate while its other fields are validated.
    private const string AnyCandidate = "(candidate of the plan using the template)";

    private static readonly JsonSerializerOptions Written = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The valid templates by name (ignoring case); reports each error of the others as (template, error).</summary>
    public static IReadOnlyDictionary<string, StartRolloutRequest> Check(IReadOnlyDictionary<string, StartRolloutRequest?> templates, Action<string, string> error)
    {
        var valid = new Dictionary<string, StartRolloutRequest>(StringComparer.OrdinalIgnoreCase);
        var validator = new RolloutPlanValidator();
        foreach (var (name, template) in templates)
        {
            var errors = 0;
            void Add(string message)
            {
                errors++;
                error(name, message);
            }

            if (!ResourceName.IsValid(name))
            {
                Add($"a template name has {ResourceName.Rule}");
            }

            if (template is null)
            {
                Add("a template is a rollout plan: { \"Steps\": …, \"Analysis\": … }");
                continue;
            }

            if (template.Template is not null)
            {
                Add("template: a template cannot name another template");
            }

            foreach (var failure in validator.Validate(template with { Candidate = template.Candidate ?? AnyCandidate, Template = null }).Errors)
            {
                Add($"{failure.PropertyName}: {failure.ErrorMessage}");
            }

            if (errors == 0)
            {
                valid[name] = template;
            }
        }

        return valid;
    }

    /// <summary>
    /// Tells declarations apart the way a route's declared rollout is started once: by what the file says, so that an edited
    /// template does not start again every rollout declared with it (it applies to the ones started after it).
    /// </summary>
    public static string DeclarationFingerprint(StartRolloutRequest declared) =>
        "template-" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(declared, Written)))[..16];
}
