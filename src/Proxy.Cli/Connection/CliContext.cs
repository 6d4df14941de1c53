namespace Proxy.Cli.Connection;

/// <summary>A named gateway in the contexts file (like a kubeconfig context): its admin API, and how to get its key.</summary>
/// <param name="Server">The admin API's address.</param>
/// <param name="Key">The API key itself (the file is readable by its owner only), or null.</param>
/// <param name="KeyFile">A file holding the key, read at each call, or null.</param>
/// <param name="CaFile">A PEM file of the CA that signed the admin listener's certificate, or null.</param>
public sealed record CliContext(string Server, string? Key = null, string? KeyFile = null, string? CaFile = null);

/// <summary>The contexts file: every context, and the one in use.</summary>
public sealed record CliContexts(string? Current, Dictionary<string, CliContext> Contexts);
