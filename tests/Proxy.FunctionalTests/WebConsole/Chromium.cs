using Microsoft.Playwright;

namespace Proxy.FunctionalTests.WebConsole;

/// <summary>
/// Debian's chromium, driven headless by Playwright (its own browser download cannot work here). <c>PROXY_CHROMIUM</c>
/// names another executable. Without one the browser tests are skipped with the reason: the only skip the suite allows.
/// </summary>
public static class Chromium
{
    /// <summary>The browser's path, or null when there is none.</summary>
    public static readonly string? Path = Environment.GetEnvironmentVariable("PROXY_CHROMIUM") is { Length: > 0 } given
        ? given
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>Why the browser tests cannot run, or null.</summary>
    public static string? Missing => Path is null || !File.Exists(Path)
        ? "no chromium: install Debian's (apt-get install chromium; .ci/run does) or set PROXY_CHROMIUM"
        : null;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
        return (playwright, browser);
    }
}

/// <summary>A test that needs a real browser: skipped, with the reason, where there is none.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>One browser for the class's tests (each gets its own context: cookies, storage).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Chromium.Missing is null)
        {
            (_playwright, Browser) = await Chromium.LaunchAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
