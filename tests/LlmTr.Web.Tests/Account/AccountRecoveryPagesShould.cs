using Bunit;
using LlmTr.Identity.Mail;
using LlmTr.Web.Account.Components;
using LlmTr.Web.Account.Pages;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Account;

public sealed class AccountRecoveryPagesShould : WebTestContext
{
    public AccountRecoveryPagesShould() => AddIdentityServices();

    [Fact]
    public void LabelTheForgotPasswordFormAndAskForAnAddress()
    {
        var page = Render<ForgotPassword>();

        var form = page.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        FormAssertions.EveryInputIsLabelled(form, expectedInputs: 1);
        form.Submit();
        Assert.Equal(["Enter your e-mail address."], FormAssertions.ValidationMessages(page.Find("form")));
        Assert.Empty(MailQueue.Mails);
    }

    [Fact]
    public void OfferTheForgotPasswordPageFromTheSignInPage()
    {
        var page = Render<Login>();

        Assert.Contains(page.FindAll("a"), a => a.GetAttribute("href") == "/account/forgot-password" && a.TextContent.Contains("Forgot your password?", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("user-1", null)]
    [InlineData("user-1", "not base64 $$")]
    public void SayALinkWithoutAUsableTokenDoesNotWork(string? userId, string? code)
    {
        NavigateTo($"/account/reset-password?userId={Uri.EscapeDataString(userId ?? "")}&code={Uri.EscapeDataString(code ?? "")}");

        var page = Render<ResetPassword>();

        Assert.Contains("This link does not work", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("form"));
        Assert.Contains(page.FindAll("a"), a => a.GetAttribute("href") == "/account/forgot-password");
    }

    [Fact]
    public void AskForTheNewPasswordTwiceOnAWellFormedLink()
    {
        NavigateTo("/account/reset-password?userId=user-1&code=Q2ZESjhB");

        var page = Render<ResetPassword>();

        var form = page.Find("form");
        FormAssertions.EveryInputIsLabelled(form, expectedInputs: 2);
        form.Submit();
        Assert.Equal(["Enter a new password.", "Enter the password again to confirm it."], FormAssertions.ValidationMessages(page.Find("form")));
    }

    [Fact]
    public void TellADisabledAccountToContactSupport()
    {
        NavigateTo("/account/disabled");

        var page = Render<Lockout>(parameters => parameters.AddCascadingValue(HttpContextAt("/account/disabled")));

        Assert.Contains("This account has been disabled by an administrator. Contact support.", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("too many failed sign-in attempts", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowTheNoticeAndTheResendActionOnlyToAnUnconfirmedAccount()
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        ConfirmationGate.Allows = false;

        var unconfirmed = Render<EmailConfirmationNotice>(parameters => parameters
            .Add(n => n.UserId, "user-1").Add(n => n.Area, EmailConfirmationNotice.NoticeArea.Billing));

        Assert.Contains("Confirm your e-mail address to add credit.", unconfirmed.Markup, StringComparison.Ordinal);
        Assert.False(unconfirmed.Find("[data-testid=resend-confirmation]").HasAttribute("disabled"));

        ConfirmationGate.Allows = true;
        var confirmed = Render<EmailConfirmationNotice>(parameters => parameters.Add(n => n.UserId, "user-1"));
        Assert.Empty(confirmed.FindAll("[data-testid=email-unconfirmed]"));
    }

    [Fact]
    public void KeepTheResendActionDisabledWhilePrerendered()
    {
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        ConfirmationGate.Allows = false;

        var notice = Render<EmailConfirmationNotice>(parameters => parameters.Add(n => n.UserId, "user-1"));

        Assert.Contains("Confirm your e-mail address to create API keys.", notice.Markup, StringComparison.Ordinal);
        Assert.True(notice.Find("[data-testid=resend-confirmation]").HasAttribute("disabled"));
    }

    [Fact]
    public void ListTheDevMailboxWithClickableLinks()
    {
        var mail = new DevMail(Guid.NewGuid(), DateTimeOffset.UtcNow, "dev@llmtr.test", "Reset your LLMTR password",
            "Set a new password here:\nhttps://llmtr.test/account/reset-password?userId=u&code=abc\n\nThe link works once.");
        Services.AddSingleton<IDevMailbox>(new FakeDevMailbox(enabled: true, mail));
        Authorization.SetRoles(LlmTr.Identity.LlmTrRoles.Admin);

        var page = Render<DevMailbox>();

        var item = page.Find("[data-testid=dev-mail]");
        Assert.Contains("dev@llmtr.test", item.TextContent, StringComparison.Ordinal);
        Assert.Contains("Reset your LLMTR password", item.TextContent, StringComparison.Ordinal);
        var link = item.QuerySelector("a")!;
        Assert.Equal("https://llmtr.test/account/reset-password?userId=u&code=abc", link.GetAttribute("href"));
        Assert.Contains("The link works once.", item.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowNothingOfTheDevMailboxWhereItIsOff()
    {
        var page = Render<DevMailbox>();

        Assert.Empty(page.FindAll("[data-testid=dev-mail]"));
        Assert.DoesNotContain("Dev mailbox", page.Markup, StringComparison.Ordinal);
    }

    private void NavigateTo(string uri) => Services.GetRequiredService<NavigationManager>().NavigateTo(uri);

    private static Microsoft.AspNetCore.Http.DefaultHttpContext HttpContextAt(string path)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Path = path;
        return context;
    }
}
