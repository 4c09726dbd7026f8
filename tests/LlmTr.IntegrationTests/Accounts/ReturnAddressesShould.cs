using System.Net;
using LlmTr.IntegrationTests.Hosting;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Accounts;

/// <summary>
/// Issue 18, finding 8: a return address with characters outside ASCII (a Turkish page name, say) is followed, percent-encoded,
/// instead of failing as a 500 when Kestrel refuses to write it into the Location header. Served on Kestrel for that reason:
/// the in-memory test server lets any character through.
/// </summary>
public sealed class ReturnAddressesShould(KestrelHostFixture fixture) : IClassFixture<KestrelHostFixture>
{
    private const string ReturnTo = "/docs/tr/başlangıç?q=ş";
    private const string Encoded = "/docs/tr/ba%C5%9Flang%C4%B1%C3%A7?q=%C5%9F";

    // Issue 18, finding 8: the theme and language switches answered 500.
    [Theory]
    [InlineData("/ui/theme?mode=dark&returnUrl=")]
    [InlineData("/ui/culture?culture=tr&returnUrl=")]
    public async Task FollowANonAsciiReturnAddressFromAPreferenceSwitch(string switchPath)
    {
        using var browser = new HttpBrowser(fixture.BaseAddress);

        using var response = await browser.GetAsync(switchPath + Uri.EscapeDataString(ReturnTo));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Encoded, LocationOf(response));
    }

    // Issue 18, finding 8: signing out answered 500.
    [Fact]
    public async Task FollowANonAsciiReturnAddressAfterSigningOut()
    {
        using var browser = await SignedInAsync();

        using var response = await browser.PostAsync("/dashboard", "/account/logout", new Dictionary<string, string> { ["returnUrl"] = ReturnTo });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Encoded, LocationOf(response));
    }

    // Issue 18, finding 8: signing in answered 500.
    [Fact]
    public async Task FollowANonAsciiReturnAddressAfterSigningIn()
    {
        var email = await Billing.BillingTesting.EmailOfAsync(fixture.Host, await TestAccounts.CreateUserAsync(fixture.Host));
        using var browser = new HttpBrowser(fixture.BaseAddress);
        var page = $"/account/login?returnUrl={Uri.EscapeDataString(ReturnTo)}";

        using var response = await browser.PostAsync(page, page, new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = TestAccounts.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Encoded, LocationOf(response));
    }

    // Issue 18, finding 8: encoding must not turn a foreign address into a local-looking one.
    [Theory]
    [InlineData("//evil.example/ş")]
    [InlineData("/\\evil.example/ş")]
    [InlineData("https://evil.example/ş")]
    public async Task StillRefuseAForeignAddressThatCarriesNonAsciiCharacters(string returnUrl)
    {
        using var browser = new HttpBrowser(fixture.BaseAddress);

        using var response = await browser.GetAsync("/ui/theme?mode=dark&returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", LocationOf(response));
    }

    private async Task<HttpBrowser> SignedInAsync()
    {
        var email = await Billing.BillingTesting.EmailOfAsync(fixture.Host, await TestAccounts.CreateUserAsync(fixture.Host));
        var browser = new HttpBrowser(fixture.BaseAddress);
        await browser.SignInAsync(email, TestAccounts.Password);
        return browser;
    }

    /// <summary>The Location header as the host wrote it, without the site's own scheme and host when it wrote an absolute one.</summary>
    private string? LocationOf(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Location", out var values))
        {
            return null;
        }

        var location = values.Single();
        var site = fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        return location.StartsWith(site + "/", StringComparison.Ordinal) ? location[site.Length..] : location;
    }
}

/// <summary>One host on a database of its own, served on Kestrel at a loopback port, for a test class.</summary>
public sealed class KestrelHostFixture : IAsyncLifetime
{
    public LlmTrHostFactory Host { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.InstanceAsync();
        Host = new LlmTrHostFactory(await server.CreateMigratedDatabaseAsync());
        BaseAddress = Host.StartOnKestrel();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
