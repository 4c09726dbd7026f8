using LlmTr.Web.Account;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LlmTr.Web.Tests;

public sealed class WebModuleShould
{
    [Fact]
    public void RevalidateInteractiveSessionsAgainstTheSecurityStamp()
    {
        var services = new ServiceCollection().AddLlmTrWeb();

        var provider = services.Last(d => d.ServiceType == typeof(AuthenticationStateProvider));
        Assert.Equal(typeof(IdentityRevalidatingAuthenticationStateProvider), provider.ImplementationType);
    }

    [Fact]
    public void OfferEnglishByDefaultAndTurkish()
    {
        using var provider = new ServiceCollection().AddLlmTrWeb().BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<RequestLocalizationOptions>>().Value;

        Assert.Equal("en", options.DefaultRequestCulture.UICulture.Name);
        Assert.Equal(["en", "tr"], options.SupportedUICultures!.Select(c => c.Name));
        Assert.Collection(
            options.RequestCultureProviders,
            docs => Assert.IsType<CustomRequestCultureProvider>(docs),
            cookie => Assert.IsType<CookieRequestCultureProvider>(cookie),
            browser => Assert.IsType<AcceptLanguageHeaderRequestCultureProvider>(browser));
    }
}
