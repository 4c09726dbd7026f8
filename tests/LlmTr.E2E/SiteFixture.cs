using LlmTr.Testing;
using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>
/// The real host on Kestrel (a random loopback port, its own database, demo mode on) and Debian's Chromium driven
/// by Playwright. Playwright's own browser download cannot work here, so the system Chromium is launched.
/// </summary>
public sealed class SiteFixture : IAsyncLifetime
{
    public const string AdminEmail = "admin@llmtr.test";
    public const string AdminPassword = "Demo-Admin-Pass-1";

    private LlmTrHostFactory? _host;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        _host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:AdminEmail"] = AdminEmail,
            ["Demo:AdminPassword"] = AdminPassword,
        });
        BaseAddress = _host.StartOnKestrel();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("LLMTR_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser profile (no cookies) for one journey.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), Locale = "en-US" });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
