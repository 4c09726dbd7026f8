using System.Net;
using LlmTr.Identity;
using LlmTr.IntegrationTests.Accounts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Catalog;

public sealed class CatalogConsoleShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private const string Password = "Correct-Horse-42";

    public static TheoryData<string> ConsolePages =>
    [
        "/admin/catalog",
        "/admin/catalog/providers",
        "/admin/catalog/history",
        "/admin/catalog/models/new",
        "/admin/catalog/models/openai/gpt-4o",
    ];

    [Theory]
    [MemberData(nameof(ConsolePages))]
    public async Task SendAnonymousVisitorsToSignIn(string page)
    {
        using var anonymous = new FormClient(fixture.Host);

        var response = await anonymous.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ConsolePages))]
    public async Task RefuseDevelopers(string page)
    {
        using var developer = await SignedInAsync(isAdmin: false);

        var html = await (await developer.GetAsync(page)).Content.ReadAsStringAsync();

        Assert.DoesNotContain("data-testid=\"admin-models\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"admin-providers\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"catalog-history\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Upstream model name", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowAdminsTheModelsAndTheChangeHistory()
    {
        await fixture.Host.Services.GetRequiredService<ICatalogAdministration>().SetPriceAsync(
            new PriceInput("deepseek/deepseek-v4-flash", "OutputTokensPerMillion", 1.2m, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)),
            "history-check@llmtr.test");
        using var admin = await SignedInAsync(isAdmin: true);

        var catalog = await (await admin.GetAsync("/admin/catalog")).Content.ReadAsStringAsync();
        var history = await (await admin.GetAsync("/admin/catalog/history")).Content.ReadAsStringAsync();
        var editor = await (await admin.GetAsync("/admin/catalog/models/openai/gpt-4o")).Content.ReadAsStringAsync();

        Assert.Contains("data-testid=\"admin-models\"", catalog, StringComparison.Ordinal);
        Assert.Contains("anthropic/claude-sonnet-4.5", catalog, StringComparison.Ordinal);
        Assert.Contains("history-check@llmtr.test", history, StringComparison.Ordinal);
        Assert.Contains("model:deepseek/deepseek-v4-flash", history, StringComparison.Ordinal);
        Assert.Contains("GPT-4o", editor, StringComparison.Ordinal);
        Assert.Contains("Upstream model name", editor, StringComparison.Ordinal);
    }

    private async Task<FormClient> SignedInAsync(bool isAdmin)
    {
        var email = HostFixture.NewEmail();
        await using (var scope = fixture.Host.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<AccountProvisioning>().CreateAsync(email, Password, isAdmin)).Succeeded);
        }

        var browser = new FormClient(fixture.Host);
        var signedIn = await browser.SubmitAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }
}
