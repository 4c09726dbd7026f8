using LlmTr.Identity.Closing;
using LlmTr.Identity.Organisations;
using LlmTr.IntegrationTests.Billing;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Accounts;

/// <summary>
/// Deleting an account that belongs to shared organisations: the only owner of one with other members must hand it over
/// first; any other member leaves every shared organisation, and their keys there stop, while each organisation keeps
/// its balance and the others' keys.
/// </summary>
public sealed class AccountDeletionInOrganisationsShould : IAsyncLifetime
{
    private LlmTrHostFactory host = null!;

    public async Task InitializeAsync()
    {
        host = new LlmTrHostFactory(await (await PostgresServer.InstanceAsync()).CreateMigratedDatabaseAsync(), BillingTesting.FastUsageWrites());
        _ = host.Services;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task RefuseTheOnlyOwnerOfAnOrganisationWithMembersUntilTheyHandItOver()
    {
        var organisations = host.Services.GetRequiredService<IOrganisations>();
        var owner = await TestAccounts.CreateUserAsync(host);
        var member = await TestAccounts.CreateUserAsync(host);
        var (organisation, _) = await organisations.CreateAsync(owner, "Acme");
        await JoinAsync(organisation!.Id, owner, member, OrganisationRole.Member);
        var closure = host.Services.GetRequiredService<IAccountClosure>();

        Assert.Equal(ClosureStart.LastOwner, await closure.BeginAsync(owner));

        Assert.True((await organisations.ChangeRoleAsync(organisation.Id, owner, member, OrganisationRole.Owner)).Succeeded);
        Assert.Equal(ClosureStart.Started, await closure.BeginAsync(owner));
    }

    [Fact]
    public async Task TakeADeletedMemberOutOfEverySharedOrganisation()
    {
        var organisations = host.Services.GetRequiredService<IOrganisations>();
        var owner = await TestAccounts.CreateUserAsync(host);
        var member = await TestAccounts.CreateUserAsync(host);
        var (organisation, _) = await organisations.CreateAsync(owner, "Acme");
        await JoinAsync(organisation!.Id, owner, member, OrganisationRole.Admin);
        var keys = host.Services.GetRequiredService<IApiKeys>();
        var memberKey = (await keys.CreateAsync(new KeyHolder(organisation.Id, member, true), new NewApiKey("member key"))).Key!;
        var ownerKey = (await keys.CreateAsync(new KeyHolder(organisation.Id, owner, true), new NewApiKey("owner key"))).Key!;
        var closure = host.Services.GetRequiredService<IAccountClosure>();

        Assert.Equal(ClosureStart.Started, await closure.BeginAsync(member));
        await host.Services.GetRequiredService<IApiKeyAdministration>().RevokeAllAsync(member, member);
        Assert.True(await closure.CompleteAsync(member));

        Assert.Equal([owner], (await organisations.MembersAsync(organisation.Id)).Select(m => m.UserId));
        Assert.Null(await organisations.MembershipAsync(organisation.Id, member));
        var all = await keys.ListAsync(KeyHolder.Reader(organisation.Id));
        Assert.NotNull(all.Single(k => k.Id == memberKey.Id).RevokedAt);
        Assert.Null(all.Single(k => k.Id == ownerKey.Id).RevokedAt);
    }

    /// <summary>Invites <paramref name="userId"/> and accepts with the token from the mail sent.</summary>
    private async Task JoinAsync(string organisationId, string ownerId, string userId, OrganisationRole role)
    {
        var organisations = host.Services.GetRequiredService<IOrganisations>();
        var email = await MailedLinks.EmailOfAsync(host, userId);
        Assert.True((await organisations.InviteAsync(organisationId, ownerId, email, role)).Succeeded);
        string? token = null;
        await Poll.UntilAsync(() =>
        {
            token = MailedLinks.MailsTo(host, email)
                .Select(mail => System.Text.RegularExpressions.Regex.Match(mail.TextBody, @"/organisations/invitations/([A-Za-z0-9_-]+)"))
                .FirstOrDefault(match => match.Success)?.Groups[1].Value;
            return Task.FromResult(token is not null);
        }, $"the invitation mail to {email}");
        var (membership, change) = await organisations.AcceptAsync(token!, userId);
        Assert.True(change.Succeeded);
        Assert.Equal(role, membership!.Role);
    }
}
