using LlmTr.Web.Account;
using LlmTr.Web.Resources;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace LlmTr.Web.Tests.Account;

public sealed class IdentityErrorMessagesShould
{
    private static readonly IStringLocalizer Localizer = new ServiceCollection()
        .AddLogging()
        .AddLocalization()
        .BuildServiceProvider()
        .GetRequiredService<IStringLocalizer<SharedResource>>();

    private static readonly IdentityErrorDescriber Describer = new();

    [Fact]
    public void ExplainADuplicateEmailOnce()
    {
        using var english = new CultureScope("en");

        var messages = IdentityErrorMessages.Describe(
            [Describer.DuplicateUserName("a@example.com"), Describer.DuplicateEmail("a@example.com")], Localizer);

        Assert.Equal(["An account with this e-mail address already exists."], messages);
    }

    [Fact]
    public void ExplainWeakPasswordsInTheVisitorsLanguage()
    {
        using var turkish = new CultureScope("tr");

        var messages = IdentityErrorMessages.Describe(
            [Describer.PasswordRequiresDigit(), Describer.PasswordRequiresUpper()], Localizer);

        Assert.Equal(["Şifre en az bir rakam (0-9) içermelidir.", "Şifre en az bir büyük harf (A-Z) içermelidir."], messages);
    }

    [Fact]
    public void KeepIdentitysOwnWordsForErrorsItHasNoTextFor()
    {
        using var english = new CultureScope("en");
        var unknown = new IdentityError { Code = "SomethingNew", Description = "Something new went wrong." };

        Assert.Equal(["Something new went wrong."], IdentityErrorMessages.Describe([unknown], Localizer));
    }
}
