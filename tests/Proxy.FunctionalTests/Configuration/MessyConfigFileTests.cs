using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Proxy.FunctionalTests.Infrastructure;

namespace Proxy.FunctionalTests.Configuration;

/// <summary>
/// The --config file as operators' tools really handle it: moved away for seconds, half-written, emptied, replaced by a
/// ConfigMap-style symlink swap. Nothing in force changes until a valid version is on disk; every refusal is visible.
/// </summary>
public sealed class MessyConfigFileTests
{
    private const string ServedBy = "X-Served-By";

    private static object FileSplit => Splits.Route("blue", new() { ["blue"] = 90, ["canary"] = 10 }, servedByHeader: ServedBy);

    [Fact]
    public async Task A_file_moved_away_for_3_seconds_changes_nothing_and_its_return_makes_no_revision()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], FileSplit);
        using var admin = env.CreateAdminClient();
        using (var put = await admin.PutWeightsAsync(new { blue = 50, canary = 50 }, reason: "operator's runtime split"))
        {
            put.EnsureSuccessStatusCode();
        }

        var revision = env.Revision("shop");
        using var client = env.CreateClient(cookies: false);
        var moved = env.ConfigFile + ".away";
        await using (var load = new SteadyLoad(client, ServedBy, parallelism: 2))
        {
            await load.WarmAsync();
            var gapStarted = Stopwatch.GetTimestamp();
            File.Move(env.ConfigFile, moved);
            var gapEnd = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            while (DateTime.UtcNow < gapEnd)
            {
                using var keyed = await admin.GetAsync("api/routes/shop");
                Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
                await Task.Delay(200);
            }

            Assert.NotNull(env.ConfigState.Refusal);
            File.Move(moved, env.ConfigFile);
            await Eventually.TrueAsync(() => env.ConfigState.Refusal is null, "the file's return was not noticed");
            var served = load.ServedSince(gapStarted);
            Assert.True(served.Keys.All(k => k is "blue" or "canary"), "answers without a split cluster during the gap: " + string.Join(", ", served));
        }

        Assert.Equal(revision, env.Revision("shop"));
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal("blue=50, canary=50", route.Weights());
        Assert.Equal([$"{env.ConfigFile}: the file is missing"], env.ConfigState.LastRefusal!.Errors);

        // The refusal stays visible in the admin API after it was lifted.
        var config = await (await admin.GetAsync("api/config")).ReadJsonAsync();
        Assert.False(config.GetProperty("refused").GetBoolean());
        Assert.Equal($"{env.ConfigFile}: the file is missing", config.GetProperty("lastRefusal").GetProperty("errors")[0].GetString());
    }

    [Fact]
    public async Task A_half_written_file_then_an_unrelated_reload_changes_nothing()
    {
        var unrelated = Path.Combine(Path.GetTempPath(), $"proxy-unrelated-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(unrelated, """{ "Unrelated": { "Value": "1" } }""");
        try
        {
            await using var env = await TestEnvironment.StartAsync(
                ["blue", "canary"], FileSplit, configureGateway: b => b.Configuration.AddJsonFile(unrelated, optional: false, reloadOnChange: true));
            using var admin = env.CreateAdminClient();
            using var client = env.CreateClient(cookies: false);
            var revision = env.Revision("shop");
            var whole = await File.ReadAllTextAsync(env.ConfigFile);

            await File.WriteAllTextAsync(env.ConfigFile, whole[..(whole.Length / 2)]);
            await Eventually.TrueAsync(() => env.ConfigState.Refusal is not null, "the half-written file was not refused");
            Assert.StartsWith($"{env.ConfigFile}: not a valid JSON configuration file", env.ConfigState.Refusal!.Errors.Single());

            // Another source reloads: every consumer re-reads the configuration, which must still be the last good one.
            var config = (IConfigurationRoot)env.Services.GetService(typeof(IConfiguration))!;
            var reloaded = false;
            using var _ = config.GetReloadToken().RegisterChangeCallback(_ => reloaded = true, null);
            await File.WriteAllTextAsync(unrelated, """{ "Unrelated": { "Value": "2" } }""");
            await Eventually.TrueAsync(() => reloaded && config["Unrelated:Value"] == "2", "the unrelated file was not reloaded");

            for (var i = 0; i < 20; i++)
            {
                Assert.Contains(await client.GetVersionAsync(), new[] { "blue", "canary" });
            }

            using (var keyed = await admin.GetAsync("api/routes/shop"))
            {
                Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
            }

            Assert.Equal(revision, env.Revision("shop"));
            Assert.NotNull(env.ConfigState.Refusal);

            // The whole file again: the same version as in force, so no revision; the refusal is lifted.
            await File.WriteAllTextAsync(env.ConfigFile, whole);
            await Eventually.TrueAsync(() => env.ConfigState.Refusal is null, "the repaired file was not noticed");
            Assert.Equal(revision, env.Revision("shop"));
        }
        finally
        {
            File.Delete(unrelated);
        }
    }

    [Fact]
    public async Task An_empty_file_is_refused_and_counted()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], FileSplit);
        using var admin = env.CreateAdminClient();
        var revision = env.Revision("shop");

        await File.WriteAllTextAsync(env.ConfigFile, "");
        await Eventually.TrueAsync(() => env.ConfigState.Refusal is not null, "the empty file was not refused");

        Assert.Equal([$"{env.ConfigFile}: the file is empty"], env.ConfigState.Refusal!.Errors);
        Assert.Equal(revision, env.Revision("shop"));
        using (var keyed = await admin.GetAsync("api/routes/shop"))
        {
            Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        }

        var config = await (await admin.GetAsync("api/config")).ReadJsonAsync();
        Assert.True(config.GetProperty("refused").GetBoolean());
        Assert.Equal($"{env.ConfigFile}: the file is empty", config.GetProperty("refusal").GetProperty("errors")[0].GetString());
        // At least 1, not exactly: OpenTelemetry's listener also sees the same-named meters of gateways that other
        // test classes run in this process at the same time.
        await Eventually.TrueAsync(
            async () => (await admin.GetStringAsync("/metrics")).Split('\n').Any(line =>
                line.StartsWith("proxy_config_reloads_total{", StringComparison.Ordinal) && line.Contains("proxy_outcome=\"refused\"", StringComparison.Ordinal)
                    && double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) >= 1),
            "the refusal was not counted in proxy.config.reloads{outcome=refused}");
    }

    [Fact]
    public async Task A_version_that_drops_a_cluster_its_split_names_is_refused_whole_and_yarp_keeps_the_cluster()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], Splits.Route("blue", new() { ["blue"] = 0, ["canary"] = 100 }));
        using var client = env.CreateClient(cookies: false);

        await env.WriteConfigAsync(Splits.Route("blue", new() { ["blue"] = 0, ["canary"] = 100 }), config => config["ReverseProxy"]!["Clusters"]!.AsObject().Remove("canary"));
        await Eventually.TrueAsync(() => env.ConfigState.Refusal is not null, "the version without the cluster was not refused");

        Assert.Equal(["TrafficSplit:Routes:shop:Weights:canary: cluster 'canary' is not defined under ReverseProxy:Clusters"], env.ConfigState.Refusal!.Errors);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("canary", await client.GetVersionAsync());
        }
    }

    [Fact]
    public async Task A_version_with_a_broken_admin_key_is_refused_whole_and_the_keys_in_force_keep_working()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], FileSplit);
        using var admin = env.CreateAdminClient();

        await env.WriteConfigAsync(Splits.Route("blue", new() { ["blue"] = 50, ["canary"] = 50 }, servedByHeader: ServedBy), config => config["Admin"]!["ApiKeys"]![0]!["Sha256"] = "not-a-hash");
        await Eventually.TrueAsync(() => env.ConfigState.Refusal is not null, "the version with a broken key was not refused");

        Assert.Contains(env.ConfigState.Refusal!.Errors, e => e.StartsWith("Admin:ApiKeys:0:Sha256:", StringComparison.Ordinal));
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal("blue=90, canary=10", route.Weights());
    }

    [Fact]
    public async Task A_configmap_symlink_swap_applies_the_new_version_and_a_swap_to_the_same_content_changes_nothing()
    {
        await using var env = await TestEnvironment.StartAsync(["blue", "canary"], FileSplit);
        var directory = Path.GetDirectoryName(env.ConfigFile)!;
        var name = Path.GetFileName(env.ConfigFile);
        var revision = env.Revision("shop");

        // The kubelet's layout: gateway.json -> ..data/gateway.json, ..data -> ..<timestamp>/ (each swap is one rename).
        var first = Path.Combine(directory, "..2026_01");
        Directory.CreateDirectory(first);
        File.Copy(env.ConfigFile, Path.Combine(first, name));
        Directory.CreateSymbolicLink(Path.Combine(directory, "..data"), first);
        var link = Path.Combine(directory, name + ".link");
        File.CreateSymbolicLink(link, Path.Combine("..data", name));
        File.Move(link, env.ConfigFile, overwrite: true);
        Assert.NotNull(new FileInfo(env.ConfigFile).LinkTarget);

        // The next version, swapped in whole by one rename of ..data; the old one removed, as the kubelet does.
        var second = Path.Combine(directory, "..2026_02");
        Directory.CreateDirectory(second);
        var next = JsonNode.Parse(await File.ReadAllTextAsync(env.ConfigFile))!;
        next["TrafficSplit"]!["Routes"]!["shop"]!["Weights"] = new JsonObject { ["blue"] = 70, ["canary"] = 30 };
        await File.WriteAllTextAsync(Path.Combine(second, name), next.ToJsonString());
        Directory.CreateSymbolicLink(Path.Combine(directory, "..data_tmp"), second);
        Rename(Path.Combine(directory, "..data_tmp"), Path.Combine(directory, "..data"));
        Directory.Delete(first, recursive: true);

        await Eventually.TrueAsync(() => env.Revision("shop") > revision, "the swapped-in version was not applied");
        using var admin = env.CreateAdminClient();
        var (route, _) = await admin.GetRouteAsync();
        Assert.Equal("blue=70, canary=30", route.Weights());
        Assert.Null(env.ConfigState.Refusal);

        // One revision: the link put in place of the file (same content) applied nothing.
        Assert.Equal(revision + 1, env.Revision("shop"));
    }

    // rename(2) over an existing symlink, as the kubelet swaps ..data (File.Move refuses a destination that is a directory
    // link); called directly, so the test needs no outside program.
    private static void Rename(string from, string to) =>
        Assert.True(rename(from, to) == 0, $"rename {from} {to}: errno {Marshal.GetLastPInvokeError()}");

    // CA2101 asks for a Windows charset; libc takes UTF-8 paths, which is what LPUTF8Str marshals.
#pragma warning disable CA2101
    [DllImport("libc", SetLastError = true)]
    private static extern int rename([MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath);
#pragma warning restore CA2101
}
