using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Proxy.FunctionalTests.Infrastructure;
using Proxy.Traffic.Mirroring;

namespace Proxy.FunctionalTests.Mirroring;

/// <summary>The configuration file's mirror is hot reloaded, and an edit of it wins over a runtime setting.</summary>
public class MirrorConfigReloadTests
{
    [Fact]
    public async Task An_edited_file_mirror_is_applied_and_replaces_the_runtime_setting()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "green"], Mirrors.Route(mirror: null));
        var store = env.Services.GetRequiredService<MirrorStore>();
        using var admin = env.CreateAdminClient();

        await env.WriteConfigAsync(Mirrors.Route(new { Cluster = "green", Percentage = 10 }));
        await Eventually.TrueAsync(() => store.TryGet("shop", out var r) && r.Settings.Percentage == 10, "the file's mirror was not applied");

        using (var off = await admin.DeleteAsync("api/routes/shop/mirror"))
        {
            off.EnsureSuccessStatusCode();
        }

        // An unrelated edit keeps the runtime setting (off)…
        var applied = env.ConfigState.AppliedAt;
        await env.WriteConfigAsync(Mirrors.Route(new { Cluster = "green", Percentage = 10 }), config => config["Logging"]!["LogLevel"]!["Default"] = "Error");
        await Eventually.TrueAsync(() => env.ConfigState.AppliedAt > applied, "the edit was not applied");
        Assert.False(store.TryGet("shop", out _));

        // …an edit of the route's mirror wins.
        await env.WriteConfigAsync(Mirrors.Route(new { Cluster = "green", Percentage = 20 }));
        await Eventually.TrueAsync(() => store.TryGet("shop", out var r) && r.Settings.Percentage == 20, "the edited mirror did not replace the runtime setting");
        var history = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("api/routes/shop/mirror/history");
        Assert.Equal("config-mirror", history[0].GetProperty("action").GetString());
    }
}
