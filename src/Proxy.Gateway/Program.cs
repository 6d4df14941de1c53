using Proxy.Gateway;

var commandLine = GatewayCommandLine.Parse(args);
if (commandLine.HashKey)
{
    AdminKeyCommand.Run(commandLine.KeyToHash, Console.Out);
    return 0;
}

DemoEnvironment? demo = null;
WebApplication app;
try
{
    demo = commandLine.Demo ? await DemoEnvironment.StartAsync(commandLine.Https) : null;
    app = GatewayApplication.Build(commandLine, demo is null ? null : demo.ConfigureGateway);
    await app.StartAsync();
}
catch (Exception ex) when (StartupError.Describe(ex) is { } message)
{
    Console.Error.WriteLine(message);
    if (demo is not null)
    {
        await demo.DisposeAsync();
    }

    return 2;
}

if (demo is not null)
{
    DemoEnvironment.PrintSummary(app, Console.Out);
}

await app.WaitForShutdownAsync();
await app.DisposeAsync();
if (demo is not null)
{
    await demo.DisposeAsync();
}

return 0;
