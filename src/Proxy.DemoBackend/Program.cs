using Proxy.DemoBackend.Hosting;

// dotnet run --project src/Proxy.DemoBackend -- --version blue --port 5101 [--host 0.0.0.0]
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
try
{
    builder.AddDemoUpstream(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (IOException ex)
{
    // Typically the port is taken; the reason was logged already, this keeps the exit readable.
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
