using LlmTr.IntegrationTests.Accounts;
using LlmTr.Identity.Organisations;
using LlmTr.Testing;

namespace LlmTr.IntegrationTests.Organisations;

/// <summary>
/// An invitation from mail to membership: the link in the mail, what it shows before it is accepted, who may accept it,
/// and every way it stops working (used, expired, revoked).
/// </summary>
public sealed class OrganisationInvitationsShould(HostFixture fixture) : IClassFixture<HostFixture>
{
    private LlmTrHostFactory Host => fixture.Host;

    private IOrganisations Organisations => Host.Organisations();

    [Fact]
    public async Task MailALinkThatOnlyTheInvitedAddressCanAcceptAndThatJoinsWithTheRole()
    {
        var owner = await TestAccounts.CreateUserAsync(Host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(Host, owner, "Acme Analytics");
        var invitee = await TestAccounts.CreateUserAsync(Host);
        var stranger = await TestAccounts.CreateUserAsync(Host);
        var email = await OrganisationTesting.EmailOfAsync(Host, invitee);
        await Sql.ExecuteAsync(Host.ConnectionString, "UPDATE identity.\"AspNetUsers\" SET \"EmailConfirmed\" = FALSE WHERE \"Id\" = @id", ("id", invitee));

        var invited = await Organisations.InviteAsync(organisation, owner, email, OrganisationRole.Billing);
        var token = await OrganisationTesting.InvitationTokenAsync(Host, email);

        Assert.True(invited.Succeeded);
        Assert.Equal(new InvitationPreview(organisation, "Acme Analytics", email, OrganisationRole.Billing, InvitationState.Pending), await Organisations.PreviewAsync(token));
        Assert.Equal([email], (await Organisations.InvitationsAsync(organisation)).Select(i => i.Email));

        var refused = await Organisations.AcceptAsync(token, stranger);
        Assert.Null(refused.Membership);
        Assert.Equal(OrganisationChangeStatus.Invalid, refused.Change.Status);
        Assert.Contains(email, refused.Change.Errors["Token"].Single(), StringComparison.Ordinal);
        Assert.Null(await Organisations.MembershipAsync(organisation, stranger));
        Assert.Equal(InvitationState.Pending, (await Organisations.PreviewAsync(token))!.State);

        var (membership, accepted) = await Organisations.AcceptAsync(token, invitee);

        Assert.True(accepted.Succeeded);
        Assert.Equal((organisation, OrganisationRole.Billing), (membership!.OrganisationId, membership.Role));
        Assert.Equal(OrganisationRole.Billing, (await Organisations.MembershipAsync(organisation, invitee))!.Role);
        Assert.Contains(await Organisations.MembershipsAsync(invitee), m => m.OrganisationId == organisation);
        Assert.Equal(InvitationState.Accepted, (await Organisations.PreviewAsync(token))!.State);
        Assert.Empty(await Organisations.InvitationsAsync(organisation));
        Assert.Equal(["True"], await Sql.RowsAsync(Host.ConnectionString, "SELECT \"EmailConfirmed\" FROM identity.\"AspNetUsers\" WHERE \"Id\" = @id", ("id", invitee)));
        var audit = await Organisations.AuditAsync(organisation, 20);
        Assert.Contains(audit, a => a.Target == $"member:{invitee}");
    }

    [Fact]
    public async Task RefuseALinkUsedTwiceByAnotherAccountAndATokenNeverIssued()
    {
        var owner = await TestAccounts.CreateUserAsync(Host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(Host, owner);
        var member = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Member);
        var token = await OrganisationTesting.InvitationTokenAsync(Host, await OrganisationTesting.EmailOfAsync(Host, member));

        var again = await Organisations.AcceptAsync(token, member);
        var byOwner = await Organisations.AcceptAsync(token, owner);

        Assert.True(again.Change.Succeeded); // the same account opening its link again: still a member, nothing new
        Assert.Equal(OrganisationRole.Member, again.Membership!.Role);
        Assert.Equal(OrganisationChangeStatus.Invalid, byOwner.Change.Status);
        Assert.Contains("already been accepted", byOwner.Change.Errors["Token"].Single(), StringComparison.Ordinal);
        Assert.Equal(2, (await Organisations.MembersAsync(organisation)).Count);

        Assert.Null(await Organisations.PreviewAsync("not-a-token"));
        Assert.Null(await Organisations.PreviewAsync(new string('A', 43)));
        Assert.Equal(OrganisationChangeStatus.NotFound, (await Organisations.AcceptAsync(new string('A', 43), member)).Change.Status);
    }

    [Fact]
    public async Task RefuseARevokedInvitation()
    {
        var owner = await TestAccounts.CreateUserAsync(Host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(Host, owner);
        var invitee = await TestAccounts.CreateUserAsync(Host);
        var email = await OrganisationTesting.EmailOfAsync(Host, invitee);
        Assert.True((await Organisations.InviteAsync(organisation, owner, email, OrganisationRole.Admin)).Succeeded);
        var token = await OrganisationTesting.InvitationTokenAsync(Host, email);
        var invitation = (await Organisations.InvitationsAsync(organisation)).Single();

        Assert.True((await Organisations.RevokeInvitationAsync(organisation, owner, invitation.Id)).Succeeded);
        var accepted = await Organisations.AcceptAsync(token, invitee);

        Assert.Equal(InvitationState.Revoked, (await Organisations.PreviewAsync(token))!.State);
        Assert.Equal(OrganisationChangeStatus.Invalid, accepted.Change.Status);
        Assert.Contains("withdrawn", accepted.Change.Errors["Token"].Single(), StringComparison.Ordinal);
        Assert.Null(await Organisations.MembershipAsync(organisation, invitee));
        Assert.Empty(await Organisations.InvitationsAsync(organisation));

        // Once revoked, the address can be invited afresh, and the new link works.
        Assert.True((await Organisations.InviteAsync(organisation, owner, email, OrganisationRole.Admin)).Succeeded);
        await Poll.UntilAsync(() => Task.FromResult(MailedLinks.MailsTo(Host, email).Count() == 2), "the second invitation mail");
        var fresh = await OrganisationTesting.InvitationTokenAsync(Host, email);
        Assert.NotEqual(token, fresh);
        Assert.True((await Organisations.AcceptAsync(fresh, invitee)).Change.Succeeded);
    }

    [Fact]
    public async Task RefuseASecondPendingInvitationForTheSameAddressAndAnInvitationOfAMember()
    {
        var owner = await TestAccounts.CreateUserAsync(Host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(Host, owner);
        var email = HostFixture.NewEmail();
        var member = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Member);

        var first = await Organisations.InviteAsync(organisation, owner, email, OrganisationRole.Member);
        var second = await Organisations.InviteAsync(organisation, owner, email.ToUpperInvariant(), OrganisationRole.Admin);
        var ofMember = await Organisations.InviteAsync(organisation, owner, await OrganisationTesting.EmailOfAsync(Host, member), OrganisationRole.Admin);

        Assert.True(first.Succeeded);
        Assert.Equal(OrganisationChangeStatus.Invalid, second.Status);
        Assert.Contains("already has an invitation waiting", second.Errors["Email"].Single(), StringComparison.Ordinal);
        Assert.Equal(OrganisationChangeStatus.Invalid, ofMember.Status);
        Assert.Contains("already a member", ofMember.Errors["Email"].Single(), StringComparison.Ordinal);
        Assert.Single(await Organisations.InvitationsAsync(organisation));
    }

    [Fact]
    public async Task LetOnlyOwnersInviteOwners()
    {
        var owner = await TestAccounts.CreateUserAsync(Host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(Host, owner);
        var admin = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Admin);

        var byAdmin = await Organisations.InviteAsync(organisation, admin, HostFixture.NewEmail(), OrganisationRole.Owner);
        var adminInvitesAdmin = await Organisations.InviteAsync(organisation, admin, HostFixture.NewEmail(), OrganisationRole.Admin);
        var coOwner = await OrganisationTesting.AddMemberAsync(Host, organisation, owner, OrganisationRole.Owner);

        Assert.False(byAdmin.Succeeded);
        Assert.Contains("Only an owner", byAdmin.Errors["Role"].Single(), StringComparison.Ordinal);
        Assert.True(adminInvitesAdmin.Succeeded);
        Assert.Equal(OrganisationRole.Owner, (await Organisations.MembershipAsync(organisation, coOwner))!.Role);
        Assert.DoesNotContain(await Organisations.InvitationsAsync(organisation), i => i.Role == OrganisationRole.Owner);
    }
}

/// <summary>Invitation links lapse after <c>Organisations:InvitationLifetime</c>; this host shortens it to a second.</summary>
public sealed class OrganisationInvitationLifetimeShould : IAsyncLifetime
{
    private LlmTrHostFactory host = null!;

    public async Task InitializeAsync()
    {
        host = new LlmTrHostFactory(
            await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync(),
            new Dictionary<string, string?> { ["Organisations:InvitationLifetime"] = "00:00:01" });
        _ = host.Services;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task RefuseAnInvitationOnceItHasExpired()
    {
        var owner = await TestAccounts.CreateUserAsync(host);
        var organisation = await OrganisationTesting.CreateOrganisationAsync(host, owner);
        var invitee = await TestAccounts.CreateUserAsync(host);
        var email = await OrganisationTesting.EmailOfAsync(host, invitee);
        Assert.True((await host.Organisations().InviteAsync(organisation, owner, email, OrganisationRole.Member)).Succeeded);
        var token = await OrganisationTesting.InvitationTokenAsync(host, email);

        await Poll.UntilAsync(async () => (await host.Organisations().PreviewAsync(token))!.State == InvitationState.Expired, "the invitation to expire", TimeSpan.FromSeconds(15));
        var accepted = await host.Organisations().AcceptAsync(token, invitee);

        Assert.Equal(OrganisationChangeStatus.Invalid, accepted.Change.Status);
        Assert.Contains("expired", accepted.Change.Errors["Token"].Single(), StringComparison.Ordinal);
        Assert.Null(await host.Organisations().MembershipAsync(organisation, invitee));
        Assert.Empty(await host.Organisations().InvitationsAsync(organisation));
        // An expired invitation does not block a new one.
        Assert.True((await host.Organisations().InviteAsync(organisation, owner, email, OrganisationRole.Member)).Succeeded);
    }
}
