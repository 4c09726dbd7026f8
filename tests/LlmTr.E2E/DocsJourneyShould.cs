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
