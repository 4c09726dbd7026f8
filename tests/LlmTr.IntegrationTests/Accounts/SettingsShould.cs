using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LlmTr.Identity;
using LlmTr.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Accounts;

public sealed partial class SettingsShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task TurnOnTwoFactorSignInAndThenAskForTheAppsCode()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = browser;
        var setup = await (await browser.GetAsync("/account/manage/two-factor")).Content.ReadAsStringAsync();
        var key = AuthenticatorKey().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        Assert.NotEmpty(key);
        Assert.Contains("src=\"data:image/svg", setup, StringComparison.Ordinal); // the QR code, drawn on the server

        var wrong = await browser.SubmitAsync("/account/manage/two-factor", "two-factor-enable", new Dictionary<string, string> { ["Enable.Code"] = "000000" == Totp(key) ? "111111" : "000000" });
        Assert.Contains("That code is not right.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var enabled = await browser.SubmitAsync("/account/manage/two-factor", "two-factor-enable", new Dictionary<string, string> { ["Enable.Code"] = Totp(key) });

        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var page = await enabled.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"recovery-codes\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(key.ToLowerInvariant(), page.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal); // the key is gone once set up
        var email = await EmailOfAsync(userId);

        using var again = new FormClient(fixture.Host);
        var password = await SignInAsync(again, email);
        var challenge = FormClient.LocationOf(password)!;
        Assert.StartsWith("/account/login-with-2fa", challenge, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await again.GetAsync("/dashboard")).StatusCode); // the password alone does not sign in
        var refused = await again.SubmitAsync(challenge, "login-2fa", new Dictionary<string, string> { ["Input.Code"] = "12345" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var signedIn = await again.SubmitAsync(challenge, "login-2fa", new Dictionary<string, string> { ["Input.Code"] = Totp(key) });

        Assert.Equal("/dashboard", FormClient.LocationOf(signedIn));
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task RememberLanguageAndThemeOnTheAccountAndApplyThemAtTheNextSignIn()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = browser;

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/ui/culture?culture=tr&returnUrl=%2Faccount%2Fmanage")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/ui/theme?mode=dark&returnUrl=%2Faccount%2Fmanage")).StatusCode);
        Assert.Contains("Ayarlar", await (await browser.GetAsync("/account/manage")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var elsewhere = new FormClient(fixture.Host); // another browser, without the cookies
        var signedIn = await SignInAsync(elsewhere, await EmailOfAsync(userId));

        var cookies = signedIn.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Culture=c%3Dtr", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith("llmtr.theme=dark", StringComparison.Ordinal));
        var settings = await (await elsewhere.GetAsync("/dashboard/settings")).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"tr\"", settings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeaveAnAnonymousVisitorsChoiceInTheCookieOnly()
    {
        using var visitor = new FormClient(fixture.Host);

        var chosen = await visitor.GetAsync("/ui/culture?culture=tr&returnUrl=%2F");

        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Contains(chosen.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
    }

    /// <summary>RFC 6238 with RFC 4226's truncation: HMAC-SHA1 over the 30-second step, six digits.</summary>
    private static string Totp(string base32Key)
    {
        var counter = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var message = BitConverter.GetBytes(counter);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(message);
        }

#pragma warning disable CA5350 // RFC 6238 authenticator codes are HMAC-SHA1 by definition: this is what the apps compute
        var hash = HMACSHA1.HashData(Base32(base32Key), message);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var bytes = new List<byte>();
        foreach (var c in text.ToUpperInvariant().TrimEnd('='))
        {
            value = (value << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }

    private async Task<string> EmailOfAsync(string userId)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId))!.Email!;
    }

    private static Task<HttpResponseMessage> SignInAsync(FormClient browser, string email) =>
        browser.SubmitAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = TestAccounts.Password,
        });

    [GeneratedRegex("data-testid=\"authenticator-key\">([a-z0-9 ]+)<")]
    private static partial Regex AuthenticatorKey();
}
