using System.Net;
using LlmTr.Identity;
using LlmTr.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Accounts;

/// <summary>Issue 18, finding 8: neither the register page nor the sign-in page tells who has an account.</summary>
public sealed class AccountEnumerationShould : IAsyncLifetime
{
    private const string Password = TestAccounts.Password;

    private readonly CountingPasswordHasher _hasher = new();
    private LlmTrHostFactory _host = null!;

    // Issue 18, finding 8: signing in as an unknown e-mail used to skip the password hash, answering about ten times faster.
    // The test checks the mechanism (the same hashing work either way), not a timing, so a loaded machine cannot make it flaky.
    [Fact]
    public async Task VerifyAPasswordHashForAnUnknownEmailAsForAKnownOne()
    {
        var known = await BillingEmailAsync(await TestAccounts.CreateUserAsync(_host));

        var forKnown = await VerificationsDuringAsync(() => SignInAsync(known, "Wrong-Password-1"));
        var forUnknown = await VerificationsDuringAsync(() => SignInAsync(HostFixture.NewEmail(), "Wrong-Password-1"));

        Assert.Equal(1, forKnown);
        Assert.Equal(forKnown, forUnknown);
    }

    // Issue 18, finding 8: registering an existing e-mail used to answer "already taken" on the spot.
    [Fact]
    public async Task AnswerARegistrationOfAnExistingEmailExactlyAsOneOfANewEmail()
    {
        var taken = HostFixture.NewEmail();
        using (var first = new FormClient(_host))
        {
            await RegisterAsync(first, taken, Password);
        }

        using var newcomer = new FormClient(_host);
        using var again = new FormClient(_host);
        var forNew = await RegisterAsync(newcomer, HostFixture.NewEmail(), Password);
        var forTaken = await RegisterAsync(again, taken, "Another-Horse-43");

        Assert.Equal(HttpStatusCode.Redirect, forNew.StatusCode);
        Assert.Equal((forNew.StatusCode, FormClient.LocationOf(forNew)), (forTaken.StatusCode, FormClient.LocationOf(forTaken)));
        Assert.Equal(CookieNames(forNew), CookieNames(forTaken));
        var shownToNew = StatusOf(await (await newcomer.GetAsync(FormClient.LocationOf(forNew)!)).Content.ReadAsStringAsync());
        var shownToTaken = StatusOf(await (await again.GetAsync(FormClient.LocationOf(forTaken)!)).Content.ReadAsStringAsync());
        Assert.NotNull(shownToNew);
        Assert.Equal(shownToNew, shownToTaken);

        // The existing account is untouched: still one, with its own password.
        await using var scope = _host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var owner = await users.FindByEmailAsync(taken);
        Assert.True(await users.CheckPasswordAsync(owner!, Password));
        Assert.False(await users.CheckPasswordAsync(owner!, "Another-Horse-43"));
    }

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        _host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), services: services =>
            services.AddScoped<IPasswordHasher<ApplicationUser>>(_ => _hasher));
        _ = _host.Services;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<int> VerificationsDuringAsync(Func<Task> action)
    {
        var before = _hasher.Verifications;
        await action();
        return _hasher.Verifications - before;
    }

    private async Task SignInAsync(string email, string password)
    {
        using var browser = new FormClient(_host);
        var response = await browser.SubmitAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // refused, the form shown again
    }

    private Task<string> BillingEmailAsync(string userId) => Billing.BillingTesting.EmailOfAsync(_host, userId);

    private static Task<HttpResponseMessage> RegisterAsync(FormClient browser, string email, string password) =>
        browser.SubmitAsync("/account/register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    private static string[] CookieNames(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Select(c => c[..c.IndexOf('=', StringComparison.Ordinal)]).Order(StringComparer.Ordinal).ToArray() : [];

    /// <summary>The status message a page shows after a redirect (the only part of it that could differ).</summary>
    private static string? StatusOf(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "class=\"llmtr-status\".*?mud-alert-message[^>]*>(.*?)</div>", System.Text.RegularExpressions.RegexOptions.Singleline) is { Success: true } match
            ? match.Groups[1].Value
            : null;

    /// <summary>The product's own hasher, counting how often a password is checked against a hash.</summary>
    private sealed class CountingPasswordHasher : IPasswordHasher<ApplicationUser>
    {
        private readonly PasswordHasher<ApplicationUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(ApplicationUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
