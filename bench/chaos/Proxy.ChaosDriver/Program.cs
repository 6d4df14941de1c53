using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Proxy.ChaosDriver;

// ports N                 prints N free loopback TCP ports
// phase OPTIONS...        one fault phase: user traffic, the operator's admin calls, the checks (see PhaseOptions)
switch (args)
{
    case ["ports", var count]:
        Console.WriteLine(string.Join(' ', FreePorts(int.Parse(count, CultureInfo.InvariantCulture))));
        return 0;
    case ["phase", .. var rest]:
        PhaseOptions options;
        try
        {
            options = PhaseOptions.Parse(rest);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }

        return await Phase.RunAsync(options);
    default:
        await Console.Error.WriteLineAsync("usage: Proxy.ChaosDriver ports N | phase --name NAME --proxy URL... --admin URL... --key KEY --control DIR [...]");
        return 2;
}

// All sockets stay bound until every port is chosen, so the N ports are distinct.
static int[] FreePorts(int count)
{
    var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
    foreach (var listener in listeners)
    {
        listener.Start();
    }

    var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
    foreach (var listener in listeners)
    {
        listener.Stop();
    }

    return ports;
}
