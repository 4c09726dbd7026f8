using System.Net;
using System.Text.RegularExpressions;
using LlmTr.Identity;
using LlmTr.IntegrationTests.Accounts;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Testing;
using LlmTr.Web.Security;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Security;

/// <summary>The browser-facing protections, over real HTTP against the real host.</summary>
public sealed partial class WebSecurityShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/account/login")]
    [InlineData("/docs/en/quickstart")]
    [InlineData("/models")]
    [InlineData("/api/models")]
    [InlineData("/health/live")]
    [InlineData("/no-such-page")]
    public async Task PutSecurityHeadersOnEveryPageAndJsonAnswer(string path)
    {
        using var client = fixture.Host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, policy);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/account/login")]
    [InlineData("/docs/en/quickstart")]
    [InlineData("/models")]
    public async Task ServePagesWithoutInlineScriptSoTheStrictPolicyHolds(string path)
    {
        using var client = fixture.Host.CreateClient();

        var html = await client.GetStringAsync(new Uri(path, UriKind.Relative));

        Assert.Empty(InlineScript().Matches(html).Select(m => m.Value));
        Assert.Empty(InlineHandler().Matches(html).Select(m => m.Value));
        Assert.Matches("_content/LlmTr.Web/site(\\.[a-z0-9]+)?\\.js", html);
    }

    [Fact]
    public async Task GiveTheApiOnlyNoSniff()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await client.GetAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task SendHstsOverHttpsOutsideDevelopmentOnly()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var production = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?>(ProductionMail.Settings)
        {
            ["environment"] = "Production",
            ["Billing:TopUpsEnabled"] = "false", // Production runs without a payment provider only with top-ups off
        });
        using var overTls = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://llmtr.test/") });
        using var development = fixture.Host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://llmtr.test/") });

        using var fromProduction = await overTls.GetAsync(new Uri("/account/login", UriKind.Relative));
        using var fromDevelopment = await development.GetAsync(new Uri("/account/login", UriKind.Relative));

        Assert.StartsWith("max-age=", Assert.Single(fromProduction.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Assert.Single(fromProduction.Headers.GetValues("Content-Security-Policy")));
        Assert.False(fromDevelopment.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task MarkEveryCookieHttpOnlyAndSameSiteAndSecureOverHttps()
    {
        var email = await EmailOfAsync(await TestAccounts.CreateUserAsync(fixture.Host));
        using var tls = fixture.Host.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://llmtr.test/"), AllowAutoRedirect = false });
        using var plain = fixture.Host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var (loginPage, signedIn) = await SignInAsync(tls, email);
        var (_, signedInPlain) = await SignInAsync(plain, email);
        using var culture = await tls.GetAsync(new Uri("/ui/culture?culture=tr&returnUrl=%2F", UriKind.Relative));
        using var theme = await tls.GetAsync(new Uri("/ui/theme?mode=dark&returnUrl=%2F", UriKind.Relative));

        var antiforgery = Cookie(loginPage, ".AspNetCore.Antiforgery.");
        Assert.Contains("httponly", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        foreach (var cookie in new[] { Cookie(signedIn, "llmtr.session="), Cookie(culture, ".AspNetCore.Culture="), Cookie(theme, "llmtr.theme=") })
        {
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        }

        var session = Cookie(signedInPlain, "llmtr.session=");
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RefuseEveryFormPostWithoutAnAntiforgeryToken()
    {
        // An admin, so that every page lets the caller in and only the missing token can refuse the post.
        var (userId, browser) = await TestAccounts.SignInAsync(fixture.Host, isAdmin: true);
        using var _ = browser;
        var topUp = await fixture.Host.Services.GetRequiredService<ITopUps>().StartAsync(userId, 20m, new Uri("http://localhost/"));
        var posts = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(route => !NotForms.Any(prefix => route.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();
        Assert.Contains("/account/login", posts);
        Assert.Contains("/billing/top-ups", posts);

        var accepted = new List<string>();
        foreach (var route in posts)
        {
            var path = RouteValue().Replace(route, m => m.Value switch
            {
                "{Id:guid}" => topUp.TopUpId!.Value.ToString(),
                "{RequestId}" => "req_unknown",
                "{Language}" => "en",
                "{Slug}" => "quickstart",
                _ => "llmtr-demo",
            });
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "any", ["credit"] = "10", ["returnUrl"] = "/" });
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = form };
            using var response = await browser.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                accepted.Add($"{path}: {(int)response.StatusCode}");
            }
        }

        Assert.True(accepted.Count == 0, "Form posts answered without an antiforgery token: " + string.Join(", ", accepted));
    }

    [Fact]
    public async Task ChangeNothingWhenAFormArrivesWithoutItsToken()
    {
        var host = fixture.Host;
        var (userId, browser) = await TestAccounts.SignInAsync(host);
        using var _ = browser;
        var topUps = host.Services.GetRequiredService<ITopUps>();
        var pending = (await topUps.StartAsync(userId, 20m, new Uri("http://localhost/"))).TopUpId!.Value;
        var newEmail = HostFixture.NewEmail();

        Assert.Equal(HttpStatusCode.BadRequest, (await PostWithoutToken(browser, "/account/manage/change-password", new()
        {
            ["_handler"] = "change-password", ["Input.CurrentPassword"] = TestAccounts.Password, ["Input.NewPassword"] = "Another-Horse-43", ["Input.ConfirmPassword"] = "Another-Horse-43",
        })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWithoutToken(browser, "/billing/top-ups", new() { ["credit"] = "25" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWithoutToken(browser, $"/billing/test-checkout/{pending}", new() { ["_handler"] = "pay" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWithoutToken(browser, "/account/logout", new() { ["returnUrl"] = "/" })).StatusCode);
        using var anonymous = new FormClient(host);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostWithoutToken(anonymous, "/account/register", new()
        {
            ["_handler"] = "register", ["Input.Email"] = newEmail, ["Input.Password"] = TestAccounts.Password, ["Input.ConfirmPassword"] = TestAccounts.Password,
        })).StatusCode);
        using var login = await PostWithoutToken(anonymous, "/account/login", new()
        {
            ["_handler"] = "login", ["Input.Email"] = await EmailOfAsync(userId), ["Input.Password"] = TestAccounts.Password,
        });
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);

        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(userId))!, TestAccounts.Password));
        Assert.Null(await users.FindByEmailAsync(newEmail));
        Assert.False(login.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("llmtr.session=", StringComparison.Ordinal)));
        var mine = await topUps.ListAsync(userId);
        Assert.Equal(TopUpStatus.Pending, Assert.Single(mine).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task LockAnAccountAfterTheConfiguredNumberOfFailuresForTheConfiguredTime()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?>
        {
            ["SignIn:MaxFailedAttempts"] = "2",
            ["SignIn:LockoutDuration"] = "00:40:00",
        });
        var userId = await TestAccounts.CreateUserAsync(host);
        var email = await EmailOfAsync(userId, host);
        using var browser = new FormClient(host);

        Assert.Equal(HttpStatusCode.OK, (await SignIn(browser, email, "Wrong-Password-1")).StatusCode);
        Assert.Equal("/account/lockout", FormClient.LocationOf(await SignIn(browser, email, "Wrong-Password-1")));

        var locked = await SignIn(browser, email, TestAccounts.Password);

        Assert.Equal("/account/lockout", FormClient.LocationOf(locked));
        await using var scope = host.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId))!;
        var lockedFor = user.LockoutEnd!.Value - DateTimeOffset.UtcNow;
        Assert.InRange(lockedFor, TimeSpan.FromMinutes(39), TimeSpan.FromMinutes(40));
    }

    [Fact]
    public async Task LimitSignInRegistrationAndTwoFactorPostsPerAddressWithAClearMessage()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?> { ["SignIn:AttemptsPerMinute"] = "3" });
        using var browser = new FormClient(host);
        var email = HostFixture.NewEmail();

        // Ten posts against three a minute: even if a window turns over during the loop, at most six get through.
        var answers = new List<HttpResponseMessage>();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            answers.Add(await SignIn(browser, email, "Wrong-Password-1"));
        }

        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(refused.Count, 4, 7);
        Assert.True(refused[0].Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many sign-in attempts", await refused[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var register = await PostWithoutToken(browser, "/account/register", new() { ["_handler"] = "register" });
        using var twoFactor = await PostWithoutToken(browser, "/account/login-with-2fa", new() { ["_handler"] = "two-factor" });
        Assert.Equal(HttpStatusCode.TooManyRequests, register.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, twoFactor.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task RefusePasswordsShorterThanTheConfiguredLengthAndRefuseAPolicyBelowTen()
    {
        var server = await PostgresServer.InstanceAsync();
        await using var host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?> { ["SignIn:PasswordMinimumLength"] = "20" });
        using var browser = new FormClient(host);
        var email = HostFixture.NewEmail();

        var registered = await browser.SubmitAsync("/account/register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = TestAccounts.Password, ["Input.ConfirmPassword"] = TestAccounts.Password,
        });

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Contains("20", await registered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email));
        }

        await using var weak = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync(), new Dictionary<string, string?> { ["SignIn:PasswordMinimumLength"] = "8" });
        var refused = Assert.ThrowsAny<Exception>(() => weak.Services);
        Assert.Contains("PasswordMinimumLength", refused.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Routes that accept POST but are not the site's forms: the API (keys), Stripe (signature), Blazor's circuit, Hangfire (its own token).</summary>
    private static readonly string[] NotForms = ["/v1", "/billing/stripe/webhook", "/_blazor", "/admin/jobs", "/_framework"];

    private static Task<HttpResponseMessage> SignIn(FormClient browser, string email, string password) =>
        browser.SubmitAsync("/account/login", "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    private static async Task<HttpResponseMessage> PostWithoutToken(FormClient browser, string path, Dictionary<string, string> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        return await browser.SendAsync(request);
    }

    private static async Task<(HttpResponseMessage Page, HttpResponseMessage SignedIn)> SignInAsync(HttpClient client, string email)
    {
        var page = await client.GetAsync(new Uri("/account/login", UriKind.Relative));
        var token = Token().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = TestAccounts.Password,
        });
        var signedIn = await client.PostAsync(new Uri("/account/login", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (page, signedIn);
    }

    private static string Cookie(HttpResponseMessage response, string prefix) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(prefix, StringComparison.Ordinal));

    private Task<string> EmailOfAsync(string userId) => EmailOfAsync(userId, fixture.Host);

    private static async Task<string> EmailOfAsync(string userId, LlmTrHostFactory host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId))!.Email!;
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex("\\son[a-z]+=\"", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex("\\{[^}]+\\}")]
    private static partial Regex RouteValue();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
