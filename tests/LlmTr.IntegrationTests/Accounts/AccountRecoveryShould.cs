using System.Net;
using System.Text.RegularExpressions;
using LlmTr.Identity;
using LlmTr.Identity.Mail;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Accounts;

/// <summary>
/// Password reset and e-mail confirmation through the links the site mails (here into the dev mailbox, as on a fresh
/// machine): the same answer for unknown addresses, links that work once, and keys and top-ups held until confirmation.
/// </summary>
public sealed partial class AccountRecoveryShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string NewPassword = "Brand-New-Horse-77";

    [Fact]
    public async Task ResetThePasswordOnceThroughTheMailedLink()
    {
        var userId = await TestAccounts.CreateUserAsync(fixture.Host);
        var email = await EmailOfAsync(userId);
        using var browser = new FormClient(fixture.Host);

        var asked = await browser.SubmitAsync("/account/forgot-password", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = email });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var link = await MailedLinkAsync(email, "/account/reset-password");

        var reset = await browser.SubmitAsync(link, "reset-password", new Dictionary<string, string>
        {
            ["Input.Password"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal("/account/login", FormClient.LocationOf(reset));
        Assert.False(await PasswordWorksAsync(userId, TestAccounts.Password));
        Assert.True(await PasswordWorksAsync(userId, NewPassword));

        // The reset renewed the account's security stamp: the same link cannot set a password again.
        var again = await browser.SubmitAsync(link, "reset-password", new Dictionary<string, string>
        {
            ["Input.Password"] = "Third-Horse-Password-9",
            ["Input.ConfirmPassword"] = "Third-Horse-Password-9",
        });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("This link does not work", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await PasswordWorksAsync(userId, NewPassword));
    }

    [Fact]
    public async Task AnswerAnUnknownAddressAsAKnownOneAndMailNobody()
    {
        var known = await EmailOfAsync(await TestAccounts.CreateUserAsync(fixture.Host));
        var unknown = HostFixture.NewEmail();
        using var browser = new FormClient(fixture.Host);

        var forKnown = await browser.SubmitAsync("/account/forgot-password", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = known });
        var forUnknown = await browser.SubmitAsync("/account/forgot-password", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = unknown });

        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(Visible(await forKnown.Content.ReadAsStringAsync()), Visible(await forUnknown.Content.ReadAsStringAsync()));
        await MailedLinkAsync(known, "/account/reset-password");
        Assert.DoesNotContain(Mailbox.Mails, mail => mail.To == unknown);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-base64-$$$")]
    [InlineData("Q2ZESjhBTm90QVRva2Vu")]
    public async Task RefuseABadResetLinkWithoutChangingThePassword(string code)
    {
        var userId = await TestAccounts.CreateUserAsync(fixture.Host);
        using var browser = new FormClient(fixture.Host);

        var page = await browser.GetAsync($"/account/reset-password?userId={userId}&code={Uri.EscapeDataString(code)}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        if (code.Length > 0 && !code.Contains('$', StringComparison.Ordinal))
        {
            // A well-formed code that is not a token still gets a form; posting it changes nothing.
            var posted = await browser.SubmitAsync($"/account/reset-password?userId={userId}&code={code}", "reset-password", new Dictionary<string, string>
            {
                ["Input.Password"] = NewPassword,
                ["Input.ConfirmPassword"] = NewPassword,
            });
            html = await posted.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        Assert.Contains("This link does not work", html, StringComparison.Ordinal);
        Assert.True(await PasswordWorksAsync(userId, TestAccounts.Password));
    }

    [Fact]
    public async Task HoldKeysAndTopUpsOfASignUpUntilItsAddressIsConfirmed()
    {
        var email = HostFixture.NewEmail();
        using var browser = new FormClient(fixture.Host);
        var registered = await browser.SubmitAsync("/account/register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = TestAccounts.Password,
            ["Input.ConfirmPassword"] = TestAccounts.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var link = await MailedLinkAsync(email, "/account/confirm-email");
        var user = await UserAsync(email);
        Assert.False(user.EmailConfirmed);

        // Signed in but unconfirmed: the pages say so, and a top-up post records nothing.
        var signedIn = await browser.SubmitAsync("/account/login", "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("data-testid=\"email-unconfirmed\"", await (await browser.GetAsync("/dashboard/keys")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var topUp = await browser.PostFormAsync("/dashboard/billing", "/billing/top-ups", new Dictionary<string, string> { ["credit"] = "10" });
        Assert.Equal(HttpStatusCode.Redirect, topUp.StatusCode);
        Assert.Equal("/dashboard/billing?problem=unconfirmed", FormClient.LocationOf(topUp));
        Assert.Empty(await fixture.Host.Services.GetRequiredService<ITopUps>().ListAsync(user.Id));
        Assert.False(await fixture.Host.Services.GetRequiredService<IEmailConfirmationGate>().AllowsAsync(user.Id));

        var confirmed = await browser.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("your e-mail address is confirmed", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await UserAsync(email)).EmailConfirmed);
        Assert.True(await fixture.Host.Services.GetRequiredService<IEmailConfirmationGate>().AllowsAsync(user.Id));
        Assert.DoesNotContain("data-testid=\"email-unconfirmed\"", await (await browser.GetAsync("/dashboard/keys")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountAccountsMadeByAnOperatorAsConfirmed()
    {
        var userId = await TestAccounts.CreateUserAsync(fixture.Host); // the command line's and the demo seed's way

        Assert.True((await UserAsync(await EmailOfAsync(userId))).EmailConfirmed);
        Assert.True(await fixture.Host.Services.GetRequiredService<IEmailConfirmationGate>().AllowsAsync(userId));
    }

    private IDevMailbox Mailbox => fixture.Host.Services.GetRequiredService<IDevMailbox>();

    /// <summary>The path and query of the link in the newest mail to <paramref name="email"/> leading to <paramref name="path"/>.</summary>
    private async Task<string> MailedLinkAsync(string email, string path)
    {
        string? link = null;
        await Poll.UntilAsync(() =>
        {
            link = Mailbox.Mails.Where(mail => mail.To == email)
                .Select(mail => Links().Matches(mail.TextBody).Select(m => new Uri(m.Value)).FirstOrDefault(uri => uri.AbsolutePath == path))
                .FirstOrDefault(uri => uri is not null)?.PathAndQuery;
            return Task.FromResult(link is not null);
        }, $"a mail to {email} with a link to {path}");
        return link!;
    }

    private async Task<string> EmailOfAsync(string userId) => (await Users(scope => scope.FindByIdAsync(userId)))!.Email!;

    private async Task<ApplicationUser> UserAsync(string email) => (await Users(scope => scope.FindByEmailAsync(email)))!;

    private async Task<bool> PasswordWorksAsync(string userId, string password) =>
        await Users(async users => await users.CheckPasswordAsync((await users.FindByIdAsync(userId))!, password));

    private async Task<T> Users<T>(Func<UserManager<ApplicationUser>, Task<T>> query)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>());
    }

    /// <summary>The page's main content without its per-request antiforgery token and script nonces, which differ between any two answers.</summary>
    private static string Visible(string html)
    {
        var start = html.IndexOf("<main", StringComparison.Ordinal);
        var end = html.IndexOf("</main>", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "The page has no main element.");
        return Nonce().Replace(Token().Replace(html[start..end], ""), "");
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Links();

    [GeneratedRegex(@"name=""__RequestVerificationToken"" value=""[^""]*""")]
    private static partial Regex Token();

    [GeneratedRegex(@"nonce=""[^""]*""")]
    private static partial Regex Nonce();
}
