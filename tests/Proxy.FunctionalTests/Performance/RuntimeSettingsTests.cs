using System.Text.Json;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Performance;

/// <summary>The runtime settings the gateway ships with, as its runtimeconfig gives them to <c>dotnet Proxy.Gateway.dll</c>.</summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_gateway_runs_workstation_gc_which_the_benchmark_measured_cheaper_than_the_web_sdks_server_gc()
    {
        var runtimeConfig = Path.ChangeExtension(ProjectProcess.ProjectAssembly("Proxy.Gateway"), ".runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        // Server GC is what the Web SDK writes unless the project says otherwise; DOTNET_gcServer=1 still wins at run time.
        Assert.True(properties.TryGetProperty("System.GC.Server", out var server), $"{runtimeConfig} sets no GC mode");
        Assert.False(server.GetBoolean());
    }
}
