using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Proxy.Cli.Files;

/// <summary>A rollout plan file (the body of <c>POST …/rollouts</c>) in JSON, or in YAML (<c>.yaml</c>/<c>.yml</c>) turned into the same JSON.</summary>
public static class PlanFile
{
    /// <summary>True for a file name proxyctl reads as YAML.</summary>
    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The plan as JSON text; a file that cannot be read or parsed is a <see cref="CliException"/> with <paramref name="unreadableExitCode"/>.</summary>
    public static string ReadJson(string path, int unreadableExitCode)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(unreadableExitCode, $"cannot read {path}: {ex.Message}");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CliException(unreadableExitCode, $"{path} is empty");
        }

        if (!IsYaml(path))
        {
            return text;
        }

        try
        {
            return YamlToJson(text)?.ToJsonString() ?? throw new CliException(unreadableExitCode, $"{path} holds no YAML document");
        }
        catch (YamlException ex)
        {
            throw new CliException(unreadableExitCode, $"{path} is not valid YAML: {ex.Message}");
        }
    }

    /// <summary>
    /// The JSON form of a YAML document: plain scalars that read as numbers, booleans or null become those; quoted
    /// scalars stay strings (so <c>pause: "00:00:30"</c> and <c>pause: 00:00:30</c> are both strings).
    /// </summary>
    public static JsonNode? YamlToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new YamlException(node.Start, node.End, $"unsupported YAML node {node.NodeType}"),
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ => JsonValue.Create(value),
        };
    }
}
