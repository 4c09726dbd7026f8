using LlmTr.Identity;
using LlmTr.Modules.Keys.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Testing;

/// <summary>Users and API keys made through the product's own services, for tests that need a caller.</summary>
public static class TestAccounts
{
    public const string Password = "Correct-Horse-42";

    public static async Task<string> CreateUserAsync(LlmTrHostFactory host, bool isAdmin = false)
    {
        var email = $"user-{Guid.NewGuid():N}@llmtr.test";
        await using var scope = host.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<AccountProvisioning>().CreateAsync(email, Password, isAdmin);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>();
        return (await users.FindByEmailAsync(email))!.Id;
    }

    /// <summary>A new user signed in through the login form, with a client that keeps the session cookie.</summary>
    public static async Task<(string UserId, FormClient Browser)> SignInAsync(LlmTrHostFactory host, bool isAdmin = false)
    {
        var userId = await CreateUserAsync(host, isAdmin);
        await using var scope = host.Services.CreateAsyncScope();
        var email = (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ApplicationUser>>().FindByIdAsync(userId))!.Email!;
        var browser = new FormClient(host);
        var signedIn = await browser.SubmitAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        });
        if (signedIn.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            browser.Dispose();
            throw new InvalidOperationException($"Signing in answered {signedIn.StatusCode}.");
        }

        return (userId, browser);
    }

    public static async Task<(string UserId, CreatedApiKey Key)> CreateKeyAsync(LlmTrHostFactory host, NewApiKey? request = null)
    {
        var userId = await CreateUserAsync(host);
        var result = await host.Services.GetRequiredService<IApiKeys>().CreateAsync(userId, request ?? new NewApiKey("test key"));
        var key = result.Key ?? throw new InvalidOperationException(string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        var authenticator = host.Services.GetRequiredService<IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(key.RawKey).Identity is not null), "the new key to reach the key directory");
        return (userId, key);
    }
}
