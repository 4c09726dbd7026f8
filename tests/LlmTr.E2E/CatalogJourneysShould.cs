using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>The catalog in Turkish: model pages with the data path's Turkish text, MudBlazor's texts, and the admin's bilingual editor.</summary>
public sealed partial class CatalogJourneysShould(SiteFixture site) : IClassFixture<SiteFixture>
{
    [Fact]
    public async Task ShowTheTurkishPagesOfAModelWithTurkishDataPathTextAndNumbers()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "catalog-turkish-model", async () =>
        {
            await page.GotoAsync("/models/openai/gpt-4o");
            await Assertions.Expect(page.Locator(".llmtr-hop-purpose").Nth(1)).ToHaveTextAsync("Runs the model");

            await ReloadThroughAsync(page, "a[href^='/ui/culture']");

            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "tr");
            await Assertions.Expect(page.Locator("[data-testid=deployment-openai] .llmtr-hop-purpose")).ToHaveTextAsync(["İsteğin kimliğini doğrular, yönlendirir ve ölçer", "Modeli çalıştırır"]);

            // GPT-4o is served from Azure in Sweden too: each deployment's path is shown, one of which a request takes.
            await Assertions.Expect(page.Locator("[data-testid=deployment-azure-sweden] h3")).ToHaveTextAsync("Sweden Central üzerinden (azure-sweden)");
            await Assertions.Expect(page.Locator("[data-testid=deployment-azure-sweden] .llmtr-hop-operator").Nth(1)).ToHaveTextAsync("Microsoft Azure OpenAI");
            await Assertions.Expect(page.Locator(".llmtr-hop-retention").Nth(1)).ToHaveTextAsync("Kötüye kullanım denetimi için 30 güne kadar");
            await Assertions.Expect(page.Locator(".llmtr-context-length")).ToHaveTextAsync("128.000 token");
            await Assertions.Expect(page.Locator("table.llmtr-prices")).ToContainTextAsync("2,50 USD");
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false);

            // An image model shows what it is billed by (its image output tokens, and per image when no tokens are reported),
            // never "not priced", and has no context length to show.
            await page.GotoAsync("/models?q=gpt-image-1");
            var card = page.Locator(".llmtr-model-card").Filter(new() { HasText = "openai/gpt-image-1" });
            await Assertions.Expect(card.Locator(".llmtr-unit-price")).ToHaveTextAsync(["40,00 USD", "0,167 USD"]);
            await Assertions.Expect(card.Locator(".llmtr-no-price")).ToHaveCountAsync(0);

            // Issue 20: no model of the catalog with a price in force reads "not priced" (every seeded model has one).
            await page.GotoAsync("/models");
            await Assertions.Expect(page.Locator(".llmtr-model-card").First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".llmtr-no-price")).ToHaveCountAsync(0);
            await Assertions.Expect(card.Locator(".llmtr-context-length")).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task LetAnAdminWriteAHopsTurkishTextAndSeeWhatChangedInTheHistory()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "catalog-admin-turkish", async () =>
        {
            await Visitors.SignInAsync(page, SiteFixture.AdminEmail, SiteFixture.AdminPassword);
            await page.GotoAsync("/admin/catalog/models/mistral/mistral-large-latest");
            await Assertions.Expect(page.GetByTestId("hop-1")).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            await ReloadThroughAsync(page, "a[href^='/ui/culture']");
            await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            var turkishRetention = page.Locator("[data-testid=hop-retention-tr-1] textarea, textarea[data-testid=hop-retention-tr-1]").First;
            await turkishRetention.FillAsync("Kötüye kullanım denetimi için en çok 30 gün");
            await turkishRetention.BlurAsync();
            await page.Locator("button").Filter(new() { HasTextRegex = KaydetButton() }).First.ClickAsync();
            await Assertions.Expect(page.Locator(".mud-alert")).ToContainTextAsync("Kaydedildi");

            // Every host reloads its catalog moments after a change; the model page is static, so ask again until it shows.
            await page.GotoAsync("/models/mistral/mistral-large-latest");
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (await page.Locator(".llmtr-hop-retention").Nth(1).TextContentAsync() is not "Kötüye kullanım denetimi için en çok 30 gün" && DateTime.UtcNow < deadline)
            {
                await page.ReloadAsync();
            }

            await Assertions.Expect(page.Locator(".llmtr-hop-retention").Nth(1)).ToHaveTextAsync("Kötüye kullanım denetimi için en çok 30 gün");

            await page.GotoAsync("/admin/catalog/history");
            var change = page.Locator("[data-testid=catalog-history] tbody tr").Filter(new() { HasText = "model:mistral/mistral-large-latest" }).First;
            var field = change.Locator("table.llmtr-history-fields tbody tr").Filter(new() { HasText = "DataPath[2].RetentionTr" });
            await Assertions.Expect(field.Locator(".llmtr-history-before")).ToHaveTextAsync("Kötüye kullanım denetimi için 30 güne kadar");
            await Assertions.Expect(field.Locator(".llmtr-history-after")).ToHaveTextAsync("Kötüye kullanım denetimi için en çok 30 gün");
            await Assertions.Expect(change).Not.ToContainTextAsync("{\"");
            await Assertions.Expect(page.Locator(".mud-table-pagination")).ToContainTextAsync("Sayfa başına satır:");
            await Assertions.Expect(page.Locator(".mud-table-page-number-information")).ToHaveTextAsync(PagerInTurkish());
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sonraki sayfa" })).ToBeAttachedAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);
        });
    }

    [Fact]
    public async Task LetAnAdminAddADeploymentThatTheModelPageThenShows()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "catalog-admin-deployment", async () =>
        {
            await Visitors.SignInAsync(page, SiteFixture.AdminEmail, SiteFixture.AdminPassword);
            await page.GotoAsync("/admin/catalog/models/deepseek/deepseek-v4-flash");
            await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
            await Assertions.Expect(page.GetByTestId("deployment-row-deepseek")).ToBeVisibleAsync();

            await page.Locator("[data-testid=deployment-name] input, input[data-testid=deployment-name]").First.FillAsync("reserve");
            await page.Locator("[data-testid=deployment-base-url] input, input[data-testid=deployment-base-url]").First.FillAsync("https://reserve.example/v1");
            var weight = page.Locator("[data-testid=deployment-weight] input, input[data-testid=deployment-weight]").First;
            await weight.FillAsync("0");
            await weight.BlurAsync();
            await page.GetByTestId("save-deployment").ClickAsync();

            await Assertions.Expect(page.Locator("tr", new() { Has = page.GetByTestId("deployment-row-reserve") })).ToContainTextAsync("deepseek");
            await Assertions.Expect(page.Locator("[data-testid=deployments] .mud-alert")).ToContainTextAsync("Deployment reserve saved.");
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            // A bad address is refused under its field, and nothing changes.
            await page.GetByRole(AriaRole.Button, new() { Name = "Edit deployment reserve" }).ClickAsync();
            var address = page.Locator("[data-testid=deployment-base-url] input, input[data-testid=deployment-base-url]").First;
            await address.FillAsync("reserve.example");
            await address.BlurAsync();
            await page.GetByTestId("save-deployment").ClickAsync();
            await Assertions.Expect(page.GetByTestId("deployments")).ToContainTextAsync("Enter an absolute http(s) URL");

            await page.GotoAsync("/models/deepseek/deepseek-v4-flash");
            await Assertions.Expect(page.GetByTestId("deployment-reserve")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("deployment-deepseek")).ToBeVisibleAsync();
        });
    }

    /// <summary>
    /// The preference links redirect back to the same address, so the URL cannot tell the old page from the new:
    /// mark the old document and wait for one without the mark.
    /// </summary>
    private static async Task ReloadThroughAsync(IPage page, string link)
    {
        await page.EvaluateAsync("() => window.llmtrOldDocument = true");
        await page.Locator(link).First.ClickAsync();
        await page.WaitForFunctionAsync("() => window.llmtrOldDocument === undefined && document.readyState !== 'loading'");
    }

    [GeneratedRegex("^\\s*Kaydet\\s*$")]
    private static partial Regex KaydetButton();

    [GeneratedRegex("^1-25 / toplam \\d+$")]
    private static partial Regex PagerInTurkish();
}
