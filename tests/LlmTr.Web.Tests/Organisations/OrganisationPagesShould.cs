using System.Security.Claims;
using Bunit;
using LlmTr.Identity.Organisations;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Web.Organisations;
using LlmTr.Web.Pages.Admin.Organisations;
using LlmTr.Web.Pages.Organisations;
using LlmTr.Web.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Web.Tests.Organisations;

/// <summary>
/// The organisation pages show each role what it may do and nothing more: members and invitations for owners and
/// admins, the policy form for them and a summary for everyone else, the audit log for owners and admins, what each
/// member spent, and field messages under their fields.
/// </summary>
public sealed class OrganisationPagesShould : WebTestContext
{
    private const string Org = "org_acme";
    private readonly FakeAccount account = new();
    private readonly FixedSpending spending = new();

    public OrganisationPagesShould()
    {
        Services.AddSingleton<IApiKeys>(account);
        Services.AddSingleton<IBillingAccounts>(account);
        Services.AddSingleton<IKeySpending>(spending);
        Services.AddSingleton<IBalanceQuery>(new FixedBalance());
        Services.AddSingleton(TimeProvider.System);
        Authorization.SetAuthorized("owner@acme.test");
        Organisations.Add(Org, "Acme", "owner-1", "owner@acme.test", OrganisationRole.Owner);
        Organisations.Add(Org, "Acme", "admin-1", "admin@acme.test", OrganisationRole.Admin);
        Organisations.Add(Org, "Acme", "billing-1", "billing@acme.test", OrganisationRole.Billing);
        Organisations.Add(Org, "Acme", "member-1", "member@acme.test", OrganisationRole.Member);
    }

    [Fact]
    public void GiveAnOwnerEveryPartOfTheOrganisationPage()
    {
        var page = RenderAs("owner-1", OrganisationRole.Owner);

        Assert.Equal("Acme", page.Find("[data-testid=organisation-title]").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=invite-send]"));
        Assert.NotNull(page.Find("[data-testid=policy-save]"));
        Assert.NotNull(page.Find("[data-testid=organisation-audit]"));
        Assert.NotNull(page.Find("[data-testid='remove-member@acme.test']"));
        Assert.NotNull(page.Find("[data-testid='budget-save-member@acme.test']"));
    }

    [Fact]
    public void ShowAPlainMemberThePolicyButNoWayToChangeIt()
    {
        Policies.Policies[Org] = new OrganisationPolicy(true, false, [], null);

        var page = RenderAs("member-1", OrganisationRole.Member);

        Assert.Empty(page.FindAll("[data-testid=invite-send]"));
        Assert.Empty(page.FindAll("[data-testid=policy-save]"));
        Assert.Empty(page.FindAll("[data-testid=organisation-audit]"));
        Assert.Empty(page.FindAll("[data-testid^=remove-]"));
        Assert.Empty(page.FindAll("[data-testid^=budget-save-]"));
        Assert.Contains("Residency: Turkey only", page.Find("[data-testid=policy-turkey-only]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=leave-organisation]"));
    }

    [Fact]
    public void KeepTheAuditLogFromABillingMember()
    {
        var page = RenderAs("billing-1", OrganisationRole.Billing);

        Assert.Empty(page.FindAll("[data-testid=organisation-audit]"));
        Assert.Empty(page.FindAll("[data-testid=invite-send]"));
    }

    [Fact]
    public void LetAnAdminInviteButNotOfferTheOwnerRole()
    {
        var page = RenderAs("admin-1", OrganisationRole.Admin);

        page.Find("input[data-testid=invite-email], [data-testid=invite-email] input").Change("new@acme.test");
        page.Find("[data-testid=invite-send]").Click();

        page.WaitForAssertion(() => Assert.Equal((Org, "new@acme.test", OrganisationRole.Member), Assert.Single(Organisations.Invited)));
        Assert.Contains("An invitation is on its way to new@acme.test.", page.Markup, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid='invitation-new@acme.test']"));
        Assert.Empty(page.FindAll("[data-testid='remove-owner@acme.test']"));
    }

    [Fact]
    public void SayUnderTheFieldWhatIsWrongWithAnInvitation()
    {
        var page = RenderAs("owner-1", OrganisationRole.Owner);

        page.Find("input[data-testid=invite-email], [data-testid=invite-email] input").Change("not-an-address");
        page.Find("[data-testid=invite-send]").Click();

        page.WaitForAssertion(() => Assert.Contains("Enter an e-mail address such as name@example.com.", page.Markup, StringComparison.Ordinal));
        Assert.Empty(Organisations.Invited);
    }

    [Fact]
    public void SaveAPolicyAndSayUnderTheFieldWhenAPatternIsWrong()
    {
        var page = RenderAs("owner-1", OrganisationRole.Owner);

        page.Find("textarea[data-testid=policy-models-field], [data-testid=policy-models-field] textarea").Change("gpt 4o");
        page.Find("[data-testid=policy-save]").Click();
        page.WaitForAssertion(() => Assert.Contains("contains a space", page.Find("[data-testid=policy-form]").TextContent, StringComparison.Ordinal));
        Assert.False(Policies.Policies.ContainsKey(Org));

        page.Find("textarea[data-testid=policy-models-field], [data-testid=policy-models-field] textarea").Change("llmtr/*");
        page.Find("[data-testid=policy-save]").Click();

        page.WaitForAssertion(() => Assert.Equal(["llmtr/*"], Policies.Policies[Org].AllowedModels));
    }

    [Fact]
    public void ShowWhatEachMemberSpentThroughAllTheirKeys()
    {
        spending.Spend[MemberBudget.SpendIdOf(Org, "member-1")] = new KeySpendSummary(12.5m, 2.25m, "USD");

        var page = RenderAs("owner-1", OrganisationRole.Owner);

        Assert.Equal("2.25 USD", page.Find("[data-testid='spent-month-member@acme.test']").TextContent.Trim());
        Assert.Equal("12.50 USD", page.Find("[data-testid='spent-total-member@acme.test']").TextContent.Trim());
        Assert.Equal("0.00 USD", page.Find("[data-testid='spent-month-admin@acme.test']").TextContent.Trim());
    }

    [Fact]
    public void SendAPersonalOrganisationToCreatingOne()
    {
        ActInPersonalOrganisation("owner-1");
        Interactive();

        var page = Render<OrganisationPage>();

        Assert.NotNull(page.Find("[data-testid=personal-organisation]"));
        Assert.Empty(page.FindAll("[data-testid=members]"));
    }

    [Fact]
    public void ListTheUsersOrganisationsAndSayWhatIsWrongWithAName()
    {
        ActInPersonalOrganisation("owner-1");
        Interactive();

        var page = Render<OrganisationsPage>();

        Assert.Contains("Personal", page.Find("[data-testid=organisations]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find($"[data-testid=organisation-{Org}]"));
        page.Find("[data-testid=create-organisation]").Click();
        page.WaitForAssertion(() => Assert.Contains("Give the organisation a name.", page.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void ShowTheBalanceToEveryoneButTheLowBalanceThresholdOnlyToThoseWhoPay()
    {
        Interactive();

        var payer = Render<LlmTr.Web.Pages.Billing.BalanceCard>(p => p.Add(c => c.AccountId, Org));
        var reader = Render<LlmTr.Web.Pages.Billing.BalanceCard>(p => p.Add(c => c.AccountId, Org).Add(c => c.MayChangeThreshold, false));

        Assert.NotEmpty(payer.FindAll("[data-testid=threshold]"));
        Assert.NotEmpty(reader.FindAll("[data-testid=balance]"));
        Assert.Empty(reader.FindAll("[data-testid=threshold]"));
        Assert.DoesNotContain("Save threshold", reader.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void NameThePolicyOnTheRoleNoticeOfABillingPageForAPlainMember()
    {
        ActIn(new Membership(Organisations.Organisations[Org], "member-1", OrganisationRole.Member));
        Interactive();

        var notice = Render<RoleNotice>(p => p.Add(n => n.Permission, OrganisationPermission.ManageBilling));

        Assert.Contains("Your role in Acme is Member: top-ups, receipts and invoice details are for its owners and billing members.", notice.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ListOrganisationsForSiteAdminsWithTheirPolicies()
    {
        Policies.Policies[Org] = new OrganisationPolicy(true, false, ["llmtr/*"], 60);
        Interactive();

        var page = Render<AdminOrganisations>();

        Assert.Contains("owner@acme.test", page.Find($"[data-testid=admin-organisation-{Org}]").ParentElement!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Residency: Turkey only · Allowed models: llmtr/* · At most 60 requests per minute per key",
            page.Find("[data-testid=admin-organisation-policy]").TextContent.Trim());
    }

    private IRenderedComponent<OrganisationPage> RenderAs(string userId, OrganisationRole role)
    {
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
        ActIn(new Membership(Organisations.Organisations[Org], userId, role));
        Interactive();
        Render<MudBlazor.MudPopoverProvider>();
        return Render<OrganisationPage>();
    }

    private void Interactive() => Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    private sealed class FixedSpending : IKeySpending
    {
        public Dictionary<Guid, KeySpendSummary> Spend { get; } = [];

        public Task<IReadOnlyDictionary<Guid, KeySpendSummary>> ForAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyDictionary<Guid, KeySpendSummary>>(Spend);
    }

    private sealed class FixedBalance : IBalanceQuery
    {
        public Task<AccountBalance> GetAsync(string accountId, CancellationToken cancellationToken = default) =>
            Task.FromResult(new AccountBalance(accountId, 40m, "USD"));
    }
}
