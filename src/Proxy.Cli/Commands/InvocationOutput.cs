using Proxy.Cli.Client;

namespace Proxy.Cli.Commands;

/// <summary>Printing an answer in the format asked for.</summary>
public static class InvocationOutput
{
    /// <summary>The API's JSON with -o json, else <paramref name="render"/>'s tables.</summary>
    public static void Print<T>(this Invocation invocation, ApiAnswer<T> answer, Action<Invocation, T> render)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(render);
        if (invocation.Output == OutputFormat.Json)
        {
            invocation.Console.Output.WriteLine(answer.Json);
        }
        else
        {
            render(invocation, answer.Value);
        }
    }
}
