using System.Net;
using System.Text.Json;
using LlmTr.IntegrationTests.Catalog;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Keys;

public sealed class KeysApiShould(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private IApiKeys Keys => fixture.Host.Services.GetRequiredService<IApiKeys>();

    [Fact]
    public async Task ShowASignedInUserTheirOwnKeyWithoutItsRawValue()
    {
        var (owner, browser) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = browser;
        var key = (await Keys.CreateAsync(owner, new NewApiKey("ci", AllowedModels: ["llmtr/*"], TurkeyOnly: true, MonthlySpendLimit: 20m))).Key!;

        using var response = await browser.GetAsync($"/api/keys/{key.Id}");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(text);
        Assert.Equal("ci", body.RootElement.GetProperty("name").GetString());
        Assert.Equal("active", body.RootElement.GetProperty("state").GetString());
        Assert.Equal(key.Preview, body.RootElement.GetProperty("preview").GetString());
        Assert.True(body.RootElement.GetProperty("turkeyOnly").GetBoolean());
        Assert.DoesNotContain(key.RawKey["llmtr-".Length..], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswerAnotherUsersKeyIdWith404AndLeaveTheKeyAlone()
    {
        var (_, key) = await TestAccounts.CreateKeyAsync(fixture.Host);
        var (_, stranger) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = stranger;

        using var read = await stranger.GetAsync($"/api/keys/{key.Id}");
        using var revoke = await stranger.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/keys/{key.Id}"));
        using var unknown = await stranger.GetAsync($"/api/keys/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var client = fixture.Host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ApiKeysShould.SendAsync(client, key.RawKey)).StatusCode);
    }

    [Fact]
    public async Task RevokeTheUsersOwnKey()
    {
        var (owner, browser) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = browser;
        var key = (await Keys.CreateAsync(owner, new NewApiKey("old"))).Key!;

        using var revoke = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/keys/{key.Id}"));

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(ApiKeyState.Revoked, (await Keys.FindAsync(owner, key.Id))!.StateAt(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task AnswerAnAnonymousCallerWith401NotARedirect()
    {
        using var anonymous = new FormClient(fixture.Host);

        using var response = await anonymous.GetAsync("/api/keys");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task LetAnAdminRevokeAnyKeyAndRecordWhoDidIt()
    {
        var (owner, key) = await TestAccounts.CreateKeyAsync(fixture.Host);
        var admin = await TestAccounts.CreateUserAsync(fixture.Host, isAdmin: true);
        var administration = fixture.Host.Services.GetRequiredService<IApiKeyAdministration>();

        var listed = await administration.ListAsync([owner], 10);
        Assert.True(await administration.RevokeAsync(key.Id, admin));

        Assert.Equal(key.Id, Assert.Single(listed).Key.Id);
        Assert.Equal(admin, Assert.Single(await administration.ListAsync([owner], 10)).RevokedBy);
        Assert.False(await administration.RevokeAsync(Guid.NewGuid(), admin));
        using var client = fixture.Host.CreateClient();
        await Poll.UntilAsync(async () => (await ApiKeysShould.SendAsync(client, key.RawKey)).StatusCode == HttpStatusCode.Unauthorized, "the admin's revocation to take effect");
    }

    [Fact]
    public async Task ShowAdminsEveryKeysPreviewButNoRawKeyAndKeepDevelopersOut()
    {
        var (_, key) = await TestAccounts.CreateKeyAsync(fixture.Host, new NewApiKey("seen-by-admin"));
        var (_, admin) = await TestAccounts.SignInAsync(fixture.Host, isAdmin: true);
        var (_, developer) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = admin;
        using var __ = developer;

        using var page = await admin.GetAsync("/admin/keys");
        using var refused = await developer.GetAsync("/admin/keys");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("seen-by-admin", html, StringComparison.Ordinal);
        Assert.Contains(key.Preview, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.DoesNotContain(key.RawKey["llmtr-".Length..], html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/access-denied", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
