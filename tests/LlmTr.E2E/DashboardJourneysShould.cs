using System.Globalization;
using System.Text.RegularExpressions;
using LlmTr.Testing;
using Microsoft.Playwright;

namespace LlmTr.E2E;

public sealed partial class DashboardJourneysShould(SiteFixture site) : IClassFixture<SiteFixture>
{
    private static readonly string[] AdminPages = ["/admin", "/admin/users", "/admin/audit", "/admin/catalog", "/admin/keys", "/admin/billing"];

    [Fact]
    public async Task TakeADeveloperFromRegistrationThroughKeyTopUpAndPlaygroundToTheRequestLogAndRevocation()
    {
        var page = await site.NewPageAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await SiteFixture.JourneyAsync(page, "developer-journey", async () =>
        {
            await Visitors.RegisterAsync(page, $"journey-{Guid.NewGuid():N}@llmtr.test");

            // A key, shown once, copied with the button.
            await page.GotoAsync("/dashboard/keys");
            await Assertions.Expect(page.GetByTestId("create-key")).ToBeEnabledAsync();
            await page.GetByLabel("Name").FillAsync("journey");
            await page.GetByTestId("create-key").ClickAsync();
            var revealed = page.Locator(".llmtr-revealed-key input");
            await Assertions.Expect(revealed).ToHaveValueAsync(RawKey());
            var rawKey = await revealed.InputValueAsync();
            await page.GetByTestId("copy-key").ClickAsync();
            await Assertions.Expect(page.GetByText("Copied")).ToBeVisibleAsync();
            Assert.Equal(rawKey, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
            await page.GetByTestId("close-reveal").ClickAsync();
            await Assertions.Expect(page.GetByTestId("keys-list")).ToContainTextAsync("journey");

            // Credit through the test payment provider.
            await page.GotoAsync("/dashboard/billing");
            await Assertions.Expect(page.GetByTestId("preset").Nth(0)).ToBeEnabledAsync();
            await page.GetByTestId("preset").Nth(0).ClickAsync();
            await page.GetByTestId("pay").ClickAsync();
            await page.WaitForURLAsync(new Regex("/billing/test-checkout/"), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await page.GetByTestId("test-pay").ClickAsync();
            await page.WaitForURLAsync(new Regex("/dashboard/billing\\?topUp="), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            var balance = (await page.GetByTestId("balance-amount").InnerTextAsync()).Trim();
            Assert.NotEqual("0.00 USD", balance);

            await page.GotoAsync("/dashboard");
            await Assertions.Expect(page.GetByTestId("dashboard-balance")).ToHaveTextAsync(balance);

            // The playground streams the demo model's answer, billed and logged like an API call.
            await page.GotoAsync("/dashboard/playground");
            var message = page.Locator("textarea[data-testid=playground-message]");
            await Assertions.Expect(message).ToBeEnabledAsync();
            await message.FillAsync("Merhaba from the journey");
            await page.GetByTestId("playground-send").ClickAsync();
            await Assertions.Expect(page.GetByTestId("turn-assistant")).ToContainTextAsync("You said: \"Merhaba from the journey\"");
            var usage = page.GetByTestId("answer-usage");
            await Assertions.Expect(usage).ToContainTextAsync("output tokens, cost");
            var requestId = RequestId().Match(await usage.InnerTextAsync()).Value;
            Assert.NotEmpty(requestId);
            Assert.DoesNotContain(rawKey, await page.ContentAsync(), StringComparison.Ordinal);

            // The log is written in batches: look until the request is there.
            await Poll.UntilAsync(() => RequestLog.ListsAsync(page, requestId), "the playground request in the request log", TimeSpan.FromSeconds(20));
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = requestId });
            await Assertions.Expect(row).ToContainTextAsync("llmtr/demo");
            await Assertions.Expect(row).ToContainTextAsync("Playground");
            await Assertions.Expect(row.GetByTestId("request-cost")).ToHaveTextAsync(new Regex("^\\d+\\.\\d{2,6} USD$"));

            await row.GetByRole(AriaRole.Link, new() { Name = requestId }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("request-detail")).ToContainTextAsync(requestId);
            await Assertions.Expect(page.GetByTestId("detail-cost")).ToHaveTextAsync(new Regex(" USD$"));

            // Revoking the key stops it at once.
            await page.GotoAsync("/dashboard/keys");
            await Assertions.Expect(page.GetByTestId("create-key")).ToBeEnabledAsync(); // interactive now
            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke key journey" }).ClickAsync();
            var question = page.GetByRole(AriaRole.Dialog, new() { Name = "Revoke this key?" });
            await Assertions.Expect(question).ToContainTextAsync("Key journey stops working at once");
            await question.GetByRole(AriaRole.Button, new() { Name = "Revoke the key" }).ClickAsync();
            await Assertions.Expect(question).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("keys-list")).ToContainTextAsync("Revoked");
            using var api = new HttpClient { BaseAddress = site.BaseAddress };
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", rawKey);
            await Poll.UntilAsync(async () => (await api.GetAsync(new Uri("/v1/models", UriKind.Relative))).StatusCode == System.Net.HttpStatusCode.Unauthorized,
                "the revoked key to be refused");
            await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        });
    }

    [Fact]
    public async Task LetTheAdminChangeAPriceThatThePublicModelPageShows()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "admin-price", async () =>
        {
            await Visitors.SignInAsync(page, SiteFixture.AdminEmail, SiteFixture.AdminPassword);
            await page.GotoAsync("/admin/catalog/models/openai/gpt-4o");
            await Assertions.Expect(page.GetByTestId("add-price")).ToBeEnabledAsync(); // interactive now
            var amount = page.GetByLabel("Amount");
            await amount.FillAsync("7.77");
            await page.GetByLabel("Effective from (UTC)").FillAsync(DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            await page.GetByRole(AriaRole.Button, new() { Name = "Add price" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Price added.")).ToBeVisibleAsync();

            // Every host's catalog reloads on the change notification: the public page follows within moments.
            await Poll.UntilAsync(async () =>
            {
                await page.GotoAsync("/models/openai/gpt-4o");
                return (await page.Locator("table.llmtr-prices").InnerTextAsync()).Contains("7.77 USD", StringComparison.Ordinal);
            }, "the new price on the public model page", TimeSpan.FromSeconds(20));

            // The change is in the audit log, with who made it.
            await page.GotoAsync("/admin/audit");
            var entry = page.GetByTestId("admin-audit").Locator("tr", new() { HasText = "model:openai/gpt-4o" }).Filter(new() { HasText = "7.77" });
            await Assertions.Expect(entry.First).ToContainTextAsync("Price set");
            await Assertions.Expect(entry.First).ToContainTextAsync(SiteFixture.AdminEmail);
        });
    }

    [Fact]
    public async Task KeepADeveloperOutOfTheAdminConsole()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "developer-admin", async () =>
        {
            await Visitors.RegisterAsync(page, $"nosy-{Guid.NewGuid():N}@llmtr.test");
            foreach (var address in AdminPages)
            {
                await page.GotoAsync(address);
                // The server refuses with the access-denied page; a page reached by in-app navigation says "No access".
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(new Regex("^(Access denied|No access)$"));
                await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Catalog");
            }

            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToHaveCountAsync(0);
        });
    }

    [GeneratedRegex("^llmtr-[A-Za-z0-9_-]{43}$")]
    private static partial Regex RawKey();

    [GeneratedRegex("req_[0-9a-f]{32}")]
    private static partial Regex RequestId();
}
