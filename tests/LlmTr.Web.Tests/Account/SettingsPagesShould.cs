using System.Security.Claims;
using Bunit;
using LlmTr.Identity;
using LlmTr.Web.Account;
using LlmTr.Web.Account.Pages.Manage;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Account;

/// <summary>What the settings, password and two-factor pages show for the state the account is in.</summary>
public sealed class SettingsPagesShould : WebTestContext
{
    private readonly ApplicationUser user = new()
    {
        Id = "user-1",
        UserName = "dev@llmtr.test",
        Email = "dev@llmtr.test",
        CreatedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 0, TimeSpan.Zero),
    };

    private bool storeAdded;

    public SettingsPagesShould() => AddIdentityServices();

    [Fact]
    public void ShowTheProfileAndThatTwoFactorSignInIsOff()
    {
        var page = RenderPage<Settings>("/dashboard/settings");

        Assert.Equal("dev@llmtr.test", page.Find("[data-testid=settings-email]").TextContent);
        Assert.Contains("2026-03-04", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Two-factor sign-in is off.", page.Markup, StringComparison.Ordinal);
        Assert.Equal("/account/manage/two-factor", page.Find("[data-testid=settings-two-factor]").GetAttribute("href"));
    }

    [Fact]
    public void SayWhenTwoFactorSignInIsOn()
    {
        user.TwoFactorEnabled = true;

        var page = RenderPage<Settings>("/dashboard/settings");

        Assert.Contains("Two-factor sign-in is on.", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Two-factor sign-in is off.", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkTheLanguageAndThemeInUseAndLinkTheOthersBackToThisPage()
    {
        var page = RenderPage<Settings>("/dashboard/settings", themeCookie: "dark");

        var english = Link(page, "English");
        var turkish = Link(page, "Turkish (Türkçe)");
        Assert.Equal("true", english.GetAttribute("aria-current"));
        Assert.Null(turkish.GetAttribute("aria-current"));
        Assert.Equal("/ui/culture?culture=tr&returnUrl=%2Fdashboard%2Fsettings", turkish.GetAttribute("href"));
        Assert.Equal("false", turkish.GetAttribute("data-enhance-nav")); // a full load: the new language needs a new circuit
        Assert.Equal("true", Link(page, "Dark").GetAttribute("aria-current"));
        Assert.Null(Link(page, "Light").GetAttribute("aria-current"));
        Assert.Equal("/ui/theme?mode=light&returnUrl=%2Fdashboard%2Fsettings", Link(page, "Light").GetAttribute("href"));
    }

    [Fact]
    public void MarkTurkishAndTheLightThemeForATurkishVisitorWithoutAThemeCookie()
    {
        using var turkish = new CultureScope("tr");

        var page = RenderPage<Settings>("/account/manage");

        Assert.Equal("true", Link(page, "Türkçe").GetAttribute("aria-current"));
        Assert.Null(Link(page, "İngilizce (English)").GetAttribute("aria-current"));
        Assert.Equal("true", Link(page, "Açık").GetAttribute("aria-current"));
        Assert.Equal("/ui/culture?culture=en&returnUrl=%2Faccount%2Fmanage", Link(page, "İngilizce (English)").GetAttribute("href"));
    }

    [Fact]
    public void OfferTheAuthenticatorSetupWhileTwoFactorSignInIsOff()
    {
        var page = RenderPage<TwoFactor>("/account/manage/two-factor");

        Assert.StartsWith("Two-factor sign-in is off.", page.Find("[data-testid=two-factor-state]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.StartsWith("data:image/svg+xml;base64,", page.Find(".llmtr-qr img").GetAttribute("src"), StringComparison.Ordinal);
        Assert.Equal("jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp", page.Find("[data-testid=authenticator-key]").TextContent.Trim());
        FormAssertions.EveryInputIsLabelled(page.Find("form"), expectedInputs: 1);
        Assert.Contains("Turn on two-factor sign-in", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Turn off two-factor sign-in", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=recovery-codes]"));
    }

    [Fact]
    public void CountTheRecoveryCodesLeftAndOfferTheWayBackWhileTwoFactorSignInIsOn()
    {
        user.TwoFactorEnabled = true;

        var page = RenderPage<TwoFactor>("/account/manage/two-factor", recoveryCodesLeft: 3);

        Assert.Equal("Two-factor sign-in is on. 3 recovery codes are left.", page.Find("[data-testid=two-factor-state]").TextContent.Trim());
        Assert.Contains("Turn off two-factor sign-in", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll(".llmtr-qr"));
        Assert.Empty(page.FindAll("[data-testid=authenticator-key]"));
        Assert.Empty(page.FindAll("[data-testid=recovery-codes]")); // codes are shown once, when made, never on a later visit
    }

    [Fact]
    public void SayOnceThatTwoFactorSignInWasTurnedOff()
    {
        var page = RenderPage<TwoFactor>("/account/manage/two-factor", status: "two-factor-off");

        Assert.Contains("Two-factor sign-in is off", page.Find("[role=status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelThePasswordFieldsAndSayOnlyAfterAChangeThatItWorked()
    {
        var fresh = RenderPage<ChangePassword>("/account/manage/change-password");
        var changed = RenderPage<ChangePassword>("/account/manage/change-password", status: "password-changed");

        FormAssertions.EveryInputIsLabelled(fresh.Find("form"), expectedInputs: 3);
        Assert.All(fresh.FindAll("form input:not([type=hidden])"), input => Assert.Equal("password", input.GetAttribute("type")));
        Assert.DoesNotContain("Your password has been changed.", fresh.Markup, StringComparison.Ordinal);
        Assert.Contains("Your password has been changed.", changed.Find("[role=status]").TextContent, StringComparison.Ordinal);
    }

    private IRenderedComponent<TPage> RenderPage<TPage>(string path, string? themeCookie = null, string? status = null, int recoveryCodesLeft = 0)
        where TPage : IComponent
    {
        if (!storeAdded)
        {
            Services.AddSingleton<IUserStore<ApplicationUser>>(new OneUserStore(user, recoveryCodesLeft));
            storeAdded = true;
        }

        var http = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "test")) };
        http.Request.Path = path;
        var cookies = new List<string>();
        if (themeCookie is not null)
        {
            cookies.Add($"llmtr.theme={themeCookie}");
        }

        if (status is not null)
        {
            cookies.Add($"{IdentityRedirectManager.StatusCookieName}={status}");
        }

        if (cookies.Count > 0)
        {
            http.Request.Headers.Cookie = string.Join("; ", cookies);
        }

        return Render<TPage>(parameters => parameters.AddCascadingValue(http));
    }

    private static AngleSharp.Dom.IElement Link<TPage>(IRenderedComponent<TPage> page, string text)
        where TPage : IComponent =>
        page.FindAll("a").Single(a => a.TextContent.Trim() == text);
}
