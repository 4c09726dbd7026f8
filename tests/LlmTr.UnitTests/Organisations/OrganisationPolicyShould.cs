using LlmTr.Identity.Organisations;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.UnitTests.Organisations;

public sealed class OrganisationPolicyShould
{
    private static readonly ApiKeyIdentity Key = new(Guid.NewGuid(), "org_1", "backend", 600, null, new ApiKeyScope(["openai/*"], TurkeyOnly: false));

    [Fact]
    public void NameItselfWhenItRefusesAModelAndComeBeforeTheKeysOwnScope()
    {
        var identity = Key with { Policy = new OrganisationPolicy(TurkeyOnly: true, NoRetention: false, [], null) };

        var denial = identity.Denial("openai/gpt-4o", hostedInTurkey: false, retainsNothing: true);

        Assert.StartsWith("Your organisation's policy 'residency: Turkey only' forbids 'openai/gpt-4o'", denial, StringComparison.Ordinal);
        Assert.StartsWith("This API key may not call 'llmtr/demo'", identity.Denial("llmtr/demo", hostedInTurkey: true, retainsNothing: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai/gpt-4o", true, true, null)]
    [InlineData("anthropic/claude-sonnet-4.5", true, true, "allowed models")]
    [InlineData("openai/gpt-4o", true, false, "retention: none")]
    public void AllowOnlyWhatEveryRuleAllows(string model, bool inTurkey, bool retainsNothing, string? rule)
    {
        var policy = new OrganisationPolicy(TurkeyOnly: false, NoRetention: true, ["openai/*", "llmtr/demo"], null);

        var denial = policy.Denial(model, inTurkey, retainsNothing);

        if (rule is null)
        {
            Assert.Null(denial);
        }
        else
        {
            Assert.Contains($"'{rule}'", denial, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CapAKeysRateWithoutRaisingIt()
    {
        var policy = new OrganisationPolicy(false, false, [], MaxRequestsPerMinute: 100);

        Assert.Equal(100, policy.Cap(600));
        Assert.Equal(30, policy.Cap(30));
        Assert.Equal(600, OrganisationPolicy.None.Cap(600));
        Assert.True(OrganisationPolicy.None.IsEmpty);
    }

    [Fact]
    public void CountAMembersSpendUnderOneIdPerOrganisation()
    {
        Assert.Equal(MemberBudget.SpendIdOf("org_1", "user-1"), MemberBudget.SpendIdOf("org_1", "user-1"));
        Assert.NotEqual(MemberBudget.SpendIdOf("org_1", "user-1"), MemberBudget.SpendIdOf("org_2", "user-1"));
        Assert.NotEqual(MemberBudget.SpendIdOf("org_1", "user-1"), MemberBudget.SpendIdOf("org_1", "user-2"));
        Assert.Equal(8, MemberBudget.SpendIdOf("org_1", "user-1").Version);
    }

    [Theory]
    [InlineData(OrganisationRole.Owner, "ManageMembers ManageKeys ManagePolicies ManageBilling ViewReports ViewAudit Own")]
    [InlineData(OrganisationRole.Admin, "ManageMembers ManageKeys ManagePolicies ViewReports ViewAudit")]
    [InlineData(OrganisationRole.Billing, "ManageBilling ViewReports")]
    [InlineData(OrganisationRole.Member, "")]
    public void GrantEachRoleWhatTheDocsSay(OrganisationRole role, string granted)
    {
        var allowed = Enum.GetValues<OrganisationPermission>().Where(p => role.Can(p)).Select(p => p.ToString());

        Assert.Equal(granted, string.Join(' ', allowed));
    }
}
