using System.Text.RegularExpressions;
using LlmTr.Identity.Mail;
using LlmTr.Identity.Organisations;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Organisations;

/// <summary>
/// What the organisation tests share: an organisation with members who joined through a real invitation (the mail in
/// the dev mailbox, its link's token accepted), credit bought through the test checkout, and keys held by members.
/// </summary>
internal static partial class OrganisationTesting
{
    public static IOrganisations Organisations(this LlmTrHostFactory host) => host.Services.GetRequiredService<IOrganisations>();

    /// <summary>A new organisation owned by <paramref name="ownerUserId"/>; its id.</summary>
    public static async Task<string> CreateOrganisationAsync(LlmTrHostFactory host, string ownerUserId, string? name = null)
    {
        var (organisation, errors) = await host.Organisations().CreateAsync(ownerUserId, name ?? $"Team {Guid.NewGuid():N}"[..20]);
        Assert.True(organisation is not null, string.Join(" ", errors.SelectMany(e => e.Value)));
        Assert.StartsWith("org_", organisation!.Id, StringComparison.Ordinal);
        return organisation.Id;
    }

    /// <summary>Invites a user (a new one unless given) with the role and accepts the mailed link as that user; the member's id.</summary>
    public static async Task<string> AddMemberAsync(LlmTrHostFactory host, string organisationId, string actorUserId, OrganisationRole role, string? userId = null)
    {
        userId ??= await TestAccounts.CreateUserAsync(host);
        var email = await EmailOfAsync(host, userId);
        var invited = await host.Organisations().InviteAsync(organisationId, actorUserId, email, role);
        Assert.True(invited.Succeeded, $"Inviting {email} as {role}: {invited.Status} {string.Join(" ", invited.Errors.SelectMany(e => e.Value))}");
        var token = await InvitationTokenAsync(host, email);
        var (membership, change) = await host.Organisations().AcceptAsync(token, userId);
        Assert.True(change.Succeeded, $"Accepting as {email}: {change.Status} {string.Join(" ", change.Errors.SelectMany(e => e.Value))}");
        Assert.Equal(role, membership!.Role);
        return userId;
    }

    /// <summary>The token of the newest invitation link mailed to <paramref name="email"/> (waits for the mail).</summary>
    public static async Task<string> InvitationTokenAsync(LlmTrHostFactory host, string email, int skip = 0)
    {
        string? token = null;
        var mailbox = host.Services.GetRequiredService<IDevMailbox>();
        await Poll.UntilAsync(() =>
        {
            token = mailbox.Mails.Where(m => m.To == email)
                .Select(m => InvitationLink().Match(m.TextBody))
                .Where(m => m.Success)
                .Select(m => m.Groups[1].Value)
                .Skip(skip)
                .FirstOrDefault();
            return Task.FromResult(token is not null);
        }, $"an invitation mail to {email}");
        return token!;
    }

    public static async Task<string> EmailOfAsync(LlmTrHostFactory host, string userId) =>
        (await Sql.RowsAsync(host.ConnectionString, "SELECT \"Email\" FROM identity.\"AspNetUsers\" WHERE \"Id\" = @id", ("id", userId))).Single();

    /// <summary>Credit for an organisation, bought as its owners buy it: a top-up paid at the test checkout.</summary>
    public static async Task FundAsync(LlmTrHostFactory host, string accountId, decimal credit)
    {
        var started = await host.Services.GetRequiredService<ITopUps>().StartAsync(accountId, credit, new Uri("https://llmtr.test/"));
        Assert.True(started.TopUpId is not null, "The organisation's test top-up did not start.");
        var paid = await host.Services.GetRequiredService<ITestCheckout>().PayAsync(accountId, started.TopUpId!.Value);
        Assert.Equal(TopUpStatus.Completed, paid!.Status);
        var balances = host.Services.GetRequiredService<IBalanceQuery>();
        await Poll.UntilAsync(async () => (await balances.GetAsync(accountId)).Balance >= credit, "the organisation's credit to arrive");
    }

    /// <summary>A key of the organisation held by the member, once the host's key directory knows it.</summary>
    public static async Task<CreatedApiKey> MemberKeyAsync(LlmTrHostFactory host, string organisationId, string memberUserId, NewApiKey? request = null)
    {
        var created = await host.Services.GetRequiredService<IApiKeys>()
            .CreateAsync(new KeyHolder(organisationId, memberUserId, ManagesAllKeys: false), request ?? new NewApiKey($"key of {memberUserId[..8]}"));
        var key = created.Key ?? throw new InvalidOperationException(string.Join(" ", created.Errors.SelectMany(e => e.Value)));
        var authenticator = host.Services.GetRequiredService<IApiKeyAuthenticator>();
        await Poll.UntilAsync(() => Task.FromResult(authenticator.Authenticate(key.RawKey).Identity is not null), "the member's key to reach the key directory");
        return key;
    }

    [GeneratedRegex(@"/organisations/invitations/([A-Za-z0-9_\-]+)")]
    private static partial Regex InvitationLink();
}
