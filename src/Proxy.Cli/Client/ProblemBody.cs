namespace Proxy.Cli.Client;

/// <summary>The RFC 7807 problem details the admin API answers errors with (validation problems add <see cref="Errors"/>).</summary>
internal sealed record ProblemBody(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors)
{
    /// <summary>
    /// One readable line: each field's errors (<c>weights.demo-canary: must be between 0 and 100</c>), else the detail,
    /// else the title.
    /// </summary>
    public string Describe()
    {
        if (Errors is { Count: > 0 })
        {
            return string.Join("; ", Errors.SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
        }

        return (Title, Detail) switch
        {
            ({ Length: > 0 } title, { Length: > 0 } detail) => $"{title}: {detail}",
            (_, { Length: > 0 } detail) => detail,
            ({ Length: > 0 } title, _) => title,
            _ => "",
        };
    }
}
