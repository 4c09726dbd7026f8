using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LlmTr.E2E;

public sealed partial class FoundationJourneysShould(SiteFixture site) : IClassFixture<SiteFixture>
{
    [Fact]
    public async Task TakeANewDeveloperFromRegistrationToTheirEmptyDashboard()
    {
        var page = await site.NewPageAsync();
        var email = $"dev-{Guid.NewGuid():N}@llmtr.test";

        await page.GotoAsync("/dashboard");
        await ArriveAsync(page, LoginPage());

        await page.GetByRole(AriaRole.Link, new() { Name = "Register" }).First.ClickAsync();

        // Enhanced navigation swaps the page in place, and the login page has an "E-mail" field too: wait for this one.
        await ArriveAsync(page, new Regex("/account/register$"));
        await Assertions.Expect(page.GetByLabel("Confirm password")).ToBeVisibleAsync();
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Correct-Horse-42");
        await page.GetByLabel("Confirm password").FillAsync("Correct-Horse-42");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        // Registering leads to the sign-in page, which says so without telling whether the address already had an account.
        await ArriveAsync(page, LoginPage());
        await Assertions.Expect(page.GetByText("Registration received")).ToBeVisibleAsync();
        await Visitors.SignInAsync(page, email, "Correct-Horse-42");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(email);
        await Assertions.Expect(page.GetByTestId("dashboard-empty-state")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();

        // The circuit re-renders the prerendered page when it connects: click once that has happened.
        await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await ArriveAsync(page, new Regex("/$"));
        await page.GotoAsync("/dashboard");
        await ArriveAsync(page, LoginPage());
    }

    [Fact]
    public async Task ShowANewApiKeyOnceAndLetItCallTheApi()
    {
        var page = await site.NewPageAsync();
        await RegisterAsync(page, $"keys-{Guid.NewGuid():N}@llmtr.test");

        await page.GotoAsync("/dashboard/keys");
        await Assertions.Expect(page.Locator("[data-testid=create-key]")).ToBeEnabledAsync(); // interactive now
        await page.GetByLabel("Name").FillAsync("journey");
        await page.Locator("[data-testid=create-key]").ClickAsync();

        var revealed = page.Locator(".llmtr-revealed-key input");
        await Assertions.Expect(revealed).ToHaveValueAsync(new Regex("^llmtr-[A-Za-z0-9_-]{43}$"));
        var rawKey = await revealed.InputValueAsync();
        await page.Locator("[data-testid=close-reveal]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=keys-list]")).ToContainTextAsync("journey");
        Assert.DoesNotContain(rawKey, await page.ContentAsync(), StringComparison.Ordinal);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-testid=keys-list]")).ToContainTextAsync(rawKey[^4..]);
        Assert.DoesNotContain(rawKey, await page.ContentAsync(), StringComparison.Ordinal);

        using var api = new HttpClient { BaseAddress = site.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", rawKey);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync(new Uri("/v1/models", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task LetTheDemoAdminSignInAndReachTheJobsDashboard()
    {
        var page = await site.NewPageAsync();

        await page.GotoAsync("/account/login");
        await page.GetByLabel("E-mail").FillAsync(SiteFixture.AdminEmail);
        await page.GetByLabel("Password").FillAsync(SiteFixture.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ArriveAsync(page, DashboardPage());

        // The circuit re-renders the prerendered page when it connects: click once that has happened.
        await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Admin" }).ClickAsync();
        await ArriveAsync(page, new Regex("/admin$"));
        await Assertions.Expect(page.Locator("a[href='/admin/jobs']")).ToBeVisibleAsync();

        // The jobs dashboard is Hangfire's own page, outside Blazor: load it as a document.
        var jobs = await page.GotoAsync("/admin/jobs");
        Assert.Equal(200, jobs!.Status);
        await Assertions.Expect(page.GetByText("LLMTR jobs").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RunEveryKindOfPageUnderTheContentSecurityPolicyWithoutAViolation()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("E-mail").FillAsync(SiteFixture.AdminEmail);
        await page.GetByLabel("Password").FillAsync(SiteFixture.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ArriveAsync(page, DashboardPage());

        // Static pages (home, docs with its search script) and interactive ones, which must open their circuit.
        await page.GotoAsync("/");
        await page.GotoAsync("/docs/en/quickstart");
        await page.Locator("#docs-search").FillAsync("key");
        await Assertions.Expect(page.Locator("#docs-search-results li").First).ToBeVisibleAsync();
        foreach (var address in new[] { "/dashboard", "/dashboard/keys", "/admin", "/admin/catalog" })
        {
            await page.GotoAsync(address);
            await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeVisibleAsync();
        }

        Assert.Empty(SiteFixture.CspViolations(page));
    }

    [Fact]
    public async Task SwitchToTurkishAndToTheDarkTheme()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/account/login");

        await ReloadThroughAsync(page, "a[href^='/ui/culture']");
        // The DOM text, not the accessible name: Chromium builds that name after the button's uppercase transform,
        // which in Turkish gives a dotted İ that no case-insensitive comparison maps back to "i".
        await Assertions.Expect(page.Locator("button[type=submit]")).ToHaveTextAsync("Giriş yap");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "tr");

        var lightBackground = await BackgroundOfAsync(page);
        await ReloadThroughAsync(page, "a[href^='/ui/theme']");
        Assert.NotEqual(lightBackground, await BackgroundOfAsync(page));
    }

    /// <summary>Signs up, confirms the address through the mailed link (keys need it) and signs in.</summary>
    private static Task RegisterAsync(IPage page, string email) => Visitors.RegisterAsync(page, email);

    /// <summary>Waits for the address and the document, not for every sub-resource: assertions wait for content.</summary>
    private static async Task ArriveAsync(IPage page, Regex url)
    {
        try
        {
            await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        }
        catch (TimeoutException e)
        {
            // Say where the browser was instead: the page it is stuck on usually explains the failure.
            throw new TimeoutException($"Still on {page.Url}, showing: {await page.InnerTextAsync("main")}", e);
        }
    }

    /// <summary>
    /// The preference links redirect back to the same address, so the URL cannot tell the old page from the new:
    /// mark the old document and wait for one without the mark.
    /// </summary>
    private static async Task ReloadThroughAsync(IPage page, string link)
    {
        await page.EvaluateAsync("() => window.llmtrOldDocument = true");
        await page.Locator(link).ClickAsync();
        await page.WaitForFunctionAsync("() => window.llmtrOldDocument === undefined && document.readyState !== 'loading'");
    }

    private static Task<string> BackgroundOfAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    [GeneratedRegex("/account/login")]
    private static partial Regex LoginPage();

    [GeneratedRegex("/dashboard$")]
    private static partial Regex DashboardPage();
}
