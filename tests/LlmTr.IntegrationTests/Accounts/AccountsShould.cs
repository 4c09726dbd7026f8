using System.Net;
using LlmTr.Identity;
using LlmTr.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Accounts;

public sealed class AccountsShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string Password = "Correct-Horse-42";

    [Fact]
    public async Task RegisterANewDeveloperAndShowTheirEmptyDashboard()
    {
        using var browser = new FormClient(fixture.Host);
        var email = HostFixture.NewEmail();

        var registered = await Register(browser, email, Password, Password);

        // Registering leads to the sign-in page whether or not the address was taken (issue 18, finding 8).
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal("/account/login", FormClient.LocationOf(registered));
        Assert.Equal(HttpStatusCode.Redirect, (await SignIn(browser, email, Password)).StatusCode);
        var dashboard = await browser.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        var html = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains(email, html, StringComparison.Ordinal);
        Assert.Contains("dashboard-empty-state", html, StringComparison.Ordinal);
        Assert.Equal([LlmTrRoles.Developer], await RolesOfAsync(email));
    }

    [Fact]
    public async Task SignInAndOutWithAServerSideSession()
    {
        var email = await RegisteredAccountAsync();

        using var browser = new FormClient(fixture.Host);
        var signedIn = await SignIn(browser, email, Password, returnUrl: "/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/dashboard", FormClient.LocationOf(signedIn));
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("llmtr.session=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard")).StatusCode);
        var sessions = await SessionsOfAsync(email);
        Assert.True(sessions >= 1);

        var signedOut = await browser.SignOutAsync();

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(sessions - 1, await SessionsOfAsync(email));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task RefuseAWrongPasswordAndLockTheAccountAfterFiveFailures()
    {
        var email = await RegisteredAccountAsync();

        using var browser = new FormClient(fixture.Host);
        var wrong = await SignIn(browser, email, "Wrong-Password-1");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var page = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("Invalid e-mail or password.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Password-1", page, StringComparison.Ordinal);

        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await SignIn(browser, email, "Wrong-Password-1");
        }

        var locked = await SignIn(browser, email, Password);
        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Equal("/account/lockout", FormClient.LocationOf(locked));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task ExplainInvalidRegistrationsPerFieldAndCreateNothing()
    {
        using var browser = new FormClient(fixture.Host);
        var email = HostFixture.NewEmail();

        var response = await Register(browser, email, "short", "different");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("validation-message", html, StringComparison.Ordinal);
        Assert.Contains("10", html, StringComparison.Ordinal);
        Assert.Null(await FindUserAsync(email));
    }

    [Fact]
    public async Task KeepOneAccountPerEmailWithoutSayingTheEmailIsTaken()
    {
        var email = await RegisteredAccountAsync();

        using var second = new FormClient(fixture.Host);
        var response = await Register(second, email, Password, Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", FormClient.LocationOf(response));
        Assert.Equal(1, await CountUsersAsync(email));
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/admin")]
    [InlineData("/admin/jobs")]
    [InlineData("/account/manage/change-password")]
    public async Task SendAnonymousVisitorsToSignIn(string page)
    {
        using var browser = new FormClient(fixture.Host);

        var response = await browser.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?ReturnUrl=" + Uri.EscapeDataString(page), FormClient.LocationOf(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepTheAdminConsoleAndJobsDashboardForAdmins()
    {
        var developerEmail = HostFixture.NewEmail();
        using var developer = new FormClient(fixture.Host);
        await Register(developer, developerEmail, Password, Password);
        await SignIn(developer, developerEmail, Password);

        var adminEmail = HostFixture.NewEmail();
        await using (var scope = fixture.Host.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<AccountProvisioning>().CreateAsync(adminEmail, Password, isAdmin: true)).Succeeded);
        }

        using var admin = new FormClient(fixture.Host);
        await SignIn(admin, adminEmail, Password);

        var developerJobs = await developer.GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.Redirect, developerJobs.StatusCode);
        Assert.StartsWith("/account/access-denied", FormClient.LocationOf(developerJobs), StringComparison.Ordinal);
        Assert.DoesNotContain("/admin/jobs", await (await developer.GetAsync("/admin")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/jobs")).StatusCode);
        Assert.Contains("/admin/jobs", await (await admin.GetAsync("/admin")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangeThePasswordOfASignedInUser()
    {
        using var browser = new FormClient(fixture.Host);
        var email = HostFixture.NewEmail();
        await Register(browser, email, Password, Password);
        await SignIn(browser, email, Password);

        var changed = await browser.SubmitAsync("/account/manage/change-password", "change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = Password,
            ["Input.NewPassword"] = "Another-Horse-43",
            ["Input.ConfirmPassword"] = "Another-Horse-43",
        });

        Assert.True(changed.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, changed.StatusCode.ToString());
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.True(await users.CheckPasswordAsync(user!, "Another-Horse-43"));
    }

    /// <summary>An account registered through the page, in a browser session of its own.</summary>
    private async Task<string> RegisteredAccountAsync()
    {
        var email = HostFixture.NewEmail();
        using var registration = new FormClient(fixture.Host);
        await Register(registration, email, Password, Password);
        return email;
    }

    private static Task<HttpResponseMessage> Register(FormClient browser, string email, string password, string confirm) =>
        browser.SubmitAsync("/account/register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = confirm,
        });

    private static Task<HttpResponseMessage> SignIn(FormClient browser, string email, string password, string? returnUrl = null) =>
        browser.SubmitAsync(returnUrl is null ? "/account/login" : $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    private async Task<ApplicationUser?> FindUserAsync(string email)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
    }

    private async Task<IList<string>> RolesOfAsync(string email)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetRolesAsync((await users.FindByEmailAsync(email))!);
    }

    private Task<long> SessionsOfAsync(string email) => Sql.CountAsync(fixture.Host.ConnectionString,
        "SELECT count(*) FROM identity.sessions s JOIN identity.\"AspNetUsers\" u ON u.\"Id\" = s.\"UserId\" WHERE u.\"NormalizedEmail\" = upper(@email)",
        ("email", email));

    private Task<long> CountUsersAsync(string email) => Sql.CountAsync(fixture.Host.ConnectionString,
        "SELECT count(*) FROM identity.\"AspNetUsers\" WHERE \"NormalizedEmail\" = upper(@email)", ("email", email));
}
