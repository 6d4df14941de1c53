using System.Security.Cryptography;
using System.Text.Json;

namespace Proxy.Traffic.Mirroring.Diffs;

/// <summary>
/// Compares two answers to one request: the status code, the configured headers, and the body — field by field when
/// both are JSON, otherwise by length and hash. Returns why the pair could not be compared, or null.
/// </summary>
internal static class AnswerComparer
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    public static NotComparedReason? Compare(CapturedAnswer first, CapturedAnswer second, DiffRules rules, AnswerDifferences differences)
    {
        if ((first.Body.Problem ?? second.Body.Problem) is { } problem)
        {
            return problem;
        }

        var limit = rules.Settings.MaxBodyBytes;
        var firstBody = first.Decoded(limit, out var firstProblem);
        var secondBody = second.Decoded(limit, out var secondProblem);
        if (firstBody is null || secondBody is null)
        {
            return firstProblem ?? secondProblem;
        }

        if (first.Status != second.Status && !rules.Ignored(DiffPath.Status))
        {
            differences.Add(new FieldDifference(DiffPath.Status, DiffPath.Status, "changed", Text(first.Status), Text(second.Status)));
        }

        var headers = rules.Settings.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var field = DiffPath.HeaderPrefix + headers[i];
            if (!string.Equals(first.Headers[i], second.Headers[i], StringComparison.Ordinal) && !rules.Ignored(field))
            {
                var redacted = rules.Redacted(field, headers[i]);
                var kind = first.Headers[i] is null ? "added" : second.Headers[i] is null ? "missing" : "changed";
                differences.Add(new FieldDifference(field, field, kind, DiffRules.Show(first.Headers[i], redacted), DiffRules.Show(second.Headers[i], redacted)));
            }
        }

        CompareBodies(first, firstBody, second, secondBody, rules, differences);
        return null;
    }

    private static void CompareBodies(CapturedAnswer first, byte[] firstBody, CapturedAnswer second, byte[] secondBody, DiffRules rules, AnswerDifferences differences)
    {
        if ((first.IsJson || second.IsJson) && (firstBody.Length > 0 || secondBody.Length > 0))
        {
            using var firstJson = TryParse(firstBody);
            using var secondJson = TryParse(secondBody);
            if (firstJson is not null && secondJson is not null)
            {
                JsonAnswerComparer.Compare(firstJson.RootElement, secondJson.RootElement, rules, differences);
                return;
            }

            if (firstJson is not null || secondJson is not null)
            {
                if (!rules.Ignored(DiffPath.Root))
                {
                    differences.Add(new FieldDifference(
                        DiffPath.Root, DiffPath.Root, "type", firstJson is null ? Describe(firstBody, "not JSON") : "JSON", secondJson is null ? Describe(secondBody, "not JSON") : "JSON"));
                }

                return;
            }
        }

        if (!firstBody.AsSpan().SequenceEqual(secondBody) && !rules.Ignored(DiffPath.Body))
        {
            differences.Add(new FieldDifference(DiffPath.Body, DiffPath.Body, "changed", Describe(firstBody, null), Describe(secondBody, null)));
        }
    }

    private static JsonDocument? TryParse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // What an example shows of a text or binary body: its length and the start of its hash, never its bytes.
    private static string Describe(byte[] body, string? what) =>
        $"{(what is null ? "" : what + ", ")}{body.Length} B, sha256 {Convert.ToHexStringLower(SHA256.HashData(body))[..12]}";

    private static string Text(int status) => status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
