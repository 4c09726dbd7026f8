using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmTr.Testing;
using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>
/// Every page of the site, taken from the web assembly's routes so that a new page cannot be left out, on a phone
/// and on tablets and small laptops (390, 768 and 1024 px: nothing wider than the screen) and on a desktop (1280 and
/// 1440 px: the navigation on one row, the current page's link marked with aria-current), as a developer with a key, a
/// top-up and a request, and as the demo admin; and the longer Turkish navigation on one row from 1280 px up.
/// </summary>
public sealed partial class ResponsiveJourneysShould(SiteFixture site) : IClassFixture<SiteFixture>
{
    private const int PhoneWidth = 390;
    private const int DesktopWidth = 1440;

    private static readonly string[] Themes = ["light", "dark"];

    private static readonly int[] DesktopWidths = [1280, DesktopWidth];

    /// <summary>Pages whose bar is checked in Turkish: a static and an interactive page of each kind of visitor.</summary>
    private static readonly string[] TurkishDeveloperPages = ["/", "/dashboard", "/dashboard/playground", "/docs/tr"];

    private static readonly string[] TurkishAdminPages = ["/admin", "/admin/catalog"];

    /// <summary>A phone, a tablet upright and a tablet on its side or a small laptop: each below the full bar's width.</summary>
    private static readonly int[] NarrowWidths = [PhoneWidth, 768, 1024];

    /// <summary>Pages whose navigation link lives at another address than the page.</summary>
    private static readonly Dictionary<string, string> LinkOfPage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/dashboard/settings"] = "/account/manage",
    };

    [Fact]
    public async Task FitEveryPageOnAPhoneAndKeepTheDesktopNavigationOnOneRowForADeveloper()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "responsive-developer", async () =>
        {
            await Visitors.RegisterAsync(page, $"phone-{Guid.NewGuid():N}@llmtr.test");
            var ids = await GiveTheAccountContentAsync(page);

            var routes = Routes().Where(r => !r.Template.StartsWith("/admin", StringComparison.Ordinal)).ToList();
            await VisitAllAsync(page, routes, ids);
        });
    }

    [Fact]
    public async Task FitEveryAdminPageOnAPhoneAndKeepTheDesktopNavigationOnOneRow()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "responsive-admin", async () =>
        {
            await Visitors.SignInAsync(page, SiteFixture.AdminEmail, SiteFixture.AdminPassword);
            var routes = Routes().Where(r => r.Template.StartsWith("/admin", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(routes);
            await VisitAllAsync(page, routes, new Dictionary<string, string>());
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the admin's bar has one link more
    public async Task KeepTheTurkishNavigationOnOneRowFrom1280PxAndInTheDrawerBelow(bool admin)
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, admin ? "turkish-bar-admin" : "turkish-bar-developer", async () =>
        {
            if (admin)
            {
                await Visitors.SignInAsync(page, SiteFixture.AdminEmail, SiteFixture.AdminPassword);
            }
            else
            {
                await Visitors.RegisterAsync(page, $"bar-{Guid.NewGuid():N}@llmtr.test");
            }

            await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=tr|uic=tr", Url = site.BaseAddress.ToString() }]);
            var problems = new List<string>();
            foreach (var address in admin ? TurkishAdminPages : TurkishDeveloperPages)
            {
                await page.SetViewportSizeAsync(DesktopWidth, 900);
                await page.GotoAsync(address);
                await SettleAsync(page, address.StartsWith("/dashboard", StringComparison.Ordinal) || address.StartsWith("/admin", StringComparison.Ordinal));
                Assert.Equal("tr", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
                await Assertions.Expect(page.Locator(".llmtr-menu a[href='/models']")).ToHaveTextAsync("Modeller");
                foreach (var desktop in DesktopWidths)
                {
                    await page.SetViewportSizeAsync(desktop, 900);
                    var bar = await page.EvaluateAsync<JsonElement>(NavigationScript);
                    if (bar.GetProperty("rows").GetInt32() != 1 || !bar.GetProperty("fits").GetBoolean())
                    {
                        problems.Add($"{address} in Turkish at {desktop} px: the navigation is not one row within the window: {bar}");
                    }

                    if (await page.GetByRole(AriaRole.Button, new() { Name = "Menü" }).IsVisibleAsync())
                    {
                        problems.Add($"{address} in Turkish at {desktop} px: the drawer's button shows beside the full bar");
                    }
                }

                // Just below the full bar: the drawer's button alone, the links out of sight until it opens.
                await page.SetViewportSizeAsync(1279, 900);
                var button = page.GetByRole(AriaRole.Button, new() { Name = "Menü" });
                await Assertions.Expect(button).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator(".llmtr-menu a[href='/models']")).ToBeHiddenAsync();
                var closed = await page.EvaluateAsync<JsonElement>(NavigationScript);
                if (closed.GetProperty("rows").GetInt32() != 1 || !closed.GetProperty("fits").GetBoolean())
                {
                    problems.Add($"{address} in Turkish at 1279 px: the bar with the drawer closed is not one row within the window: {closed}");
                }
            }

            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        });
    }

    [Fact]
    public async Task OpenTheMenuFromItsButtonOnAPhoneAndCloseItWithEscape()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "responsive-menu", async () =>
        {
            await page.SetViewportSizeAsync(PhoneWidth, 844);
            await page.GotoAsync("/models"); // a static page: the menu must open without a circuit
            var button = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
            var models = page.GetByRole(AriaRole.Link, new() { Name = "Models" });
            await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
            await Assertions.Expect(models).ToBeHiddenAsync();

            await button.ClickAsync();
            await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
            await Assertions.Expect(models).ToBeVisibleAsync();
            await Assertions.Expect(models).ToHaveAttributeAsync("aria-current", "page");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Home" })).ToBeFocusedAsync();

            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
            await Assertions.Expect(models).ToBeHiddenAsync();
            await Assertions.Expect(button).ToBeFocusedAsync();

            // A link followed from the menu leads to its page with the menu closed.
            await button.ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Docs" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(DocsPage());
            await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
            await Assertions.Expect(page.Locator(".mud-main-content[inert]")).ToHaveCountAsync(0);

            // The docs: the page first, the pages and search behind a button.
            var sidebar = page.Locator("#docs-sidebar");
            await Assertions.Expect(page.Locator("article.llmtr-docs-article h1")).ToBeVisibleAsync();
            await Assertions.Expect(sidebar).ToBeHiddenAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Pages and search" }).ClickAsync();
            await Assertions.Expect(sidebar).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByLabel("Search the docs")).ToBeFocusedAsync();
            Assert.Empty(SiteFixture.CspViolations(page));
        });
    }

    [Fact]
    public async Task ShowAFocusRingOnEveryControlInBothThemes()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "focus-ring", async () =>
        {
            await Visitors.RegisterAsync(page, $"focus-{Guid.NewGuid():N}@llmtr.test");
            await page.SetViewportSizeAsync(DesktopWidth, 900);
            foreach (var theme in Themes)
            {
                await page.Context.AddCookiesAsync([new Cookie { Name = "llmtr.theme", Value = theme, Url = site.BaseAddress.ToString() }]);
                await page.GotoAsync("/dashboard/keys");
                await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
                await Assertions.Expect(page.GetByTestId("create-key")).ToBeEnabledAsync();
                await page.Locator("body").FocusAsync();
                var seen = new List<string>();
                for (var i = 0; i < 30; i++)
                {
                    await page.Keyboard.PressAsync("Tab");
                    var focus = await page.EvaluateAsync<JsonElement>(FocusRingScript);
                    var what = focus.GetProperty("what").GetString()!;
                    if (what.StartsWith("body", StringComparison.Ordinal))
                    {
                        continue; // focus left the page for the browser's own controls, and comes back next
                    }

                    seen.Add(what);
                    Assert.True(focus.GetProperty("ring").GetBoolean(), $"{theme} theme: no visible focus ring on {what}");
                }

                Assert.True(seen.Distinct().Count() > 10, $"{theme} theme: only these controls were reached with Tab: {string.Join(", ", seen.Distinct())}");
            }
        });
    }

    /// <summary>A key, a paid top-up and one playground request, so that the pages show rows; the ids that fill routes.</summary>
    private static async Task<Dictionary<string, string>> GiveTheAccountContentAsync(IPage page)
    {
        await page.GotoAsync("/dashboard/keys");
        await Assertions.Expect(page.GetByTestId("create-key")).ToBeEnabledAsync();
        await page.GetByLabel("Name").FillAsync("phone");
        await page.GetByTestId("create-key").ClickAsync();
        await page.GetByTestId("close-reveal").ClickAsync();
        await Assertions.Expect(page.GetByTestId("keys-list")).ToContainTextAsync("phone");

        await page.GotoAsync("/dashboard/billing");
        await Assertions.Expect(page.GetByTestId("preset").Nth(0)).ToBeEnabledAsync();
        await page.GetByTestId("preset").Nth(0).ClickAsync();
        await page.GetByTestId("pay").ClickAsync();
        await page.WaitForURLAsync(TestCheckout(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var checkout = new Uri(page.Url).AbsolutePath;
        await page.GetByTestId("test-pay").ClickAsync();
        await page.WaitForURLAsync(new Regex("/dashboard/billing\\?topUp="), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var receipt = page.Locator("a[href^='/dashboard/billing/receipts/']").First;
        await Assertions.Expect(receipt).ToBeAttachedAsync();
        var receiptPath = (await receipt.GetAttributeAsync("href"))!;

        await page.GotoAsync("/dashboard/playground");
        var message = page.Locator("textarea[data-testid=playground-message]");
        await Assertions.Expect(message).ToBeEnabledAsync();
        await message.FillAsync("Merhaba from a phone");
        await page.GetByTestId("playground-send").ClickAsync();
        var usage = page.GetByTestId("answer-usage");
        await Assertions.Expect(usage).ToContainTextAsync("output tokens, cost");
        var requestId = RequestId().Match(await usage.InnerTextAsync()).Value;

        // The log is written in batches: look until the request is there, so the request pages have their row.
        await Poll.UntilAsync(() => RequestLog.ListsAsync(page, requestId), "the playground request in the request log", TimeSpan.FromSeconds(20));

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["/dashboard/requests/{RequestId}"] = $"/dashboard/requests/{requestId}",
            ["/dashboard/billing/receipts/{Id:guid}"] = receiptPath,
            ["/billing/test-checkout/{Id:guid}"] = checkout,
        };
    }

    private static async Task VisitAllAsync(IPage page, IReadOnlyList<Route> routes, Dictionary<string, string> filled)
    {
        var problems = new List<string>();
        foreach (var route in routes)
        {
            var address = route.HasParameters
                ? filled.GetValueOrDefault(route.Template) ?? Fixed.GetValueOrDefault(route.Template)
                  ?? throw new InvalidOperationException($"The route {route.Template} has parameters: give the journey a real address for it.")
                : route.Template;

            // Each narrow width loaded afresh, as a visitor on that screen gets the page.
            foreach (var narrow in NarrowWidths)
            {
                await page.SetViewportSizeAsync(narrow, narrow < 1000 ? 1024 : 768);
                await page.GotoAsync(address);
                await SettleAsync(page, route.Interactive);
                var width = await page.EvaluateAsync<JsonElement>(OverflowScript);
                if (!width.GetProperty("fits").GetBoolean())
                {
                    problems.Add($"{address} at {narrow} px is wider than the screen: {width}");
                }
            }

            // The full bar from the drawer's breakpoint (a common laptop) up, on one row and within the window.
            JsonElement bar = default;
            foreach (var desktop in DesktopWidths)
            {
                await page.SetViewportSizeAsync(desktop, 900);
                bar = await page.EvaluateAsync<JsonElement>(NavigationScript);
                if (bar.GetProperty("rows").GetInt32() != 1 || !bar.GetProperty("fits").GetBoolean())
                {
                    problems.Add($"{address} at {desktop} px: the navigation is not one row within the window: {bar}");
                }
            }

            var path = new Uri(page.Url).AbsolutePath;
            var expected = LinkOfPage.GetValueOrDefault(path) ?? Covering(path, bar.GetProperty("links").EnumerateArray().Select(l => l.GetString()!));
            var current = bar.GetProperty("current").EnumerateArray().Select(l => l.GetString()!).ToList();
            if (!current.SequenceEqual(expected is null ? [] : [expected]))
            {
                problems.Add($"{address} (at {path}) marks [{string.Join(", ", current)}] as the current page; expected [{expected}]");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The link standing for a path: the longest one that is the path or a parent of it; home only for itself.</summary>
    private static string? Covering(string path, IEnumerable<string> links) =>
        links.Where(l => l == "/" ? path == "/" : path == l || path.StartsWith(l + "/", StringComparison.Ordinal)).MaxBy(l => l.Length);

    /// <summary>Waits for what the visitor would wait for: the circuit on interactive pages, and no table still loading.</summary>
    private static async Task SettleAsync(IPage page, bool interactive)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (interactive && await page.Locator("main[data-interactive]").CountAsync() > 0)
        {
            await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
        }

        await Assertions.Expect(page.Locator(".mud-table-loading, .mud-progress-linear, .llmtr-table-pending")).ToHaveCountAsync(0);
    }

    /// <summary>Addresses for parameterized routes that need no data of the journey's own.</summary>
    private static readonly Dictionary<string, string> Fixed = new(StringComparer.Ordinal)
    {
        ["/docs/{Language}"] = "/docs/tr",
        ["/docs/{Language}/{Slug}"] = "/docs/en/errors",
        ["/models/{ProviderSegment}/{ModelSegment}"] = "/models/openai/gpt-4o",
        ["/admin/catalog/models/{Provider}/{Model}"] = "/admin/catalog/models/openai/gpt-4o",
        ["/organisations/invitations/{Token}"] = "/organisations/invitations/no-such-invitation",
    };

    private sealed record Route(string Template, bool Interactive)
    {
        public bool HasParameters => Template.Contains('{', StringComparison.Ordinal);
    }

    /// <summary>Every routable page of the web UI, read from its assembly, as the router sees them.</summary>
    private static List<Route> Routes() =>
        typeof(LlmTr.Web.WebModule).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => new Route(
                r.Template, t.GetCustomAttribute<ExcludeFromInteractiveRoutingAttribute>() is null)))
            .OrderBy(r => r.Template, StringComparer.Ordinal)
            .ToList();

    // Whether the page is no wider than the window; if it is, the widest elements past its right edge that no
    // scrolling box of their own clips, so the failure names the culprit.
    private const string OverflowScript = """
        () => {
          const doc = document.documentElement, body = document.body;
          const fits = doc.scrollWidth <= doc.clientWidth && body.scrollWidth <= body.clientWidth;
          const clipped = (e) => {
            for (let p = e.parentElement; p && p !== body; p = p.parentElement) {
              const style = getComputedStyle(p);
              if (style.overflowX !== 'visible' || style.position === 'fixed') return true;
            }
            return false;
          };
          const culprits = fits ? [] : [...body.querySelectorAll('*')]
            .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 0.5 && !clipped(e))
            .slice(0, 6)
            .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`);
          return { fits, document: `${doc.scrollWidth}/${doc.clientWidth}`, body: `${body.scrollWidth}/${body.clientWidth}`, culprits };
        }
        """;

    // The app bar's visible links and buttons: how many rows they make (by vertical centre), the navigation's link
    // addresses, and which of them are marked as the current page.
    private const string NavigationScript = """
        () => {
          const controls = [...document.querySelectorAll('.mud-appbar a[href], .mud-appbar button')]
            .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden');
          const width = document.documentElement.clientWidth;
          const fits = controls.every((e) => e.getBoundingClientRect().right <= width + 0.5);
          const centres = [];
          for (const e of controls) {
            const r = e.getBoundingClientRect();
            const centre = (r.top + r.bottom) / 2;
            if (!centres.some((c) => Math.abs(c - centre) <= 4)) centres.push(centre);
          }
          const links = [...document.querySelectorAll('.llmtr-menu a[href]')].map((a) => a.getAttribute('href')).filter((h) => h.startsWith('/') && !h.startsWith('/ui/'));
          const current = [...document.querySelectorAll('.llmtr-menu [aria-current="page"]')].map((a) => a.getAttribute('href'));
          return { rows: centres.length, fits, right: Math.round(Math.max(...controls.map((e) => e.getBoundingClientRect().right))), centres, links, current };
        }
        """;

    // Where focus is and whether it shows: an outline of at least 2px that is not 'none'.
    private const string FocusRingScript = """
        () => {
          const e = document.activeElement;
          const style = getComputedStyle(e);
          const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
          const what = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${(e.getAttribute('aria-label') || e.textContent || e.getAttribute('name') || '').trim().slice(0, 40)}" ${e.getAttribute('href') || ''}`;
          return { ring, what };
        }
        """;

    [GeneratedRegex("/billing/test-checkout/")]
    private static partial Regex TestCheckout();

    [GeneratedRegex("/docs/en")]
    private static partial Regex DocsPage();

    [GeneratedRegex("req_[0-9a-f]{32}")]
    private static partial Regex RequestId();
}
