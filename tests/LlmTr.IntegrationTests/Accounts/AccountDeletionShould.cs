using System.Net;
using LlmTr.Identity;
using LlmTr.Identity.Administration;
using LlmTr.Identity.Closing;
using LlmTr.IntegrationTests.Billing;
using LlmTr.IntegrationTests.Keys;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Billing.Jobs;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Accounts;

/// <summary>
/// An owner deleting their account from the settings: keys stop on /v1, personal data and sessions go, the books (ledger,
/// usage, receipts with their buyer) stay, and the address can register again.
/// </summary>
public sealed class AccountDeletionShould : IAsyncLifetime
{
    private const string Page = "/account/manage/delete";
    private const string Form = "delete-account";
    private static readonly Uri Site = new("http://localhost");

    private LlmTrHostFactory host = null!;

    public async Task InitializeAsync()
    {
        host = new LlmTrHostFactory(await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites());
        _ = host.Services;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task RemoveWhatIsPersonalKeepTheBooksAndFreeTheAddress()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(host);
        using var _ = browser;
        var email = await MailedLinks.EmailOfAsync(host, userId);
        using var otherSession = new FormClient(host);
        Assert.True((await otherSession.SubmitAsync("/account/login", "login", Login(email))).StatusCode == HttpStatusCode.Redirect);

        var key = (await host.Services.GetRequiredService<IApiKeys>().CreateAsync(userId, new NewApiKey("backend"))).Key!;
        var authenticator = host.Services.GetRequiredService<IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(key.RawKey).Identity is not null), "the key to reach the key directory");
        var profiles = host.Services.GetRequiredService<IBillingProfiles>();
        Assert.Empty(await profiles.SaveAsync(userId, new BillingDetails(BuyerKind.Individual, "Ayşe Yılmaz", "Kadıköy, İstanbul", null, "10000000146")));
        var topUps = host.Services.GetRequiredService<ITopUps>();
        var paid = (await host.Services.GetRequiredService<ITestCheckout>().PayAsync(userId, (await topUps.StartAsync(userId, 10m, Site)).TopUpId!.Value))!;
        var unpaid = (await topUps.StartAsync(userId, 20m, Site)).TopUpId!.Value;
        var model = await BillingTesting.PricedModelAsync(host, (PriceUnit.Request, 0.01m, DateTimeOffset.UtcNow.AddDays(-1)));
        host.Services.GetRequiredService<IUsageRecorder>().Record(BillingTesting.Report(userId, key.Id, model, 10, 5));
        await Poll.UntilAsync(async () => await CountAsync("""SELECT count(*) FROM billing.usage_records WHERE "AccountId" = @a""", userId) == 1, "the usage row");
        var ledgerRows = await CountAsync("""SELECT count(*) FROM billing.ledger_entries WHERE "AccountId" = @a""", userId);
        Assert.True(ledgerRows > 0);

        var deleted = await browser.SubmitAsync(Page, Form, Fields(TestAccounts.Password, confirm: true));

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("/account/deleted", FormClient.LocationOf(deleted));
        Assert.Contains("Your account has been deleted", await (await browser.GetAsync("/account/deleted")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Keys: refused on /v1 (the revocation reached the key directory through LISTEN/NOTIFY).
        using var api = host.CreateClient();
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(key.RawKey).Identity is null), "the revoked key to leave the key directory");
        await ApiKeysShould.AssertAuthErrorAsync(await ApiKeysShould.SendAsync(api, key.RawKey), "Invalid API key.");

        // Identity: anonymised, locked, without secrets; no session left, in this browser or the other.
        var user = (await MailedLinks.UserAsync(host, userId))!;
        Assert.Equal(AccountClosure.PlaceholderEmail(userId), user.Email);
        Assert.Equal(AccountClosure.PlaceholderEmail(userId), user.UserName);
        Assert.Null(user.PasswordHash);
        Assert.Null(user.PhoneNumber);
        Assert.False(user.TwoFactorEnabled);
        Assert.NotNull(user.DeletedAt);
        Assert.Equal(UserAdministration.DisabledLockoutEnd, user.LockoutEnd);
        Assert.Equal(0, await CountAsync("""SELECT count(*) FROM identity.sessions WHERE "UserId" = @a""", userId));
        Assert.Equal(0, await CountAsync("""SELECT count(*) FROM identity."AspNetUserTokens" WHERE "UserId" = @a""", userId));
        Assert.Equal(0, await CountAsync("""SELECT count(*) FROM identity."AspNetUserRoles" WHERE "UserId" = @a""", userId));
        Assert.Equal(HttpStatusCode.Redirect, (await otherSession.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard")).StatusCode);
        Assert.False(await MailedLinks.SignsInAsync(host, email, TestAccounts.Password));
        Assert.Equal(1, await CountAsync("""SELECT count(*) FROM identity.admin_audit WHERE "Action" = 'user.deleted' AND "Target" = 'user:' || @a""", userId));
        Assert.Equal(0, await CountAsync("""SELECT count(*) FROM identity.admin_audit WHERE "Target" ILIKE '%' || @a || '%' AND "Target" NOT LIKE 'user:%'""", email));

        // Billing: details gone, the unpaid top-up called off; the ledger, the usage and the receipt with its buyer kept.
        Assert.Null(await profiles.GetAsync(userId));
        Assert.Equal(TopUpStatus.Cancelled, (await topUps.FindAsync(userId, unpaid))!.Status);
        var receipt = (await topUps.FindAsync(userId, paid.Id))!;
        Assert.Equal((TopUpStatus.Completed, "Ayşe Yılmaz", "10000000146"), (receipt.Status, receipt.Buyer?.Name, receipt.Buyer?.TaxId));
        Assert.Equal(ledgerRows, await CountAsync("""SELECT count(*) FROM billing.ledger_entries WHERE "AccountId" = @a""", userId));
        Assert.Equal(1, await CountAsync("""SELECT count(*) FROM billing.usage_records WHERE "AccountId" = @a""", userId));

        // The admin console shows the account as deleted, and the address is free to register again.
        var listed = (await host.Services.GetRequiredService<IUserAdministration>().SearchAsync(AccountClosure.PlaceholderEmail(userId), 0, 10)).Rows.Single();
        Assert.True(listed.IsDeleted);
        using var newcomer = new FormClient(host);
        var registered = await newcomer.SubmitAsync("/account/register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = TestAccounts.Password,
            ["Input.ConfirmPassword"] = TestAccounts.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        await MailedLinks.LinkAsync(host, email, "/account/confirm-email");
        Assert.True(await MailedLinks.SignsInAsync(host, email, TestAccounts.Password));
    }

    [Fact]
    public async Task AskForTheSecondFactorWhenTwoFactorSignInIsOn()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(host);
        using var _ = browser;
        string recoveryCode;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(userId))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            recoveryCode = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.First();
        }

        var withoutCode = await browser.SubmitAsync(Page, Form, Fields(TestAccounts.Password, confirm: true));
        var wrongCode = await browser.SubmitAsync(Page, Form, Fields(TestAccounts.Password, confirm: true, code: "000000"));

        Assert.Contains("class=\"validation-message\">Enter the code from your authenticator app", await withoutCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("class=\"validation-message\">This code is not right.", await wrongCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await MailedLinks.UserAsync(host, userId))!.DeletionStartedAt);

        var deleted = await browser.SubmitAsync(Page, Form, Fields(TestAccounts.Password, confirm: true, code: recoveryCode));

        Assert.Equal("/account/deleted", FormClient.LocationOf(deleted));
        Assert.Equal(0, await CountAsync("""SELECT count(*) FROM identity."AspNetUserTokens" WHERE "UserId" = @a""", userId)); // key and codes gone
    }

    [Fact]
    public async Task StopTheKeysOnAnotherHostToo()
    {
        await using var second = new LlmTrHostFactory(host.ConnectionString);
        var (userId, browser) = await TestAccounts.SignInAsync(host);
        using var _ = browser;
        var key = (await host.Services.GetRequiredService<IApiKeys>().CreateAsync(userId, new NewApiKey("backend"))).Key!;
        var onSecond = second.Services.GetRequiredService<IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(onSecond.Authenticate(key.RawKey).Identity is not null), "the second host to learn the key", TimeSpan.FromSeconds(10));

        Assert.Equal("/account/deleted", FormClient.LocationOf(await browser.SubmitAsync(Page, Form, Fields(TestAccounts.Password, confirm: true))));

        await Poll.UntilAsync(() => Task.FromResult(onSecond.Authenticate(key.RawKey).Failure == ApiKeyFailure.Unknown),
            "the second host to drop the deleted account's key", TimeSpan.FromSeconds(10));
        using var api = second.CreateClient();
        await ApiKeysShould.AssertAuthErrorAsync(await ApiKeysShould.SendAsync(api, key.RawKey), "Invalid API key.");
    }

    [Fact]
    public async Task WriteNoLowBalanceNoticeToADeletedAccount()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(host);
        using var _ = browser;
        await BillingTesting.GrantAsync(host, userId, 5m);
        Assert.Empty(await host.Services.GetRequiredService<IBillingAccounts>().SetLowBalanceThresholdAsync(userId, 10m));
        Assert.Equal("/account/deleted", FormClient.LocationOf(await browser.SubmitAsync(Page, Form, Fields(TestAccounts.Password, confirm: true))));

        await host.Services.GetRequiredService<LowBalanceNoticeJob>().RunAsync(CancellationToken.None);

        Assert.Empty(MailedLinks.MailsTo(host, AccountClosure.PlaceholderEmail(userId)));
    }

    [Theory]
    [InlineData("Wrong-Horse-42", true, "The password is not right.")]
    [InlineData("", true, "Enter your current password.")]
    [InlineData("Correct-Horse-42", false, "Tick the box to confirm that the account should be deleted.")]
    public async Task AnswerWhatIsMissingNextToItsFieldAndDeleteNothing(string password, bool confirm, string message)
    {
        var (userId, browser) = await TestAccounts.SignInAsync(host);
        using var _ = browser;
        var email = await MailedLinks.EmailOfAsync(host, userId);

        var answer = await browser.SubmitAsync(Page, Form, Fields(password, confirm));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains($"class=\"validation-message\">{message}", WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(email, await MailedLinks.EmailOfAsync(host, userId));
        Assert.Null((await MailedLinks.UserAsync(host, userId))!.DeletionStartedAt);
    }

    [Fact]
    public async Task CountWrongPasswordsTowardTheSignInLockout()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(host);
        using var _ = browser;
        var email = await MailedLinks.EmailOfAsync(host, userId);

        var answers = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++) // SignIn:MaxFailedAttempts
        {
            answers.Add(WebUtility.HtmlDecode(await (await browser.SubmitAsync(Page, Form, Fields("Wrong-Horse-42", confirm: true))).Content.ReadAsStringAsync()));
        }

        Assert.Contains("class=\"validation-message\">The password is not right.", answers[0], StringComparison.Ordinal);
        Assert.Contains("class=\"validation-message\">Too many wrong passwords.", answers[^1], StringComparison.Ordinal);
        var right = WebUtility.HtmlDecode(await (await browser.SubmitAsync(Page, Form, Fields(TestAccounts.Password, confirm: true))).Content.ReadAsStringAsync());
        Assert.Contains("Too many wrong passwords.", right, StringComparison.Ordinal); // even the right one waits now
        Assert.Null((await MailedLinks.UserAsync(host, userId))!.DeletionStartedAt);
        using var signIn = new FormClient(host);
        var locked = await signIn.SubmitAsync("/account/login", "login", Login(email));
        Assert.Equal("/account/lockout", FormClient.LocationOf(locked)); // the same lock as sign-in
    }

    [Fact]
    public async Task KeepTheLastAdminUntilAnotherAdminCanSignIn()
    {
        // This class's database has no other admin (no demo data): the first admin here is the last one.
        var (adminId, browser) = await TestAccounts.SignInAsync(host, isAdmin: true);
        using var _ = browser;

        var refused = await browser.SubmitAsync(Page, Form, Fields(TestAccounts.Password, confirm: true));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("You are the last admin", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Null((await MailedLinks.UserAsync(host, adminId))!.DeletionStartedAt);

        await TestAccounts.CreateUserAsync(host, isAdmin: true);
        var deleted = await browser.SubmitAsync(Page, Form, Fields(TestAccounts.Password, confirm: true));

        Assert.Equal("/account/deleted", FormClient.LocationOf(deleted));
        Assert.NotNull((await MailedLinks.UserAsync(host, adminId))!.DeletedAt);
    }

    [Fact]
    public async Task HoldAnAccountWhoseDeletionStoppedHalfWayAndFinishItWhenAskedAgain()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(host);
        using var _ = browser;
        var key = (await host.Services.GetRequiredService<IApiKeys>().CreateAsync(userId, new NewApiKey("backend"))).Key!;

        // As if the host stopped right after the first steps: the account marked, its keys revoked, nothing else done.
        Assert.Equal(ClosureStart.Started, await host.Services.GetRequiredService<IAccountClosure>().BeginAsync(userId));
        await host.Services.GetRequiredService<IApiKeyAdministration>().RevokeAllAsync(userId, userId);

        Assert.False(await host.Services.GetRequiredService<IEmailConfirmationGate>().AllowsAsync(userId)); // no new keys, no top-ups
        Assert.False((await host.Services.GetRequiredService<IApiKeys>().FindAsync(userId, key.Id))!.RevokedAt is null);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(Page)).StatusCode); // the owner can still come back

        var finished = await browser.SubmitAsync(Page, Form, Fields(TestAccounts.Password, confirm: true));

        Assert.Equal("/account/deleted", FormClient.LocationOf(finished));
        Assert.Equal(AccountClosure.PlaceholderEmail(userId), (await MailedLinks.UserAsync(host, userId))!.Email);
        Assert.True(await host.Services.GetRequiredService<IAccountClosure>().CompleteAsync(userId)); // and again: no harm, no second audit row
        Assert.Equal(1, await CountAsync("""SELECT count(*) FROM identity.admin_audit WHERE "Action" = 'user.deleted' AND "Target" = 'user:' || @a""", userId));
    }

    private Task<long> CountAsync(string sql, string value) => Sql.CountAsync(host.ConnectionString, sql, ("a", value));

    private static Dictionary<string, string> Login(string email) => new() { ["Input.Email"] = email, ["Input.Password"] = TestAccounts.Password };

    private static Dictionary<string, string> Fields(string password, bool confirm, string? code = null)
    {
        var fields = new Dictionary<string, string> { ["Input.Password"] = password };
        if (code is not null)
        {
            fields["Input.Code"] = code;
        }

        if (confirm)
        {
            fields["Input.Confirm"] = "true";
        }

        return fields;
    }
}
