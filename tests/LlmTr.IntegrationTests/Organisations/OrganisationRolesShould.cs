using LlmTr.IntegrationTests.Accounts;
using LlmTr.Identity.Organisations;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Organisations;

/// <summary>
/// The service checks each actor's role itself, whatever a page shows: members change nothing, admins never touch
/// owners, an organisation always keeps an owner, and a personal organisation has no one but its account.
/// </summary>
public sealed class OrganisationRolesShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    private LlmTrHostFactory Host => fixture.Host;

    private IOrganisations Organisations => Host.Organisations();

    [Fact]
    public async Task ForbidAPlainMemberOrABillingMemberToInviteRemoveOrChangeRoles()
    {
        var owner = await TestAccounts.CreateUserAsync(Host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(Host, owner);
        var member = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Member);
        var billing = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Billing);
        var other = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Member);

        foreach (var actor in new[] { member, billing })
        {
            Assert.Equal(OrganisationChangeStatus.Forbidden, (await Organisations.InviteAsync(organisation, actor, HostFixture.NewEmail(), OrganisationRole.Member)).Status);
            Assert.Equal(OrganisationChangeStatus.Forbidden, (await Organisations.RemoveAsync(organisation, actor, other)).Status);
            Assert.Equal(OrganisationChangeStatus.Forbidden, (await Organisations.ChangeRoleAsync(organisation, actor, other, OrganisationRole.Admin)).Status);
            Assert.Equal(OrganisationChangeStatus.Forbidden, (await Organisations.ChangeRoleAsync(organisation, actor, actor, OrganisationRole.Owner)).Status);
            Assert.Equal(OrganisationChangeStatus.Forbidden, (await Organisations.RenameAsync(organisation, actor, "Taken over")).Status);
        }

        Assert.Equal(4, (await Organisations.MembersAsync(organisation)).Count);
        Assert.Equal(OrganisationRole.Member, (await Organisations.MembershipAsync(organisation, other))!.Role);
        Assert.Empty(await Organisations.InvitationsAsync(organisation));

        // A stranger is told the organisation is not there at all.
        var stranger = await TestAccounts.CreateUserAsync(Host);
        Assert.Equal(OrganisationChangeStatus.NotFound, (await Organisations.InviteAsync(organisation, stranger, HostFixture.NewEmail(), OrganisationRole.Member)).Status);
        Assert.Equal(OrganisationChangeStatus.NotFound, (await Organisations.RemoveAsync(organisation, stranger, member)).Status);
    }

    [Fact]
    public async Task LetAnAdminManageMembersButNeverTouchAnOwner()
    {
        var owner = await TestAccounts.CreateUserAsync(Host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(Host, owner);
        var admin = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Admin);
        var member = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Member);

        Assert.Equal(OrganisationChangeStatus.Forbidden, (await Organisations.ChangeRoleAsync(organisation, admin, owner, OrganisationRole.Member)).Status);
        Assert.Equal(OrganisationChangeStatus.Forbidden, (await Organisations.RemoveAsync(organisation, admin, owner)).Status);
        Assert.Equal(OrganisationChangeStatus.Forbidden, (await Organisations.ChangeRoleAsync(organisation, admin, member, OrganisationRole.Owner)).Status);
        Assert.Equal(OrganisationChangeStatus.Forbidden, (await Organisations.ChangeRoleAsync(organisation, admin, admin, OrganisationRole.Owner)).Status);
        Assert.Equal(OrganisationRole.Owner, (await Organisations.MembershipAsync(organisation, owner))!.Role);

        Assert.True((await Organisations.ChangeRoleAsync(organisation, admin, member, OrganisationRole.Billing)).Succeeded);
        Assert.Equal(OrganisationRole.Billing, (await Organisations.MembershipAsync(organisation, member))!.Role);
        Assert.True((await Organisations.RemoveAsync(organisation, admin, member)).Succeeded);
        Assert.Null(await Organisations.MembershipAsync(organisation, member));
        Assert.Contains(await Organisations.AuditAsync(organisation, 20), a => a.Target == $"member:{member}" && a.Details == "billing");
    }

    [Fact]
    public async Task KeepTheLastOwnerFromLeavingOrBeingDemoted()
    {
        var owner = await TestAccounts.CreateUserAsync(Host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(Host, owner);
        var admin = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Admin);

        Assert.Equal(OrganisationChangeStatus.LastOwner, (await Organisations.RemoveAsync(organisation, owner, owner)).Status);
        Assert.Equal(OrganisationChangeStatus.LastOwner, (await Organisations.ChangeRoleAsync(organisation, owner, owner, OrganisationRole.Admin)).Status);
        Assert.Equal(OrganisationRole.Owner, (await Organisations.MembershipAsync(organisation, owner))!.Role);

        // With a second owner the first may step down, and then the second is the last.
        Assert.True((await Organisations.ChangeRoleAsync(organisation, owner, admin, OrganisationRole.Owner)).Succeeded);
        Assert.True((await Organisations.RemoveAsync(organisation, owner, owner)).Succeeded);
        Assert.Null(await Organisations.MembershipAsync(organisation, owner));
        Assert.Equal(OrganisationChangeStatus.LastOwner, (await Organisations.RemoveAsync(organisation, admin, admin)).Status);
        Assert.Equal(OrganisationChangeStatus.LastOwner, (await Organisations.ChangeRoleAsync(organisation, admin, admin, OrganisationRole.Member)).Status);
        Assert.Equal([admin], (await Organisations.MembersAsync(organisation)).Select(m => m.UserId));
    }

    [Fact]
    public async Task KeepAPersonalOrganisationToItsAccount()
    {
        var user = await TestAccounts.CreateUserAsync(Host);
        var other = await TestAccounts.CreateUserAsync(Host);

        var personal = (await Organisations.MembershipsAsync(user))[0];
        var invited = await Organisations.InviteAsync(user, user, await OrganisationTesting.EmailOfAsync(Host, other), OrganisationRole.Member);
        var left = await Organisations.RemoveAsync(user, user, user);

        Assert.Equal((user, true, OrganisationRole.Owner), (personal.OrganisationId, personal.Organisation.Personal, personal.Role));
        Assert.Equal(OrganisationChangeStatus.Personal, invited.Status);
        Assert.Equal(OrganisationChangeStatus.Personal, left.Status);
        Assert.Empty(await Organisations.InvitationsAsync(user));
        Assert.Empty(MailedLinks.MailsTo(Host, await OrganisationTesting.EmailOfAsync(Host, other)));
        Assert.Equal([user], (await Organisations.MembersAsync(user)).Select(m => m.UserId));
    }

    [Fact]
    public void GiveEveryRoleOnlyItsPermissions()
    {
        var expected = new Dictionary<OrganisationRole, OrganisationPermission[]>
        {
            [OrganisationRole.Owner] = Enum.GetValues<OrganisationPermission>(),
            [OrganisationRole.Admin] = [OrganisationPermission.ManageMembers, OrganisationPermission.ManageKeys, OrganisationPermission.ManagePolicies, OrganisationPermission.ViewReports, OrganisationPermission.ViewAudit],
            [OrganisationRole.Billing] = [OrganisationPermission.ManageBilling, OrganisationPermission.ViewReports],
            [OrganisationRole.Member] = [],
        };

        foreach (var (role, permissions) in expected)
        {
            Assert.Equal(permissions.Order(), Enum.GetValues<OrganisationPermission>().Where(p => role.Can(p)).Order());
        }

        Assert.False(OrganisationRoles.TryParse("0", out _));
        Assert.True(OrganisationRoles.TryParse("Billing", out var billing) && billing == OrganisationRole.Billing);
    }
}
