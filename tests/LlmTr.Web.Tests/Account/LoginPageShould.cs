using Bunit;
using LlmTr.Web.Account.Pages;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Account;

public sealed class LoginPageShould : WebTestContext
{
    public LoginPageShould() => AddIdentityServices();

    [Fact]
    public void LabelEveryInput()
    {
        var page = Render<Login>();

        var form = page.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        FormAssertions.EveryInputIsLabelled(form, expectedInputs: 3);
        Assert.Equal("password", page.Find("#login-password").GetAttribute("type"));
    }

    [Fact]
    public void AskForTheEmailAndPasswordWhenEmpty()
    {
        var page = Render<Login>();

        page.Find("form").Submit();

        Assert.Equal(["Enter your e-mail address.", "Enter your password."], FormAssertions.ValidationMessages(page.Find("form")));
    }
}
