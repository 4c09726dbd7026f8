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

    /// <summary>The seller printed on receipts.</summary>
    public const string SellerName = "LLMTR Bilişim A.Ş.";

    private LlmTrHostFactory? _host;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The host's services, for a journey's setup that the site offers no page for.</summary>
    public IServiceProvider Services => _host!.Services;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        _host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:AdminEmail"] = AdminEmail,
            ["Demo:AdminPassword"] = AdminPassword,
            ["Billing:Seller:LegalName"] = SellerName,
            ["Billing:Seller:Address"] = "Maslak Mah. 1, Sarıyer, İstanbul",
            ["Billing:Seller:TaxOffice"] = "Maslak",
            ["Billing:Seller:TaxNumber"] = "1234567890",
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

    /// <summary>A fresh browser profile (no cookies) for one journey; it notes every Content-Security-Policy violation.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), Locale = "en-US" });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        _violations.Add(page, violations);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (violations)
                {
                    violations.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        return page;
    }

    /// <summary>What Chromium reported as refused by the Content-Security-Policy on this page so far.</summary>
    public static IReadOnlyList<string> CspViolations(IPage page)
    {
        var violations = _violations.TryGetValue(page, out var list) ? list : [];
        lock (violations)
        {
            return [.. violations];
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> _violations = [];

    /// <summary>
    /// Runs a journey; when it fails, a full-page screenshot of where the browser was is kept beside the test results
    /// (<c>LLMTR_E2E_ARTIFACTS</c>, or <c>e2e-artifacts</c> in the test output folder) and named in the failure.
    /// </summary>
    public static async Task JourneyAsync(IPage page, string name, Func<Task> journey)
    {
        try
        {
            await journey();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var folder = Environment.GetEnvironmentVariable("LLMTR_E2E_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "e2e-artifacts");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.png");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            }
            catch (PlaywrightException)
            {
                throw new InvalidOperationException($"Journey '{name}' failed at {page.Url} (no screenshot: the page was gone).", e);
            }

            throw new InvalidOperationException($"Journey '{name}' failed at {page.Url}; screenshot: {file}", e);
        }
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
