using LlmTr.Web.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmTr.Web.Tests.Endpoints;

public sealed class PreferenceEndpointsShould
{
    [Fact]
    public void RememberTheThemeAndReturnToThePage()
    {
        var context = new DefaultHttpContext();

        var result = PreferenceEndpoints.SetTheme("dark", "/dashboard?tab=usage", context);

        Assert.Equal("/dashboard?tab=usage", Assert.IsType<RedirectHttpResult>(result.Result).Url);
        Assert.Contains(SetCookies(context), cookie => cookie.StartsWith("llmtr.theme=dark;", StringComparison.Ordinal));
    }

    [Fact]
    public void ReturnToTheHomePageRatherThanToAnotherSite()
    {
        var context = new DefaultHttpContext();

        var result = PreferenceEndpoints.SetTheme("light", "https://evil.example/", context);

        Assert.Equal("/", Assert.IsType<RedirectHttpResult>(result.Result).Url);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("blue")]
    public void RejectAnUnknownTheme(string? mode)
    {
        var context = new DefaultHttpContext();

        var result = PreferenceEndpoints.SetTheme(mode, "/", context);

        Assert.IsType<BadRequest>(result.Result);
        Assert.Empty(SetCookies(context));
    }

    [Fact]
    public void RememberTheLanguageInTheStandardCultureCookie()
    {
        var context = new DefaultHttpContext();

        var result = PreferenceEndpoints.SetCulture("tr", "/account/login", context);

        Assert.Equal("/account/login", Assert.IsType<RedirectHttpResult>(result.Result).Url);
        Assert.Contains(SetCookies(context), cookie => cookie.StartsWith(".AspNetCore.Culture=c%3Dtr%7Cuic%3Dtr;", StringComparison.Ordinal));
    }

    [Fact]
    public void ReturnToTheHomePageAfterALanguageSwitchFromAnotherSite()
    {
        var result = PreferenceEndpoints.SetCulture("en", "//evil.example", new DefaultHttpContext());

        Assert.Equal("/", Assert.IsType<RedirectHttpResult>(result.Result).Url);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("de")]
    [InlineData("tr-TR-x")]
    public void RejectAnUnsupportedLanguage(string? culture)
    {
        var context = new DefaultHttpContext();

        var result = PreferenceEndpoints.SetCulture(culture, "/", context);

        Assert.IsType<BadRequest>(result.Result);
        Assert.Empty(SetCookies(context));
    }

    private static string[] SetCookies(HttpContext context) => context.Response.Headers.SetCookie.ToArray()!;
}
