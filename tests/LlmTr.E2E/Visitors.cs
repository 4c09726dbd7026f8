using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>How a journey becomes a signed-in developer or admin.</summary>
internal static partial class Visitors
{
    public const string Password = "Correct-Horse-42";

    /// <summary>
    /// Signs up through the register page, follows the confirmation link the site mailed (read from the dev mailbox),
    /// and signs in: the developer a journey needs can create keys and top up.
    /// </summary>
    public static async Task RegisterAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/register");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Confirm password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        // Registering leads to the sign-in page whether or not the address had an account, so it tells no one which.
        await page.WaitForURLAsync(Login(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GotoAsync(await MailedLinkAsync(page, email, "/account/confirm-email"));
        await Assertions.Expect(page.GetByText("your e-mail address is confirmed")).ToBeVisibleAsync();
        await SignInAsync(page, email, Password);
    }

    /// <summary>
    /// The link to <paramref name="path"/> in the newest mail to <paramref name="email"/>, as the demo admin finds it in
    /// the dev mailbox (in a browser context of its own, so the visitor's session is untouched). Mail is sent after
    /// the page answered, so the mailbox is read again until the mail is there or the deadline passes.
    /// </summary>
    public static Task<string> MailedLinkAsync(IPage page, string email, string path) =>
        MailedHrefAsync(page, email, $"a[href*='{path}?']", path);

    /// <summary>The link of the newest organisation invitation mailed to <paramref name="email"/> (its token is in the path).</summary>
    public static Task<string> MailedInvitationAsync(IPage page, string email) =>
        MailedHrefAsync(page, email, "a[href*='/organisations/invitations/']", "/organisations/invitations/");

    private static async Task<string> MailedHrefAsync(IPage page, string email, string selector, string path)
    {
        var origin = new Uri(page.Url).GetLeftPart(UriPartial.Authority);
        var context = await page.Context.Browser!.NewContextAsync(new() { BaseURL = origin, Locale = "en-US" });
        try
        {
            var admin = await context.NewPageAsync();
            await SignInAsync(admin, SiteFixture.AdminEmail, SiteFixture.AdminPassword);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                await admin.GotoAsync("/admin/dev-mailbox");
                var links = admin.GetByTestId("dev-mail").Filter(new() { HasText = email }).Locator(selector);
                if (await links.CountAsync() > 0)
                {
                    return (await links.First.GetAttributeAsync("href"))!;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"No mail to {email} with a link to {path} reached the dev mailbox.");
                }

                await Task.Delay(100);
            }
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(Dashboard(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    /// <summary>
    /// Waits until the browser shows the page at <paramref name="url"/> whose main heading is <paramref name="heading"/>.
    /// Blazor's enhanced navigation moves the address bar before it swaps the page in, so the address alone does not
    /// tell the old page from the new: a field filled in between lands on the page being left.
    /// </summary>
    public static async Task ArriveAsync(IPage page, Regex url, string heading)
    {
        await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(heading);
    }

    /// <summary>
    /// Waits for an interactive page's circuit. Until it is up the page is its prerendered copy, and when it comes up
    /// it renders the address it started with: a link followed before that is undone.
    /// </summary>
    public static Task InteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("main[data-interactive=true]")).ToBeAttachedAsync();

    [GeneratedRegex("/dashboard$")]
    private static partial Regex Dashboard();

    [GeneratedRegex("/account/login$")]
    private static partial Regex Login();
}
