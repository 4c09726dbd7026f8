using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>axe-core finds no serious or critical violation on the pages people use most, as each kind of visitor sees them.</summary>
public sealed class AccessibilityShould(SiteFixture site) : IClassFixture<SiteFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/models")]
    [InlineData("/models/openai/gpt-4o")]
    public async Task FindNothingSeriousOnAPublicPage(string address)
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "axe-public", async () =>
        {
            await page.GotoAsync(address);
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false);
        });
    }

    [Fact]
    public async Task FindNothingSeriousOnTheDevelopersPagesAndDialogs()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "axe-developer", async () =>
        {
            await Visitors.RegisterAsync(page, $"axe-{Guid.NewGuid():N}@llmtr.test");
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            await page.GotoAsync("/dashboard/keys");
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            // The key dialog, the list of keys and the revocation question.
            await page.GetByLabel("Name").FillAsync("axe");
            await page.GetByTestId("create-key").ClickAsync();
            await Assertions.Expect(page.GetByTestId("close-reveal")).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true, within: ".mud-dialog");
            await page.GetByTestId("close-reveal").ClickAsync();
            await Assertions.Expect(page.GetByTestId("keys-list")).ToContainTextAsync("axe");
            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke key axe" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("confirm")).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true, within: ".mud-dialog");
            await page.GetByTestId("cancel").ClickAsync();
            await Assertions.Expect(page.GetByTestId("confirm")).ToHaveCountAsync(0);
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);

            await page.GotoAsync("/dashboard/billing");
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);
        });
    }

    [Theory]
    [InlineData(false, "/")]
    [InlineData(false, "/docs/en/index")]
    [InlineData(true, "/dashboard")]
    [InlineData(true, "/dashboard/requests")]
    public async Task FindNothingSeriousOnAPhoneWithTheMenuOpen(bool signedIn, string address)
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "axe-phone-menu", async () =>
        {
            if (signedIn)
            {
                await Visitors.RegisterAsync(page, $"axe-phone-{Guid.NewGuid():N}@llmtr.test");
            }

            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync(address);
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: signedIn);

            var menu = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
            await menu.ClickAsync();
            await Assertions.Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
            await Assertions.Expect(page.Locator("#llmtr-menu")).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: signedIn);
        });
    }

    [Theory]
    [InlineData("/dashboard/keys")]
    [InlineData("/dashboard/billing")]
    public async Task FindNothingSeriousInTheDarkTheme(string address)
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "axe-dark", async () =>
        {
            await Visitors.RegisterAsync(page, $"axe-dark-{Guid.NewGuid():N}@llmtr.test");
            await page.Context.AddCookiesAsync([new Cookie { Name = "llmtr.theme", Value = "dark", Url = site.BaseAddress.ToString() }]);
            await page.GotoAsync(address);
            await Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();
            Assert.Equal("rgb(18, 20, 23)", await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor")); // dark indeed
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);
        });
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/catalog")]
    [InlineData("/admin/catalog/models/openai/gpt-4o")]
    [InlineData("/admin/users")]
    [InlineData("/admin/health")]
    public async Task FindNothingSeriousInTheAdminConsole(string address)
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "axe-admin", async () =>
        {
            await Visitors.SignInAsync(page, SiteFixture.AdminEmail, SiteFixture.AdminPassword);
            await page.GotoAsync(address);
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: true);
        });
    }
}
