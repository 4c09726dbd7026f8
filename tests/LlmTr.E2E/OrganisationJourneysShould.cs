using System.Text.RegularExpressions;
using LlmTr.Testing;
using Microsoft.Playwright;

namespace LlmTr.E2E;

/// <summary>
/// A shared organisation in Chromium: its owner and an invited member, each in a browser of their own, with the
/// invitation read from the dev mailbox as on a fresh machine.
/// </summary>
public sealed partial class OrganisationJourneysShould(SiteFixture site) : IClassFixture<SiteFixture>
{

    private static readonly string[] AuditedActions = ["organisation.created", "member.invited", "member.joined", "policy.changed", "billing.top-up-completed"];

    [Fact]
    public async Task InviteABillingMemberWhoTopsUpAndUsesTheOrganisationUnderATurkeyOnlyPolicy()
    {
        var owner = await site.NewPageAsync();
        var member = await site.NewPageAsync();
        var ownerEmail = $"org-owner-{Guid.NewGuid():N}@llmtr.test";
        var memberEmail = $"org-billing-{Guid.NewGuid():N}@llmtr.test";
        var name = $"Anadolu Yazılım {Guid.NewGuid().ToString("N")[..6]}";
        string? requestId = null;

        await SiteFixture.JourneyAsync(owner, "organisation-owner-creates-and-invites", async () =>
        {
            await Visitors.RegisterAsync(owner, ownerEmail);

            // Creating an organisation switches into it and opens its page.
            await owner.GotoAsync("/organisations");
            await Assertions.Expect(owner.GetByTestId("create-organisation")).ToBeEnabledAsync(); // interactive now
            await owner.GetByTestId("organisation-name").FillAsync(name);
            await owner.GetByTestId("create-organisation").ClickAsync();
            await owner.WaitForURLAsync(OrganisationPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(owner.GetByTestId("organisation-title")).ToHaveTextAsync(name);
            await Assertions.Expect(owner.GetByTestId("current-organisation")).ToContainTextAsync(name);
            await Assertions.Expect(owner.GetByTestId($"member-{ownerEmail}")).ToBeVisibleAsync();

            // The second person is invited as a billing member.
            await Assertions.Expect(owner.GetByTestId("invite-send")).ToBeEnabledAsync();
            await owner.GetByTestId("invite-email").FillAsync(memberEmail);
            await ChooseAsync(owner, "invite-role", "Billing");
            await owner.GetByTestId("invite-send").ClickAsync();
            await Assertions.Expect(owner.GetByTestId($"invitation-{memberEmail}")).ToBeVisibleAsync();
            await Assertions.Expect(owner.GetByRole(AriaRole.Row).Filter(new() { HasText = memberEmail })).ToContainTextAsync("Billing");
        });

        await SiteFixture.JourneyAsync(member, "organisation-invitee-signs-up-and-accepts", async () =>
        {
            // A visitor without an account follows the mailed link, signs up with the invited address and comes back to it.
            await member.GotoAsync(await Visitors.MailedInvitationAsync(owner, memberEmail));
            await Assertions.Expect(member.GetByTestId("invitation")).ToContainTextAsync(name);
            await Assertions.Expect(member.GetByTestId("invitation")).ToContainTextAsync(memberEmail);
            await member.GetByTestId("invitation-sign-up").ClickAsync();
            await Visitors.ArriveAsync(member, RegisterForInvitation(), "Create your LLMTR account");
            await member.GetByLabel("E-mail").FillAsync(memberEmail);
            await member.GetByLabel("Password", new() { Exact = true }).FillAsync(Visitors.Password);
            await member.GetByLabel("Confirm password").FillAsync(Visitors.Password);
            await member.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

            await Visitors.ArriveAsync(member, SignInForInvitation(), "Sign in to LLMTR");
            await member.GetByLabel("E-mail").FillAsync(memberEmail);
            await member.GetByLabel("Password").FillAsync(Visitors.Password);
            await member.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await member.WaitForURLAsync(InvitationPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });

            // Accepting (which also confirms the address the link reached) switches into the organisation.
            await member.GetByTestId("invitation-accept").ClickAsync();
            await member.WaitForURLAsync(OrganisationPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(member.GetByTestId("organisation-title")).ToHaveTextAsync(name);
            await Assertions.Expect(member.GetByText("Your role: Billing.")).ToBeVisibleAsync();
            await Assertions.Expect(member.GetByTestId("invite-send")).ToHaveCountAsync(0);

            // A billing member tops up the organisation's one balance through the test checkout.
            await member.GotoAsync("/dashboard/billing");
            var presets = member.GetByTestId("preset");
            await Assertions.Expect(presets.Nth(2)).ToBeEnabledAsync();
            await presets.Nth(2).ClickAsync();
            await Assertions.Expect(member.GetByTestId("quote-total")).ToHaveTextAsync("53.00 USD");
            await member.GetByTestId("pay").ClickAsync();
            await member.WaitForURLAsync(TestCheckoutPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await member.GetByTestId("test-pay").ClickAsync();
            await member.WaitForURLAsync(ReturnedPage(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(member.GetByTestId("balance-amount")).ToHaveTextAsync("50.00 USD");
            await Assertions.Expect(member.GetByTestId("top-up-history")).ToContainTextAsync("Completed");
        });

        await SiteFixture.JourneyAsync(owner, "organisation-owner-sets-the-policy", async () =>
        {
            // The owner sees the new member and the credit the billing member bought.
            await owner.GotoAsync("/organisation");
            await Assertions.Expect(owner.GetByTestId($"member-{memberEmail}")).ToBeVisibleAsync();
            await Assertions.Expect(owner.GetByTestId("policy-save")).ToBeEnabledAsync();
            await owner.GetByLabel("Residency: Turkey only").CheckAsync();
            await owner.GetByTestId("policy-save").ClickAsync();
            await Assertions.Expect(owner.GetByText("The policy is saved")).ToBeVisibleAsync();

            await owner.GotoAsync("/dashboard/keys");
            await Assertions.Expect(owner.GetByTestId("organisation-policy")).ToContainTextAsync(name);
            await Assertions.Expect(owner.GetByTestId("policy-turkey-only")).ToBeVisibleAsync();

            await owner.GotoAsync("/dashboard/billing");
            await Assertions.Expect(owner.GetByTestId("balance-amount")).ToHaveTextAsync("50.00 USD");
        });

        await SiteFixture.JourneyAsync(member, "organisation-member-under-the-policy", async () =>
        {
            // A model served outside Turkey is not offered under the policy (the gateway would refuse it before any
            // provider call, which the integration tests prove): asked for by address, the page falls back to the
            // built-in model.
            var message = member.Locator("textarea[data-testid=playground-message]");
            await member.GotoAsync("/dashboard/playground?model=openai/gpt-4o");
            await Assertions.Expect(message).ToBeEnabledAsync();
            await Assertions.Expect(member.Locator("main")).ToContainTextAsync("\"model\": \"llmtr/demo\""); // the page's code sample names the model chosen

            // The built-in model is answered by the gateway itself, in Turkey: allowed.
            await message.FillAsync("Merhaba");
            await member.GetByTestId("playground-send").ClickAsync();
            await Assertions.Expect(member.GetByTestId("turn-assistant")).ToContainTextAsync("You said: \"Merhaba");
            await Assertions.Expect(member.GetByTestId("answer-usage")).ToContainTextAsync("output tokens, cost");
            requestId = RequestId().Match(await member.GetByTestId("answer-usage").InnerTextAsync()).Value;
            Assert.NotEmpty(requestId);
        });

        await SiteFixture.JourneyAsync(owner, "organisation-owner-sees-the-members-use", async () =>
        {
            // The member's request is the organisation's: the owner finds it in the request log, named by the member.
            await Poll.UntilAsync(() => RequestLog.ListsAsync(owner, requestId!), "the member's request in the owner's request log", TimeSpan.FromSeconds(20));
            var row = owner.GetByRole(AriaRole.Row).Filter(new() { HasText = requestId });
            await Assertions.Expect(row).ToContainTextAsync($"Playground ({memberEmail})");
            await Assertions.Expect(row).ToContainTextAsync("200");

            // What each member spent (the demo model is free), and what was done, in the audit log.
            await owner.GotoAsync("/organisation");
            await Assertions.Expect(owner.GetByTestId($"spent-total-{memberEmail}")).ToHaveTextAsync("0.00 USD");
            await Assertions.Expect(owner.GetByTestId($"spent-month-{memberEmail}")).ToHaveTextAsync("0.00 USD");
            var actions = owner.GetByTestId("organisation-audit").GetByTestId("audit-action");
            foreach (var action in AuditedActions)
            {
                await Assertions.Expect(actions.Filter(new() { HasText = action }).First).ToBeVisibleAsync();
            }

            await Accessibility.AssertNoSeriousViolationsAsync(owner, interactive: true);
            Assert.Empty(SiteFixture.CspViolations(owner));
            Assert.Empty(SiteFixture.CspViolations(member));
        });
    }

    /// <summary>
    /// Picks an option of a select, and waits until the select shows it with its list closed: the choice reaches the
    /// page's state on the server in steps, and a button pressed in between would still see the old value.
    /// </summary>
    private static async Task ChooseAsync(IPage page, string testId, string option)
    {
        await page.GetByTestId(testId).ClickAsync();
        var choice = page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true });
        await choice.ClickAsync();
        await Assertions.Expect(choice).ToBeHiddenAsync();
        var select = page.GetByTestId(testId);
        await Assertions.Expect(select).ToHaveTextAsync(option);
        await Assertions.Expect(select).ToHaveAttributeAsync("aria-expanded", "false");
    }

    [GeneratedRegex("/organisation$")]
    private static partial Regex OrganisationPage();

    [GeneratedRegex("/organisations/invitations/[^/?]+$")]
    private static partial Regex InvitationPage();

    [GeneratedRegex("/account/register\\?returnUrl=%2Forganisations%2Finvitations%2F")]
    private static partial Regex RegisterForInvitation();

    [GeneratedRegex("/account/login\\?returnUrl=%2Forganisations%2Finvitations%2F")]
    private static partial Regex SignInForInvitation();

    [GeneratedRegex("/billing/test-checkout/[0-9a-f-]{36}$")]
    private static partial Regex TestCheckoutPage();

    [GeneratedRegex("/dashboard/billing\\?topUp=")]
    private static partial Regex ReturnedPage();

    [GeneratedRegex("req_[0-9a-f]{32}")]
    private static partial Regex RequestId();
}
