using LlmTr.Identity.Organisations;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Web.Tests.Support;

/// <summary>Organisations in memory: every user has a personal one; tests add shared ones, members and invitations.</summary>
internal sealed class FakeOrganisations : IOrganisations
{
    public static readonly DateTimeOffset Created = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public Dictionary<string, Organisation> Organisations { get; } = [];

    public List<(string OrganisationId, OrganisationMember Member)> Members { get; } = [];

    public List<OrganisationInvitation> Invitations { get; } = [];

    public List<OrganisationAuditEntry> Audit { get; } = [];

    public List<(string OrganisationId, string Email, OrganisationRole Role)> Invited { get; } = [];

    public List<(string OrganisationId, string UserId)> Removed { get; } = [];

    public Membership Add(string organisationId, string name, string userId, string email, OrganisationRole role)
    {
        var organisation = Organisations.TryGetValue(organisationId, out var known) ? known : Organisations[organisationId] = new Organisation(organisationId, name, false, Created);
        Members.Add((organisationId, new OrganisationMember(userId, email, role, Created)));
        return new Membership(organisation, userId, role);
    }

    public static Membership Personal(string userId) => new(new Organisation(userId, $"{userId}@example.com", true, Created), userId, OrganisationRole.Owner);

    public Task<IReadOnlyList<Membership>> MembershipsAsync(string userId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Membership>>(
            [Personal(userId), .. Members.Where(m => m.Member.UserId == userId).Select(m => new Membership(Organisations[m.OrganisationId], userId, m.Member.Role))]);

    public async Task<Membership?> MembershipAsync(string organisationId, string userId, CancellationToken cancellationToken = default) =>
        (await MembershipsAsync(userId, cancellationToken)).FirstOrDefault(m => m.OrganisationId == organisationId);

    public async Task<Membership?> SelectAsync(string userId, string? chosenOrganisationId, CancellationToken cancellationToken = default) =>
        (chosenOrganisationId is null ? null : await MembershipAsync(chosenOrganisationId, userId, cancellationToken)) ?? Personal(userId);

    public Task<Organisation?> FindAsync(string organisationId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Organisations.GetValueOrDefault(organisationId));

    public Task<(Organisation? Organisation, IReadOnlyDictionary<string, string[]> Errors)> CreateAsync(string userId, string name, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Task.FromResult<(Organisation?, IReadOnlyDictionary<string, string[]>)>((null, new Dictionary<string, string[]> { ["Name"] = ["Give the organisation a name."] }));
        }

        var membership = Add($"org_{Organisations.Count + 1}", name.Trim(), userId, $"{userId}@example.com", OrganisationRole.Owner);
        return Task.FromResult<(Organisation?, IReadOnlyDictionary<string, string[]>)>((membership.Organisation, new Dictionary<string, string[]>()));
    }

    public Task<OrganisationChange> RenameAsync(string organisationId, string actorUserId, string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(OrganisationChange.Done);

    public Task<IReadOnlyList<OrganisationMember>> MembersAsync(string organisationId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OrganisationMember>>(Members.Where(m => m.OrganisationId == organisationId).Select(m => m.Member).ToList());

    public Task<IReadOnlyList<OrganisationInvitation>> InvitationsAsync(string organisationId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OrganisationInvitation>>(Invitations);

    public Task<OrganisationChange> InviteAsync(string organisationId, string actorUserId, string email, OrganisationRole role, CancellationToken cancellationToken = default)
    {
        if (!email.Contains('@', StringComparison.Ordinal))
        {
            return Task.FromResult(OrganisationChange.Invalid("Email", "Enter an e-mail address such as name@example.com."));
        }

        Invited.Add((organisationId, email.Trim(), role));
        Invitations.Add(new OrganisationInvitation(Guid.NewGuid(), email.Trim(), role, Created, Created.AddDays(7), "owner@example.com"));
        return Task.FromResult(OrganisationChange.Done);
    }

    public Task<OrganisationChange> RevokeInvitationAsync(string organisationId, string actorUserId, Guid invitationId, CancellationToken cancellationToken = default)
    {
        Invitations.RemoveAll(i => i.Id == invitationId);
        return Task.FromResult(OrganisationChange.Done);
    }

    public Task<InvitationPreview?> PreviewAsync(string token, CancellationToken cancellationToken = default) => Task.FromResult<InvitationPreview?>(null);

    public Task<(Membership? Membership, OrganisationChange Change)> AcceptAsync(string token, string userId, CancellationToken cancellationToken = default) =>
        Task.FromResult<(Membership?, OrganisationChange)>((null, OrganisationChange.Of(OrganisationChangeStatus.NotFound)));

    public Task<OrganisationChange> ChangeRoleAsync(string organisationId, string actorUserId, string memberUserId, OrganisationRole role, CancellationToken cancellationToken = default) =>
        Task.FromResult(OrganisationChange.Done);

    public Task<OrganisationChange> RemoveAsync(string organisationId, string actorUserId, string memberUserId, CancellationToken cancellationToken = default)
    {
        Removed.Add((organisationId, memberUserId));
        Members.RemoveAll(m => m.OrganisationId == organisationId && m.Member.UserId == memberUserId);
        return Task.FromResult(OrganisationChange.Done);
    }

    public Task<IReadOnlyList<string>> BillingContactsAsync(string organisationId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task<IReadOnlyList<OrganisationSummary>> ListAsync(string? search, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OrganisationSummary>>(Organisations.Values
            .Select(o => new OrganisationSummary(o, Members.Count(m => m.OrganisationId == o.Id),
                Members.Where(m => m.OrganisationId == o.Id && m.Member.Role == OrganisationRole.Owner).Select(m => m.Member.Email).ToList()))
            .ToList());

    public Task<IReadOnlyList<OrganisationAuditEntry>> AuditAsync(string organisationId, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OrganisationAuditEntry>>(Audit);
}

/// <summary>Policies and member budgets in memory, with the validation a test needs to see a field message.</summary>
internal sealed class FakeKeyPolicies : IKeyPolicies
{
    public Dictionary<string, OrganisationPolicy> Policies { get; } = [];

    public Dictionary<(string, string), MemberBudget> Budgets { get; } = [];

    public Task<OrganisationPolicy> PolicyAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Policies.GetValueOrDefault(accountId) ?? OrganisationPolicy.None);

    public Task<IReadOnlyDictionary<string, string[]>> SetPolicyAsync(string accountId, OrganisationPolicy policy, string actorUserId, CancellationToken cancellationToken = default)
    {
        if (policy.AllowedModels.FirstOrDefault(p => ApiKeyScope.PatternProblem(p) is not null) is { } bad)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string[]>>(new Dictionary<string, string[]> { [nameof(OrganisationPolicy.AllowedModels)] = [ApiKeyScope.PatternProblem(bad)!] });
        }

        Policies[accountId] = policy;
        return Task.FromResult<IReadOnlyDictionary<string, string[]>>(new Dictionary<string, string[]>());
    }

    public Task<IReadOnlyDictionary<string, MemberBudget>> BudgetsAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, MemberBudget>>(Budgets.Where(b => b.Key.Item1 == accountId).ToDictionary(b => b.Key.Item2, b => b.Value));

    public Task<IReadOnlyDictionary<string, string[]>> SetBudgetAsync(string accountId, string userId, MemberBudget budget, string actorUserId, CancellationToken cancellationToken = default)
    {
        Budgets[(accountId, userId)] = budget;
        return Task.FromResult<IReadOnlyDictionary<string, string[]>>(new Dictionary<string, string[]>());
    }
}
