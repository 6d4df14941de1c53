using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Proxy.Traffic.Configuration;

namespace Proxy.Traffic.Tests.Configuration;

public sealed class LastGoodJsonFileProviderTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    private readonly string _directory = Directory.CreateTempSubdirectory("last-good-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly List<ConfigurationRefusal> _refusals = [];
    private int _reloads;
    private int _lifted;

    private string File => Path.Combine(_directory, "gateway.json");

    [Fact]
    public void A_missing_file_is_refused_and_its_content_stays()
    {
        var (configuration, _) = Start("""{ "A": { "B": "1" } }""");

        System.IO.File.Delete(File);
        PollAndSettle();

        Assert.Equal("1", configuration["A:B"]);
        Assert.Equal([$"{File}: the file is missing"], _refusals.Single().Errors);
        Assert.Equal(0, _reloads);
    }

    [Fact]
    public void The_file_back_unchanged_lifts_the_refusal_without_a_reload()
    {
        var (_, provider) = Start("""{ "A": { "B": "1" } }""");
        var content = System.IO.File.ReadAllText(File);
        System.IO.File.Delete(File);
        PollAndSettle();

        System.IO.File.WriteAllText(File, content);
        PollAndSettle();

        Assert.Null(provider.Refusal);
        Assert.Equal(1, _lifted);
        Assert.Equal(0, _reloads);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("  \n", "the file is empty")]
    [InlineData("""{ "A": { "B": """, "not a valid JSON configuration file")]
    [InlineData("{}", "the file declares no settings")]
    [InlineData("[1, 2]", "not a valid JSON configuration file")]
    public void A_broken_version_is_refused_and_the_next_reload_of_any_source_still_sees_the_last_good_one(string content, string error)
    {
        var (configuration, _) = Start("""{ "A": { "B": "1" } }""");

        System.IO.File.WriteAllText(File, content);
        PollAndSettle();
        configuration.Reload();

        Assert.Equal("1", configuration["A:B"]);
        Assert.Contains(error, _refusals.Single().Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var (configuration, _) = Start("""{ "A": { "B": "1" } }""");

        System.IO.File.WriteAllBytes(File, [.. "{ \"A\": { \"B\": \""u8, 0xC3, 0x28, .. "\" } }"u8]);
        PollAndSettle();

        Assert.Equal("1", configuration["A:B"]);
        Assert.Single(_refusals);
    }

    [Fact]
    public void A_good_version_is_applied_once_it_has_settled()
    {
        var (configuration, _) = Start("""{ "A": { "B": "1" } }""");

        System.IO.File.WriteAllText(File, """{ "A": { "B": "2" } }""");
        _time.Advance(Poll);
        Assert.Equal("1", configuration["A:B"]);

        _time.Advance(Settle);
        Assert.Equal("2", configuration["A:B"]);
        Assert.Equal(1, _reloads);
        Assert.Empty(_refusals);
    }

    [Fact]
    public void A_content_still_changing_is_not_judged_half_way()
    {
        var (configuration, _) = Start("""{ "A": { "B": "1" } }""");

        System.IO.File.WriteAllText(File, """{ "A": { "B": """);
        _time.Advance(Poll);
        System.IO.File.WriteAllText(File, """{ "A": { "B": "2" } }""");
        _time.Advance(Settle);
        _time.Advance(Settle);

        Assert.Equal("2", configuration["A:B"]);
        Assert.Empty(_refusals);
    }

    [Fact]
    public void A_version_the_validator_refuses_is_not_applied()
    {
        var (configuration, provider) = Start("""{ "A": { "B": "1" } }""");
        provider.Validate = candidate => candidate["A:B"] == "bad" ? ["A:B: must not be bad"] : [];

        System.IO.File.WriteAllText(File, """{ "A": { "B": "bad" } }""");
        PollAndSettle();

        Assert.Equal("1", configuration["A:B"]);
        Assert.Equal(["A:B: must not be bad"], _refusals.Single().Errors);

        // The same refusal is reported once, however often the file is polled.
        PollAndSettle();
        Assert.Single(_refusals);
    }

    [Fact]
    public void A_file_that_cannot_be_read_at_start_up_is_an_error_naming_it()
    {
        var error = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().Add(Source()).Build());

        Assert.Equal($"{File}: the file is missing", error.Message);
    }

    private (IConfigurationRoot Configuration, LastGoodJsonFileProvider Provider) Start(string content)
    {
        System.IO.File.WriteAllText(File, content);
        var configuration = new ConfigurationBuilder().Add(Source()).Build();
        var provider = configuration.Providers.OfType<LastGoodJsonFileProvider>().Single();
        provider.Refused += _refusals.Add;
        provider.RefusalLifted += () => _lifted++;
        Microsoft.Extensions.Primitives.ChangeToken.OnChange(provider.GetReloadToken, () => _reloads++);
        return (configuration, provider);
    }

    private LastGoodJsonFileSource Source() => new() { Path = File, PollInterval = Poll, SettleDelay = Settle, TimeProvider = _time };

    private void PollAndSettle()
    {
        _time.Advance(Poll);
        _time.Advance(Settle);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
