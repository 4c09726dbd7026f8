using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>How a journey becomes a signed-in developer or admin.</summary>
internal static partial class Visitors
{
    public const string Password = "Correct-Horse-42";

    public static async Task RegisterAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/register");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Confirm password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        // Registering leads to the sign-in page whether or not the address had an account, so it tells no one which.
        await page.WaitForURLAsync(Login(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await SignInAsync(page, email, Password);
    }

    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(Dashboard(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    [GeneratedRegex("/dashboard$")]
    private static partial Regex Dashboard();

    [GeneratedRegex("/account/login$")]
    private static partial Regex Login();
}
