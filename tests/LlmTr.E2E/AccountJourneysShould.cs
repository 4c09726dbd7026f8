using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>Account recovery and sign-up confirmation in Chromium, with the mail read from the dev mailbox as on a fresh machine.</summary>
public sealed partial class AccountJourneysShould(SiteFixture site) : IClassFixture<SiteFixture>
{
    private const string NewPassword = "Fresh-Journey-Pass-8";

    [Fact]
    public async Task ResetAForgottenPasswordThroughTheDevMailbox()
    {
        var page = await site.NewPageAsync();
        var email = $"reset-{Guid.NewGuid():N}@llmtr.test";
        await SiteFixture.JourneyAsync(page, "account-reset", async () =>
        {
            await Visitors.RegisterAsync(page, email);
            await page.GotoAsync("/");
            await page.Context.ClearCookiesAsync();

            await page.GotoAsync("/account/login");
            await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
            await Visitors.ArriveAsync(page, ForgotPage(), "Reset your password");
            await page.GetByLabel("E-mail").FillAsync(email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
            await Assertions.Expect(page.GetByText("If an account uses that address")).ToBeVisibleAsync();

            var link = await Visitors.MailedLinkAsync(page, email, "/account/reset-password");
            await page.GotoAsync(link);
            await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
            await page.GetByLabel("Confirm new password").FillAsync(NewPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Set the new password" }).ClickAsync();
            await page.WaitForURLAsync(LoginPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(page.GetByText("Your password has been changed")).ToBeVisibleAsync();

            await Visitors.SignInAsync(page, email, NewPassword);

            // The link has done its work: opened again, it no longer sets a password.
            await page.GotoAsync(link);
            await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Another-Journey-Pass-9");
            await page.GetByLabel("Confirm new password").FillAsync("Another-Journey-Pass-9");
            await page.GetByRole(AriaRole.Button, new() { Name = "Set the new password" }).ClickAsync();
            await Assertions.Expect(page.GetByText("This link does not work")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task ConfirmASignUpBeforeItsFirstKey()
    {
        var page = await site.NewPageAsync();
        var email = $"confirm-{Guid.NewGuid():N}@llmtr.test";
        await SiteFixture.JourneyAsync(page, "account-confirm", async () =>
        {
            await page.GotoAsync("/account/register");
            await page.GetByLabel("E-mail").FillAsync(email);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Visitors.Password);
            await page.GetByLabel("Confirm password").FillAsync(Visitors.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await page.WaitForURLAsync(LoginPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Visitors.SignInAsync(page, email, Visitors.Password);

            // Unconfirmed: the keys page says why no key can be made, and offers a new link.
            await page.GotoAsync("/dashboard/keys");
            await Assertions.Expect(page.GetByTestId("email-unconfirmed")).ToContainTextAsync("Confirm your e-mail address to create API keys");
            await Assertions.Expect(page.GetByTestId("resend-confirmation")).ToBeEnabledAsync(); // interactive now
            await Assertions.Expect(page.GetByTestId("create-key")).ToBeDisabledAsync();
            await page.GetByTestId("resend-confirmation").ClickAsync();
            await Assertions.Expect(page.GetByTestId("confirmation-resent")).ToBeVisibleAsync();

            await page.GotoAsync(await Visitors.MailedLinkAsync(page, email, "/account/confirm-email"));
            await Assertions.Expect(page.GetByText("your e-mail address is confirmed")).ToBeVisibleAsync();

            await page.GotoAsync("/dashboard/keys");
            await Assertions.Expect(page.GetByTestId("create-key")).ToBeEnabledAsync();
            await Assertions.Expect(page.GetByTestId("email-unconfirmed")).ToHaveCountAsync(0);
            await page.GetByLabel("Name").FillAsync("confirmed");
            await page.GetByTestId("create-key").ClickAsync();
            await Assertions.Expect(page.GetByTestId("close-reveal")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task ChangeTheEmailThroughTheDevMailboxAndThenDeleteTheAccount()
    {
        var page = await site.NewPageAsync();
        var email = $"change-{Guid.NewGuid():N}@llmtr.test";
        var newEmail = $"changed-{Guid.NewGuid():N}@llmtr.test";
        await SiteFixture.JourneyAsync(page, "account-change-delete", async () =>
        {
            await Visitors.RegisterAsync(page, email);

            await page.GotoAsync("/account/manage");
            await page.GetByTestId("settings-change-email").ClickAsync();
            await page.WaitForURLAsync(ChangeEmailPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false);
            await page.GetByLabel("New e-mail address").FillAsync(newEmail);
            await page.GetByLabel("Current password").FillAsync(Visitors.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Check the new address")).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false);

            await page.GotoAsync(await Visitors.MailedLinkAsync(page, newEmail, "/account/confirm-email-change"));
            await Assertions.Expect(page.GetByTestId("email-change-done")).ToContainTextAsync(newEmail);
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false);
            await page.GotoAsync("/account/manage");
            await Assertions.Expect(page.GetByTestId("settings-email")).ToHaveTextAsync(newEmail);

            await page.GetByTestId("settings-delete-account").ClickAsync();
            await page.WaitForURLAsync(DeletePage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false);
            await page.GetByLabel("Current password").FillAsync(Visitors.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Tick the box to confirm")).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false); // with its field messages showing
            await page.GetByLabel("Current password").FillAsync(Visitors.Password);
            await page.GetByLabel("I understand that my account will be deleted for good.").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account" }).ClickAsync();

            await page.WaitForURLAsync(DeletedPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(page.GetByTestId("account-deleted")).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false);

            // Signed out, and the account cannot sign in again.
            await page.GotoAsync("/account/login");
            await page.GetByLabel("E-mail").FillAsync(newEmail);
            await page.GetByLabel("Password").FillAsync(Visitors.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
            await Assertions.Expect(page).ToHaveURLAsync(LoginPage());
        });
    }

    [Theory]
    [InlineData("/account/forgot-password")]
    [InlineData("/account/reset-password?userId=x&code=eA")]
    [InlineData("/account/confirm-email?userId=x&code=eA")]
    [InlineData("/account/disabled")]
    [InlineData("/account/confirm-email-change?userId=x&email=a%40b.test&code=eA")]
    public async Task FindNothingSeriousOnTheAccountPages(string address)
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "axe-account", async () =>
        {
            await page.GotoAsync(address);
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false);
        });
    }

    [Fact]
    public async Task FindNothingSeriousInTheDevMailbox()
    {
        var page = await site.NewPageAsync();
        await SiteFixture.JourneyAsync(page, "axe-dev-mailbox", async () =>
        {
            await page.GotoAsync("/account/forgot-password");
            await page.GetByLabel("E-mail").FillAsync(SiteFixture.AdminEmail);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
            await Assertions.Expect(page.GetByText("If an account uses that address")).ToBeVisibleAsync();
            await Visitors.SignInAsync(page, SiteFixture.AdminEmail, SiteFixture.AdminPassword);

            await page.GotoAsync("/admin/dev-mailbox");
            await Assertions.Expect(page.GetByTestId("dev-mail").First).ToBeVisibleAsync();
            await Accessibility.AssertNoSeriousViolationsAsync(page, interactive: false);
        });
    }

    [GeneratedRegex("/account/forgot-password$")]
    private static partial Regex ForgotPage();

    [GeneratedRegex("/account/login$")]
    private static partial Regex LoginPage();

    [GeneratedRegex("/account/manage/email$")]
    private static partial Regex ChangeEmailPage();

    [GeneratedRegex("/account/manage/delete$")]
    private static partial Regex DeletePage();

    [GeneratedRegex("/account/deleted$")]
    private static partial Regex DeletedPage();
}
