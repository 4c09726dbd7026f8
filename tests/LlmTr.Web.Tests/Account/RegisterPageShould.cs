using Bunit;
using LlmTr.Web.Account.Pages;
using LlmTr.Web.Tests.Support;

namespace LlmTr.Web.Tests.Account;

public sealed class RegisterPageShould : WebTestContext
{
    public RegisterPageShould() => AddIdentityServices();

    [Fact]
    public void LabelEveryInput()
    {
        var page = Render<Register>();

        FormAssertions.EveryInputIsLabelled(page.Find("form"), expectedInputs: 3);
        Assert.Equal("register-password-hint", page.Find("#register-password").GetAttribute("aria-describedby"));
    }

    [Fact]
    public void SayWhichFieldsAreMissing()
    {
        var page = Render<Register>();

        page.Find("form").Submit();

        Assert.Equal(
            ["Enter your e-mail address.", "Enter your password.", "Enter the password again to confirm it."],
            FormAssertions.ValidationMessages(page.Find("form")));
    }

    [Fact]
    public void ExplainAMalformedEmailAShortPasswordAndAMismatch()
    {
        var page = Render<Register>();

        page.Find("#register-email").Change("not-an-email");
        page.Find("#register-password").Change("Short1!");
        page.Find("#register-confirm-password").Change("Different1!");
        page.Find("form").Submit();

        Assert.Equal(
            [
                "Enter a valid e-mail address, such as name@example.com.",
                "The password must be at least 10 characters long.",
                "The passwords do not match.",
            ],
            FormAssertions.ValidationMessages(page.Find("form")));
    }

    [Fact]
    public void ExplainMistakesInTurkishToTurkishVisitors()
    {
        using var turkish = new CultureScope("tr");
        var page = Render<Register>();

        page.Find("#register-email").Change("ad@ornek.com");
        page.Find("#register-password").Change("kisa");
        page.Find("#register-confirm-password").Change("kisa");
        page.Find("form").Submit();

        Assert.Equal(["Şifre en az 10 karakter uzunluğunda olmalıdır."], FormAssertions.ValidationMessages(page.Find("form")));
        Assert.Equal("E-posta", page.Find("label[for='register-email']").TextContent.Trim());
    }
}
