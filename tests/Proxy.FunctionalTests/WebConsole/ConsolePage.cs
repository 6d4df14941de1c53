using Microsoft.Playwright;

namespace Proxy.FunctionalTests.WebConsole;

/// <summary>
/// One browser context on the console (1280×800 unless told), recording every script error and console error the page
/// reports; <see cref="AssertNoErrorsAsync"/> fails the test on any.
/// </summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly List<string> _errors = [];
    private readonly List<string> _allowed = [];

    private ConsolePage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, error) => _errors.Add("page error: " + error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add("console error: " + message.Text);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static async Task<ConsolePage> OpenAsync(IBrowser browser, Uri admin, BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } };
        options.BaseURL = admin.ToString();
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var console = new ConsolePage(context, page);
        await page.GotoAsync("/");
        return console;
    }

    /// <summary>A failed load the test itself causes (a wrong key's 401) is not an error of the page.</summary>
    public void Allow(string consoleText) => _allowed.Add(consoleText);

    public async Task LoginAsync(string key)
    {
        await Page.Locator("#key").FillAsync(key);
        await Page.Locator("#login-button").ClickAsync();
        await Page.Locator("#logout").WaitForAsync();
    }

    /// <summary>Clicks an action and confirms the dialog that names the change; returns the dialog's text.</summary>
    public async Task<string> ActAsync(string selector)
    {
        await Page.Locator(selector).ClickAsync();
        var text = await Page.Locator("#confirm-text").InnerTextAsync();
        await Page.Locator("#confirm-ok").ClickAsync();
        await Page.Locator(".toast", new PageLocatorOptions { HasTextString = "Done:" }).WaitForAsync();
        return text;
    }

    /// <summary>Saves a screenshot when PROXY_CONSOLE_SCREENSHOTS names a directory (docs/images is made so).</summary>
    public async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("PROXY_CONSOLE_SCREENSHOTS") is { Length: > 0 } directory)
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = System.IO.Path.Combine(directory, name), FullPage = true });
        }
    }

    public Task AssertNoErrorsAsync()
    {
        var errors = _errors.Where(e => !_allowed.Any(a => e.Contains(a, StringComparison.Ordinal))).ToArray();
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors));
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
