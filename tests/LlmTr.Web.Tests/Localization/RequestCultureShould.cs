using System.Globalization;
using LlmTr.Web.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlmTr.Web.Tests.Localization;

public sealed class RequestCultureShould
{
    [Fact]
    public async Task PreferTheChosenLanguageOverTheBrowsers()
    {
        var culture = await CultureOf(cookie: "tr", acceptLanguage: "en-US,en;q=0.9");

        Assert.Equal("tr", culture);
    }

    [Fact]
    public async Task FollowTheBrowserWhenNothingWasChosen()
    {
        var culture = await CultureOf(cookie: null, acceptLanguage: "tr-TR,tr;q=0.9");

        Assert.Equal("tr", culture);
    }

    [Fact]
    public async Task FallBackToEnglishForOtherLanguages()
    {
        var culture = await CultureOf(cookie: null, acceptLanguage: "de-DE");

        Assert.Equal("en", culture);
    }

    [Fact]
    public async Task IgnoreTheQueryString()
    {
        var culture = await CultureOf(cookie: null, acceptLanguage: "en", query: "?culture=tr&ui-culture=tr");

        Assert.Equal("en", culture);
    }

    [Theory]
    [InlineData("/docs/tr", "tr")]
    [InlineData("/docs/tr/errors", "tr")]
    [InlineData("/docs/en/errors", "en")]
    public async Task FollowADocsPagesOwnLanguageOverTheChosenOne(string path, string expected)
    {
        var culture = await CultureOf(cookie: expected == "tr" ? "en" : "tr", acceptLanguage: "de", path: path);

        Assert.Equal(expected, culture);
    }

    [Theory]
    [InlineData("/docs/trx/errors")]
    [InlineData("/docs")]
    [InlineData("/models/tr")]
    public async Task LeaveOtherAddressesToTheChosenLanguage(string path)
    {
        var culture = await CultureOf(cookie: "en", acceptLanguage: "tr", path: path);

        Assert.Equal("en", culture);
    }

    private static async Task<string> CultureOf(string? cookie, string acceptLanguage, string query = "", string path = "/")
    {
        var options = new RequestLocalizationOptions();
        UiCultures.Configure(options);
        var seen = "";
        var middleware = new RequestLocalizationMiddleware(
            _ =>
            {
                seen = CultureInfo.CurrentUICulture.Name;
                return Task.CompletedTask;
            },
            Options.Create(options),
            NullLoggerFactory.Instance);

        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.Headers.AcceptLanguage = acceptLanguage;
        if (cookie is not null)
        {
            context.Request.Headers.Cookie =
                $"{CookieRequestCultureProvider.DefaultCookieName}={Uri.EscapeDataString(CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(cookie)))}";
        }

        await middleware.Invoke(context);
        return seen;
    }
}
