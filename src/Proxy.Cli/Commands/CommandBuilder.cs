using System.CommandLine;

namespace Proxy.Cli.Commands;

/// <summary>Gives each command's action an <see cref="Invocation"/> of this run.</summary>
public sealed class CommandBuilder(GlobalOptions options, CliConsole console, CliEnvironment environment, TimeProvider time)
{
    public GlobalOptions Options => options;

    /// <summary>Sets <paramref name="command"/>'s action; it returns the exit code.</summary>
    public Command Action(Command command, Func<Invocation, CancellationToken, Task<int>> action)
    {
        command.SetAction((parse, cancellationToken) => action(new Invocation(parse, options, console, environment, time), cancellationToken));
        return command;
    }

    /// <summary>A command whose action calls the admin API and prints the answer (its JSON with -o json).</summary>
    public Command Call<T>(Command command, Func<Invocation, Client.AdminClient, CancellationToken, Task<Client.ApiAnswer<T>>> call, Action<Invocation, T> render) =>
        Action(command, async (invocation, cancellationToken) =>
        {
            using var client = invocation.CreateClient();
            var answer = await call(invocation, client, cancellationToken).ConfigureAwait(false);
            invocation.Print(answer, render);
            return ExitCodes.Success;
        });
}
