using System.Net;
using LlmTr.Identity;
using LlmTr.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Accounts;

/// <summary>
/// Mailed links stop working after <c>Identity:TokenLifetime</c>. The setting cannot be set below five minutes, and
/// Identity's token provider reads the system clock rather than a <see cref="TimeProvider"/>, so this host shortens the
/// option the setting feeds (the same one) to two seconds, and the test polls until the token has lapsed.
/// </summary>
public sealed class LinkLifetimeShould : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    private LlmTrHostFactory host = null!;

    public async Task InitializeAsync()
    {
        host = new LlmTrHostFactory(
            await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync(),
            services: services => services.PostConfigure<DataProtectionTokenProviderOptions>(tokens => tokens.TokenLifespan = Lifetime));
        _ = host.Services;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task RefuseAResetLinkOnceItsLifetimeHasPassed()
    {
        var userId = await TestAccounts.CreateUserAsync(host);
        var email = await MailedLinks.EmailOfAsync(host, userId);
        using var browser = new FormClient(host);
        await browser.SubmitAsync("/account/forgot-password", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = email });
        var link = await MailedLinks.LinkAsync(host, email, "/account/reset-password");

        await UntilLapsedAsync(userId, UserManager<ApplicationUser>.ResetPasswordTokenPurpose, link);
        var reset = await browser.SubmitAsync(link, "reset-password", new Dictionary<string, string>
        {
            ["Input.Password"] = "Brand-New-Horse-77",
            ["Input.ConfirmPassword"] = "Brand-New-Horse-77",
        });

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("This link does not work", await reset.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await MailedLinks.SignsInAsync(host, email, TestAccounts.Password));
    }

    [Fact]
    public async Task RefuseAnEmailChangeLinkOnceItsLifetimeHasPassed()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(host);
        using var _ = browser;
        var email = await MailedLinks.EmailOfAsync(host, userId);
        var wanted = HostFixture.NewEmail();
        await browser.SubmitAsync("/account/manage/email", "change-email", new Dictionary<string, string>
        {
            ["Input.NewEmail"] = wanted,
            ["Input.CurrentPassword"] = TestAccounts.Password,
        });
        var link = await MailedLinks.LinkAsync(host, wanted, "/account/confirm-email-change");

        await UntilLapsedAsync(userId, UserManager<ApplicationUser>.GetChangeEmailTokenPurpose(wanted), link);
        var opened = await browser.GetAsync(link);

        Assert.Contains("This link does not work", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(email, await MailedLinks.EmailOfAsync(host, userId));
    }

    /// <summary>Waits, checking without using it, until the link's token no longer validates; fails if it never worked.</summary>
    private async Task UntilLapsedAsync(string userId, string purpose, string link)
    {
        var code = System.Web.HttpUtility.ParseQueryString(new Uri(new Uri("http://localhost"), link).Query)["code"]!;
        var token = System.Text.Encoding.UTF8.GetString(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(code));
        Assert.True(await ValidAsync(userId, purpose, token), "The link did not work even before its lifetime passed.");
        await Poll.UntilAsync(async () => !await ValidAsync(userId, purpose, token), "the link's token to lapse", Lifetime * 10);
    }

    private async Task<bool> ValidAsync(string userId, string purpose, string token)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.VerifyUserTokenAsync((await users.FindByIdAsync(userId))!, TokenOptions.DefaultProvider, purpose, token);
    }
}
