using Proxy.Cli;

return await ProxyCtl.RunAsync(args, CliConsole.FromProcess(), CliEnvironment.FromProcess()).ConfigureAwait(false);
