using System.Text.Json;
using System.Text.Json.Serialization;

namespace Proxy.Cli.Connection;

/// <summary>
/// Reads and writes the contexts file: <c>proxyctl/config.json</c> under the user's config directory, or the file
/// PROXYCTL_CONFIG names. It may hold keys, so it is written readable and writable by its owner only (600).
/// </summary>
public sealed class ContextFile(string path)
{
    /// <summary>The file's path.</summary>
    public string Path { get; } = path;

    /// <summary>The file the environment names, or the default one.</summary>
    public static ContextFile For(CliEnvironment environment) => new(environment[CliEnvironment.ConfigFile] ?? System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "proxyctl", "config.json"));

    /// <summary>The contexts; none when the file does not exist.</summary>
    public CliContexts Load()
    {
        if (!File.Exists(Path))
        {
            return new CliContexts(null, new Dictionary<string, CliContext>(StringComparer.Ordinal));
        }

        try
        {
            var contexts = JsonSerializer.Deserialize(File.ReadAllText(Path), ContextJsonContext.Default.CliContexts);
            return contexts is null
                ? new CliContexts(null, new Dictionary<string, CliContext>(StringComparer.Ordinal))
                : contexts with { Contexts = new Dictionary<string, CliContext>(contexts.Contexts ?? [], StringComparer.Ordinal) };
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read the contexts file {Path}: {ex.Message}");
        }
    }

    /// <summary>Writes the contexts: to a new file created with mode 600, then moved over the old one.</summary>
    public void Save(CliContexts contexts)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, contexts, ContextJsonContext.Default.CliContexts);
        }

        if (!OperatingSystem.IsWindows())
        {
            // An existing temporary file keeps its mode through FileMode.Create.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CliContexts))]
internal sealed partial class ContextJsonContext : JsonSerializerContext;
