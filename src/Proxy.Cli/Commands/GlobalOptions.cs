using System.CommandLine;

namespace Proxy.Cli.Commands;

/// <summary>The options every command takes: connection (server, key, CA, context) and output format.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server", "-s")
    {
        Description = $"The admin API's address, e.g. http://127.0.0.1:8081 (or {CliEnvironment.Server}, or the context's)",
        Recursive = true,
        HelpName = "URL",
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"The API key (or {CliEnvironment.Key}); prefer --key-file or --key-stdin, which stay out of shell history",
        Recursive = true,
    };

    public Option<FileInfo?> KeyFile { get; } = new("--key-file")
    {
        Description = "Read the API key from this file",
        Recursive = true,
    };

    public Option<bool> KeyStdin { get; } = new("--key-stdin")
    {
        Description = "Read the API key from the first line of standard input",
        Recursive = true,
    };

    public Option<FileInfo?> CaFile { get; } = new("--ca-file")
    {
        Description = $"Trust the CA in this PEM file for HTTPS (or {CliEnvironment.CaFile}, or the context's)",
        Recursive = true,
    };

    public Option<string?> Context { get; } = new("--context")
    {
        Description = $"Use this context instead of the current one (or {CliEnvironment.Context})",
        Recursive = true,
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "table (default) or json: the API's JSON, for scripts",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    /// <summary>Adds them all to the root command.</summary>
    public void AddTo(RootCommand root)
    {
        foreach (Option option in (Option[])[Server, Key, KeyFile, KeyStdin, CaFile, Context, Output])
        {
            root.Options.Add(option);
        }
    }
}

/// <summary>How results are printed.</summary>
public enum OutputFormat
{
    /// <summary>Human tables.</summary>
    Table,

    /// <summary>The admin API's JSON as it answered.</summary>
    Json,
}
