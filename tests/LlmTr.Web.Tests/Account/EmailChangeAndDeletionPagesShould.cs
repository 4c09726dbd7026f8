using System.Security.Claims;
using Bunit;
using LlmTr.Identity;
using LlmTr.Identity.Administration;
using LlmTr.Identity.Closing;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Web.Account;
using LlmTr.Web.Account.Pages;
using LlmTr.Web.Account.Pages.Manage;
using LlmTr.Web.Pages.Admin.Users;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Account;

/// <summary>The e-mail change and account deletion forms: labelled fields, and what is wrong said next to each field, in EN and TR.</summary>
public sealed class EmailChangeAndDeletionPagesShould : WebTestContext
{
    private const string Password = "Correct-Horse-42";

    private readonly ApplicationUser user = new()
    {
        Id = "user-1",
        UserName = "dev@llmtr.test",
        NormalizedUserName = "DEV@LLMTR.TEST",
        Email = "dev@llmtr.test",
        NormalizedEmail = "DEV@LLMTR.TEST",
        CreatedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 0, TimeSpan.Zero),
    };

    public EmailChangeAndDeletionPagesShould()
    {
        AddIdentityServices();
        user.PasswordHash = new PasswordHasher<ApplicationUser>().HashPassword(user, Password);
        Services.AddSingleton<IUserStore<ApplicationUser>>(new PasswordUserStore(user));

        // Deleting is not reached while a field is wrong; these fail loudly if it were.
        Services.AddSingleton(new AccountDeletion(
            UnusedStore.Create<IAccountClosure>(), UnusedStore.Create<IApiKeyAdministration>(), UnusedStore.Create<ITopUps>(),
            UnusedStore.Create<IPendingTopUps>(), UnusedStore.Create<IBillingProfiles>()));
    }

    [Fact]
    public void LabelTheEmailChangeFieldsAndShowTheCurrentAddress()
    {
        var page = RenderPage<ChangeEmail>(ChangeEmail.Path);

        FormAssertions.EveryInputIsLabelled(page.Find("form"), expectedInputs: 2);
        Assert.Equal("Your account uses dev@llmtr.test.", page.Find("[data-testid=change-email-current]").TextContent.Trim());
        Assert.Equal("email", page.Find("#change-email-new").GetAttribute("type"));
        Assert.Equal("password", page.Find("#change-email-password").GetAttribute("type"));
    }

    [Fact]
    public void SayWhichEmailChangeFieldsAreMissingOrMalformed()
    {
        var page = RenderPage<ChangeEmail>(ChangeEmail.Path);
        page.Find("form").Submit();
        Assert.Equal(["Enter your e-mail address.", "Enter your current password."], FormAssertions.ValidationMessages(page.Find("form")));

        page.Find("#change-email-new").Change("not-an-address");
        page.Find("#change-email-password").Change(Password);
        page.Find("form").Submit();
        Assert.Equal(["Enter a valid e-mail address, such as name@example.com."], FormAssertions.ValidationMessages(page.Find("form")));
    }

    [Fact]
    public void RefuseTheCurrentAddressAndAWrongPasswordNextToTheirFields()
    {
        var page = RenderPage<ChangeEmail>(ChangeEmail.Path);

        page.Find("#change-email-new").Change("DEV@llmtr.test");
        page.Find("#change-email-password").Change(Password);
        page.Find("form").Submit();
        Assert.Equal(["This is already your address. Enter a different one."], FormAssertions.ValidationMessages(page.Find("form")));

        page.Find("#change-email-new").Change("new@llmtr.test");
        page.Find("#change-email-password").Change("Wrong-Horse-42");
        page.Find("form").Submit();
        Assert.Equal(["The password is not right."], FormAssertions.ValidationMessages(page.Find("form")));
        Assert.Empty(MailQueue.Mails);
    }

    [Fact]
    public void ExplainEmailChangeMistakesInTurkish()
    {
        using var turkish = new CultureScope("tr");
        var page = RenderPage<ChangeEmail>(ChangeEmail.Path);

        page.Find("#change-email-new").Change("dev@llmtr.test");
        page.Find("#change-email-password").Change(Password);
        page.Find("form").Submit();

        Assert.Equal(["Bu zaten sizin adresiniz. Farklı bir adres girin."], FormAssertions.ValidationMessages(page.Find("form")));
        Assert.Equal("Yeni e-posta adresi", page.Find("label[for='change-email-new']").TextContent.Trim());
    }

    [Fact]
    public void AskForThePasswordAndAnExplicitYesBeforeDeleting()
    {
        var page = RenderPage<DeleteAccount>(DeleteAccount.Path);

        FormAssertions.EveryInputIsLabelled(page.Find("form"), expectedInputs: 2); // password and the confirmation box
        Assert.Empty(page.FindAll("#delete-account-code")); // two-factor sign-in is off
        page.Find("#delete-account-password").Change("Wrong-Horse-42");
        page.Find("form").Submit();

        Assert.Equal(
            ["The password is not right.", "Tick the box to confirm that the account should be deleted."],
            FormAssertions.ValidationMessages(page.Find("form")));
        Assert.Contains("receipts of completed top-ups", page.Find("[data-testid=delete-account-effects]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AskForTheTwoFactorCodeWhenTwoFactorSignInIsOnInTurkish()
    {
        using var turkish = new CultureScope("tr");
        user.TwoFactorEnabled = true;
        var page = RenderPage<DeleteAccount>(DeleteAccount.Path);

        FormAssertions.EveryInputIsLabelled(page.Find("form"), expectedInputs: 3);
        page.Find("form").Submit();

        Assert.Equal(
            ["Mevcut şifrenizi girin.", "Doğrulama uygulamanızdaki kodu ya da bir kurtarma kodunu girin.", "Hesabın silinmesini onaylamak için kutuyu işaretleyin."],
            FormAssertions.ValidationMessages(page.Find("form")));
    }

    [Fact]
    public void SayTheAccountWasDeleted()
    {
        var page = Render<AccountDeleted>();

        Assert.Contains("Your account has been deleted", page.Find("[data-testid=account-deleted]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void OfferTheEmailChangeAndTheDeletionFromTheSettings()
    {
        var page = RenderPage<Settings>("/account/manage");

        Assert.Equal("/account/manage/email", page.Find("[data-testid=settings-change-email]").GetAttribute("href"));
        Assert.Equal("/account/manage/delete", page.Find("[data-testid=settings-delete-account]").GetAttribute("href"));
    }

    private IRenderedComponent<TPage> RenderPage<TPage>(string path)
        where TPage : IComponent
    {
        var http = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "test")) };
        http.Request.Path = path;
        return Render<TPage>(parameters => parameters.AddCascadingValue(http));
    }

    /// <summary>One user with a password, read-only: a form that is refused must not change the account.</summary>
    private sealed class PasswordUserStore(ApplicationUser user) :
        IUserPasswordStore<ApplicationUser>, IUserEmailStore<ApplicationUser>, IUserTwoFactorStore<ApplicationUser>
    {
        public Task<ApplicationUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(userId == user.Id ? user : null);

        public Task<ApplicationUser?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
            Task.FromResult(normalizedEmail == user.NormalizedEmail ? user : null);

        public Task<string> GetUserIdAsync(ApplicationUser account, CancellationToken cancellationToken) => Task.FromResult(account.Id);

        public Task<string?> GetUserNameAsync(ApplicationUser account, CancellationToken cancellationToken) => Task.FromResult(account.UserName);

        public Task<string?> GetPasswordHashAsync(ApplicationUser account, CancellationToken cancellationToken) => Task.FromResult(account.PasswordHash);

        public Task<bool> HasPasswordAsync(ApplicationUser account, CancellationToken cancellationToken) => Task.FromResult(account.PasswordHash is not null);

        public Task<string?> GetEmailAsync(ApplicationUser account, CancellationToken cancellationToken) => Task.FromResult(account.Email);

        public Task<bool> GetEmailConfirmedAsync(ApplicationUser account, CancellationToken cancellationToken) => Task.FromResult(account.EmailConfirmed);

        public Task<string?> GetNormalizedEmailAsync(ApplicationUser account, CancellationToken cancellationToken) => Task.FromResult(account.NormalizedEmail);

        public Task<bool> GetTwoFactorEnabledAsync(ApplicationUser account, CancellationToken cancellationToken) => Task.FromResult(account.TwoFactorEnabled);

        public Task<ApplicationUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) => throw Unexpected();

        public Task<string?> GetNormalizedUserNameAsync(ApplicationUser account, CancellationToken cancellationToken) => throw Unexpected();

        public Task SetUserNameAsync(ApplicationUser account, string? userName, CancellationToken cancellationToken) => throw Unexpected();

        public Task SetNormalizedUserNameAsync(ApplicationUser account, string? normalizedName, CancellationToken cancellationToken) => throw Unexpected();

        public Task SetPasswordHashAsync(ApplicationUser account, string? passwordHash, CancellationToken cancellationToken) => throw Unexpected();

        public Task SetEmailAsync(ApplicationUser account, string? email, CancellationToken cancellationToken) => throw Unexpected();

        public Task SetEmailConfirmedAsync(ApplicationUser account, bool confirmed, CancellationToken cancellationToken) => throw Unexpected();

        public Task SetNormalizedEmailAsync(ApplicationUser account, string? normalizedEmail, CancellationToken cancellationToken) => throw Unexpected();

        public Task SetTwoFactorEnabledAsync(ApplicationUser account, bool enabled, CancellationToken cancellationToken) => throw Unexpected();

        public Task<IdentityResult> CreateAsync(ApplicationUser account, CancellationToken cancellationToken) => throw Unexpected();

        public Task<IdentityResult> UpdateAsync(ApplicationUser account, CancellationToken cancellationToken) => throw Unexpected();

        public Task<IdentityResult> DeleteAsync(ApplicationUser account, CancellationToken cancellationToken) => throw Unexpected();

        public void Dispose()
        {
        }

        private static NotSupportedException Unexpected() => new("A refused form must not change the user.");
    }
}
