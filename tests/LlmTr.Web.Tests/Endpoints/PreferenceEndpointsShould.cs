using LlmTr.Web.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmTr.Web.Tests.Endpoints;

public sealed class PreferenceEndpointsShould
{
    // An anonymous visitor's choice stays in the cookie: the endpoints never reach the user store for them.
    private static readonly Microsoft.AspNetCore.Identity.UserManager<LlmTr.Identity.ApplicationUser> AnonymousUsers = null!;

    [Fact]
    public async Task RememberTheThemeAndReturnToThePage()
    {
        var context = new DefaultHttpContext();

        var result = await PreferenceEndpoints.SetTheme("dark", "/dashboard?tab=usage", context, AnonymousUsers);

        Assert.Equal("/dashboard?tab=usage", Assert.IsType<RedirectHttpResult>(result.Result).Url);
        Assert.Contains(SetCookies(context), cookie => cookie.StartsWith("llmtr.theme=dark;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReturnToTheHomePageRatherThanToAnotherSite()
    {
        var context = new DefaultHttpContext();

        var result = await PreferenceEndpoints.SetTheme("light", "https://evil.example/", context, AnonymousUsers);

        Assert.Equal("/", Assert.IsType<RedirectHttpResult>(result.Result).Url);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("blue")]
    public async Task RejectAnUnknownTheme(string? mode)
    {
        var context = new DefaultHttpContext();

        var result = await PreferenceEndpoints.SetTheme(mode, "/", context, AnonymousUsers);

        Assert.IsType<BadRequest>(result.Result);
        Assert.Empty(SetCookies(context));
    }

    [Fact]
    public async Task RememberTheLanguageInTheStandardCultureCookie()
    {
        var context = new DefaultHttpContext();

        var result = await PreferenceEndpoints.SetCulture("tr", "/account/login", context, AnonymousUsers);

        Assert.Equal("/account/login", Assert.IsType<RedirectHttpResult>(result.Result).Url);
        Assert.Contains(SetCookies(context), cookie => cookie.StartsWith(".AspNetCore.Culture=c%3Dtr%7Cuic%3Dtr;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReturnToTheHomePageAfterALanguageSwitchFromAnotherSite()
    {
        var result = await PreferenceEndpoints.SetCulture("en", "//evil.example", new DefaultHttpContext(), AnonymousUsers);

        Assert.Equal("/", Assert.IsType<RedirectHttpResult>(result.Result).Url);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("de")]
    [InlineData("tr-TR-x")]
    public async Task RejectAnUnsupportedLanguage(string? culture)
    {
        var context = new DefaultHttpContext();

        var result = await PreferenceEndpoints.SetCulture(culture, "/", context, AnonymousUsers);

        Assert.IsType<BadRequest>(result.Result);
        Assert.Empty(SetCookies(context));
    }

    private static string[] SetCookies(HttpContext context) => context.Response.Headers.SetCookie.ToArray()!;
}
