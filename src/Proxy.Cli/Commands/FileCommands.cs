using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Proxy.Cli.Files;
using Proxy.Cli.Output;
using Spectre.Console;

namespace Proxy.Cli.Commands;

/// <summary><c>lint FILE… [--config FILE]</c> (offline) and <c>diff FILE</c> (against the running gateway).</summary>
public static class FileCommands
{
    public static Command Lint(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var files = new Argument<FileInfo[]>("FILE") { Description = "Gateway configuration files (JSON) or rollout plans (JSON or YAML)", Arity = ArgumentArity.OneOrMore };
        var config = new Option<FileInfo?>("--config") { Description = "A gateway configuration file: a plan that names a template is checked merged onto its TrafficSplit:RolloutTemplates", HelpName = "FILE" };
        var command = new Command("lint", "Validate files offline with the gateway's own validators, listing every error (exit 1 if any)") { files, config };
        return builder.Action(command, async (invocation, _) =>
        {
            var templates = invocation.Value(config) is { } configFile ? await FileLinter.ReadTemplatesAsync(configFile.FullName).ConfigureAwait(false) : null;
            var failed = false;
            foreach (var file in invocation.Required(files))
            {
                var (kind, errors, warnings) = await FileLinter.LintAsync(file.FullName, templates).ConfigureAwait(false);
                var name = invocation.Parse.Tokens.FirstOrDefault(t => Path.GetFullPath(t.Value) == file.FullName)?.Value ?? file.FullName;
                var warned = warnings.Count == 0 ? "" : $", {warnings.Count} warning{(warnings.Count == 1 ? "" : "s")}";
                if (errors.Count == 0)
                {
                    await invocation.Console.Output.WriteLineAsync($"{name}: valid {kind}{warned}").ConfigureAwait(false);
                }
                else
                {
                    failed = true;
                    await invocation.Console.Output.WriteLineAsync($"{name}: {errors.Count} error{(errors.Count == 1 ? "" : "s")}{warned} ({kind})").ConfigureAwait(false);
                    foreach (var error in errors)
                    {
                        await invocation.Console.Output.WriteLineAsync($"  - {error}").ConfigureAwait(false);
                    }
                }

                foreach (var warning in warnings)
                {
                    await invocation.Console.Output.WriteLineAsync($"  warning: {warning}").ConfigureAwait(false);
                }
            }

            return failed ? ExitCodes.Invalid : ExitCodes.Success;
        });
    }

    public static Command Diff(CommandBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var file = new Argument<FileInfo>("FILE") { Description = "A gateway configuration file" };
        var command = new Command("diff", "What applying a configuration file would change on the running gateway, route by route") { file };
        return builder.Action(command, async (invocation, cancellationToken) =>
        {
            var path = invocation.Required(file).FullName;
            var (split, errors) = await ConfigFileReader.ReadAsync(path).ConfigureAwait(false);
            if (errors.Count > 0 || split is null)
            {
                throw new CliException(ExitCodes.Invalid, $"{path} is not valid, the gateway would refuse it: " + string.Join("; ", errors));
            }

            using var client = invocation.CreateClient();
            var routes = await client.ListRoutesAsync(cancellationToken).ConfigureAwait(false);
            var changes = ConfigDiff.Compare(split, routes.Value);
            if (invocation.Output == OutputFormat.Json)
            {
                await invocation.Console.Output.WriteLineAsync(JsonSerializer.Serialize(changes, DiffJsonContext.Default.IReadOnlyListRouteChange)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("ROUTE", "CHANGE", "DETAIL");
            foreach (var change in changes)
            {
                table.AddRow(Formats.Cell(change.Route), Formats.Cell(change.Change), Formats.Cell(change.Detail));
            }

            invocation.Console.Ansi.Write(table);
            return ExitCodes.Success;
        });
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<RouteChange>))]
internal sealed partial class DiffJsonContext : JsonSerializerContext;
