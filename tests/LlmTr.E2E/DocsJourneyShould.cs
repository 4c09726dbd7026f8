using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LlmTr.E2E;

public sealed partial class DocsJourneyShould(SiteFixture site) : IClassFixture<SiteFixture>
{
    [Fact]
    public async Task LetAReaderSwitchLanguageSearchAndCopyAnExample()
    {
        var page = await site.NewPageAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = site.BaseAddress.GetLeftPart(UriPartial.Authority) });

        // From the main navigation to the docs home in the browser's language, then to the Quickstart.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Docs", Exact = true }).ClickAsync();
        await ArriveAsync(page, DocsHome());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("LLMTR documentation");
        await page.Locator(".llmtr-docs-pages").GetByRole(AriaRole.Link, new() { Name = "Quickstart" }).ClickAsync();
        await ArriveAsync(page, new Regex("/docs/en/quickstart$"));
        // Enhanced navigation may change the address before it swaps the content: wait for the new page itself.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Quickstart");

        // The same page in Turkish, and the rest of the site follows.
        await page.Locator("a.llmtr-docs-language").ClickAsync();
        await ArriveAsync(page, new Regex("/docs/tr/quickstart$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Hızlı başlangıç");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "tr");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Belgeler", Exact = true })).ToBeVisibleAsync();

        // Search, then follow the best result.
        // The index is fetched once, when the box is first focused.
        await page.RunAndWaitForResponseAsync(() => page.Locator("#docs-search").FocusAsync(), "**/api/docs/search-index/tr");
        await page.Locator("#docs-search").FillAsync("hata");
        var result = page.Locator("#docs-search-results a").First;
        await Assertions.Expect(result).ToHaveTextAsync("Hatalar");
        await result.ClickAsync();
        await ArriveAsync(page, new Regex("/docs/tr/errors"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Hatalar");

        // Copy the first example.
        var copy = page.Locator(".llmtr-copy").First;
        await copy.ClickAsync();
        await Assertions.Expect(copy).ToHaveTextAsync("Kopyalandı");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Contains("\"invalid_request_error\"", copied, StringComparison.Ordinal);
        Assert.Equal(await page.Locator(".llmtr-code pre code").First.InnerTextAsync(), copied);
        await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task LetAKeyboardScrollACodeExampleThatIsWiderThanItsBoxWithAVisibleRing()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "docs-code-keyboard", async () =>
        {
            // A tablet's width: code keeps its lines (it wraps only on phones), so long lines scroll inside their box.
            await page.SetViewportSizeAsync(700, 900);
            await page.GotoAsync("/docs/en/quickstart");
            var index = await page.EvaluateAsync<int>("() => [...document.querySelectorAll('.llmtr-code pre')].findIndex((pre) => pre.scrollWidth > pre.clientWidth)");
            Assert.True(index >= 0, "no code example on the quickstart is wider than its box at 700 px");
            var block = page.Locator(".llmtr-code").Nth(index);

            // From the block's copy button, Tab reaches the code itself.
            await block.Locator(".llmtr-copy").FocusAsync();
            await page.Keyboard.PressAsync("Tab");
            await Assertions.Expect(block.Locator("pre")).ToBeFocusedAsync();
            var ring = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
                () => {
                  const style = getComputedStyle(document.activeElement);
                  return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), offset: parseFloat(style.outlineOffset) };
                }
                """);
            Assert.NotEqual("none", ring.GetProperty("style").GetString());
            Assert.True(ring.GetProperty("width").GetDouble() >= 2, $"the focus ring is too thin: {ring}");
            Assert.True(ring.GetProperty("offset").GetDouble() + ring.GetProperty("width").GetDouble() <= 0, $"the ring is drawn outside the box, which clips it: {ring}");

            // The arrow keys scroll it.
            await page.Keyboard.PressAsync("ArrowRight");
            await Assertions.Expect(block.Locator("pre")).Not.ToHaveJSPropertyAsync("scrollLeft", 0);
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false);
        });
    }

    private static async Task ArriveAsync(IPage page, Regex url)
    {
        try
        {
            await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Still on {page.Url}, showing: {await page.InnerTextAsync("main")}", e);
        }
    }

    [GeneratedRegex("/docs/en$")]
    private static partial Regex DocsHome();
}
