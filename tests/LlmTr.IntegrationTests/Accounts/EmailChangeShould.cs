using System.Net;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Accounts;

/// <summary>
/// Changing the account's address from the settings: a link mailed to the new address, the change made only when it is
/// opened, a notice to the old address, and field messages for what the person can fix.
/// </summary>
public sealed class EmailChangeShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    private const string Page = "/account/manage/email";
    private const string Form = "change-email";
    private const string LinkPath = "/account/confirm-email-change";

    [Fact]
    public async Task MailALinkToTheNewAddressAndChangeOnlyWhenItIsOpened()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = browser;
        var oldEmail = await MailedLinks.EmailOfAsync(fixture.Host, userId);
        var newEmail = HostFixture.NewEmail();
        using var elsewhere = new FormClient(fixture.Host);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.SubmitAsync("/account/login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = oldEmail,
            ["Input.Password"] = TestAccounts.Password,
        })).StatusCode);

        var asked = await browser.SubmitAsync(Page, Form, Fields(newEmail, TestAccounts.Password));

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.Equal(Page, FormClient.LocationOf(asked));
        Assert.Contains("Check the new address", await (await browser.GetAsync(Page)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var link = await MailedLinks.LinkAsync(fixture.Host, newEmail, LinkPath);
        Assert.StartsWith("/account/confirm-email-change?userId=", link, StringComparison.Ordinal);
        Assert.Equal(oldEmail, await MailedLinks.EmailOfAsync(fixture.Host, userId)); // nothing changes before the link is opened
        Assert.Empty(MailedLinks.MailsTo(fixture.Host, oldEmail));

        var opened = await browser.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains($"your account now uses {newEmail}", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var user = (await MailedLinks.UserAsync(fixture.Host, userId))!;
        Assert.Equal((newEmail, newEmail, true), (user.Email, user.UserName, user.EmailConfirmed));
        var notice = await MailedLinks.BodyAsync(fixture.Host, oldEmail, "The e-mail address of your LLMTR account was changed");
        Assert.DoesNotContain(newEmail, notice, StringComparison.Ordinal); // the old address is not told where the account went
        Assert.True(await MailedLinks.SignsInAsync(fixture.Host, newEmail, TestAccounts.Password));
        Assert.False(await MailedLinks.SignsInAsync(fixture.Host, oldEmail, TestAccounts.Password));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/manage")).StatusCode); // the session that opened the link goes on
        Assert.Contains(newEmail, await (await browser.GetAsync("/account/manage")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.GetAsync("/account/manage")).StatusCode); // the other one has ended
        Assert.Equal(1, await Sql.CountAsync(fixture.Host.ConnectionString,
            """SELECT count(*) FROM identity.admin_audit WHERE "Action" = 'user.email-changed' AND "Target" = @t""", ("t", $"user:{userId}")));

        // The change renewed the security stamp: the link cannot be used twice.
        var again = await browser.GetAsync(link);
        Assert.Contains("This link does not work", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("same", "Correct-Horse-42", "This is already your address.")]
    [InlineData("not-an-address", "Correct-Horse-42", "Enter a valid e-mail address")]
    [InlineData("", "Correct-Horse-42", "Enter your e-mail address.")]
    [InlineData("ayşe@llmtr.test", "Correct-Horse-42", "The e-mail address contains characters that cannot be used.")]
    [InlineData("new", "Wrong-Horse-42", "The password is not right.")]
    [InlineData("new", "", "Enter your current password.")]
    public async Task AnswerWhatCanBeFixedNextToItsFieldAndMailNobody(string address, string password, string message)
    {
        var (userId, browser) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = browser;
        var email = await MailedLinks.EmailOfAsync(fixture.Host, userId);
        var newEmail = address switch
        {
            "same" => email.ToUpperInvariant(),
            "new" => HostFixture.NewEmail(),
            _ => address,
        };

        var answer = await browser.SubmitAsync(Page, Form, Fields(newEmail, password));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var html = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        Assert.Contains($"class=\"validation-message\">{message}", html, StringComparison.Ordinal);
        Assert.Equal(email, await MailedLinks.EmailOfAsync(fixture.Host, userId));
        Assert.Empty(MailedLinks.MailsTo(fixture.Host, newEmail));
    }

    [Fact]
    public async Task AnswerATakenAddressAsAFreeOneAndTellOnlyWhoReadsThatMailbox()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = browser;
        var email = await MailedLinks.EmailOfAsync(fixture.Host, userId);
        var taken = await MailedLinks.EmailOfAsync(fixture.Host, await TestAccounts.CreateUserAsync(fixture.Host));
        var free = HostFixture.NewEmail();

        var forTaken = await browser.SubmitAsync(Page, Form, Fields(taken, TestAccounts.Password));
        var forFree = await browser.SubmitAsync(Page, Form, Fields(free, TestAccounts.Password));

        Assert.Equal((forFree.StatusCode, FormClient.LocationOf(forFree)), (forTaken.StatusCode, FormClient.LocationOf(forTaken)));
        await MailedLinks.LinkAsync(fixture.Host, free, LinkPath);
        var told = await MailedLinks.BodyAsync(fixture.Host, taken, "Your e-mail address and LLMTR");
        Assert.Contains("already has an LLMTR account", told, StringComparison.Ordinal);
        Assert.DoesNotContain("http", told, StringComparison.Ordinal); // no link that could move the account there
        Assert.Equal(email, await MailedLinks.EmailOfAsync(fixture.Host, userId));
    }

    [Fact]
    public async Task LeaveTheAddressAsItIsWhenAnotherAccountTookItBeforeTheLinkWasOpened()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = browser;
        var email = await MailedLinks.EmailOfAsync(fixture.Host, userId);
        var wanted = HostFixture.NewEmail();
        await browser.SubmitAsync(Page, Form, Fields(wanted, TestAccounts.Password));
        var link = await MailedLinks.LinkAsync(fixture.Host, wanted, LinkPath);

        using var someoneElse = new FormClient(fixture.Host);
        var registered = await someoneElse.SubmitAsync("/account/register", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = wanted,
            ["Input.Password"] = TestAccounts.Password,
            ["Input.ConfirmPassword"] = TestAccounts.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);

        var opened = await browser.GetAsync(link);

        Assert.Contains("Another account has taken this address", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(email, await MailedLinks.EmailOfAsync(fixture.Host, userId));
    }

    [Fact]
    public async Task RefuseALinkWhoseAddressWasEdited()
    {
        var (userId, browser) = await TestAccounts.SignInAsync(fixture.Host);
        using var _ = browser;
        var email = await MailedLinks.EmailOfAsync(fixture.Host, userId);
        var wanted = HostFixture.NewEmail();
        await browser.SubmitAsync(Page, Form, Fields(wanted, TestAccounts.Password));
        var link = await MailedLinks.LinkAsync(fixture.Host, wanted, LinkPath);
        var elsewhere = HostFixture.NewEmail();

        var opened = await browser.GetAsync(link.Replace(Uri.EscapeDataString(wanted), Uri.EscapeDataString(elsewhere), StringComparison.Ordinal));

        Assert.Contains("This link does not work", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(email, await MailedLinks.EmailOfAsync(fixture.Host, userId));
    }

    private static Dictionary<string, string> Fields(string newEmail, string password) => new()
    {
        ["Input.NewEmail"] = newEmail,
        ["Input.CurrentPassword"] = password,
    };
}
