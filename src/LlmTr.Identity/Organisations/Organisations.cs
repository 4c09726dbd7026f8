namespace LlmTr.Identity.Organisations;

/// <summary>
/// What a member of an organisation may do. Every role may use its own keys and the playground; the rest is granted
/// by <see cref="OrganisationRoles.Can"/>.
/// </summary>
public enum OrganisationRole
{
    Owner,
    Admin,
    Billing,
    Member,
}

public enum OrganisationPermission
{
    /// <summary>Invite, remove and change the role of members (only owners touch owners).</summary>
    ManageMembers,

    /// <summary>See and revoke every key of the organisation, not only one's own; set member budgets.</summary>
    ManageKeys,

    /// <summary>Change the organisation's residency, retention, model and rate policy.</summary>
    ManagePolicies,

    /// <summary>Top up, read receipts, edit the invoice details (legal name, tax office, tax number, address).</summary>
    ManageBilling,

    /// <summary>Usage of every member and key, and the organisation's residency report.</summary>
    ViewReports,

    /// <summary>The organisation's audit log.</summary>
    ViewAudit,

    /// <summary>Rename the organisation and make or remove owners.</summary>
    Own,
}

public static class OrganisationRoles
{
    public static bool Can(this OrganisationRole role, OrganisationPermission permission) => role switch
    {
        OrganisationRole.Owner => true,
        OrganisationRole.Admin => permission is OrganisationPermission.ManageMembers or OrganisationPermission.ManageKeys
            or OrganisationPermission.ManagePolicies or OrganisationPermission.ViewReports or OrganisationPermission.ViewAudit,
        OrganisationRole.Billing => permission is OrganisationPermission.ManageBilling or OrganisationPermission.ViewReports,
        _ => false,
    };

    /// <summary>The lower-case name used in forms, URLs and the audit log.</summary>
    public static string Name(this OrganisationRole role) => role.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out OrganisationRole role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(value, out _);
}

/// <param name="Personal">
/// The organisation every account has from the start, whose id is the user's id: the balance, keys and usage an
/// account had before organisations existed are this organisation's, unchanged.
/// </param>
public sealed record Organisation(string Id, string Name, bool Personal, DateTimeOffset CreatedAt);

public sealed record Membership(Organisation Organisation, string UserId, OrganisationRole Role)
{
    public string OrganisationId => Organisation.Id;

    public bool Can(OrganisationPermission permission) => Role.Can(permission);
}

public sealed record OrganisationMember(string UserId, string Email, OrganisationRole Role, DateTimeOffset JoinedAt);

public sealed record OrganisationInvitation(Guid Id, string Email, OrganisationRole Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string InvitedByEmail);

/// <summary>What an invitation link shows before it is accepted.</summary>
public sealed record InvitationPreview(string OrganisationId, string OrganisationName, string Email, OrganisationRole Role, InvitationState State);

public enum InvitationState
{
    Pending,
    Accepted,
    Expired,
    Revoked,
}

public sealed record OrganisationSummary(Organisation Organisation, int Members, IReadOnlyList<string> OwnerEmails);

public sealed record OrganisationAuditEntry(long Id, DateTimeOffset At, string Actor, string Action, string? Target, string? Details);

/// <summary>The outcome of a change to a member or an invitation; <see cref="Errors"/> are per form field.</summary>
public sealed record OrganisationChange(OrganisationChangeStatus Status, IReadOnlyDictionary<string, string[]> Errors)
{
    public static OrganisationChange Done { get; } = new(OrganisationChangeStatus.Done, new Dictionary<string, string[]>());

    public static OrganisationChange Of(OrganisationChangeStatus status) => new(status, new Dictionary<string, string[]>());

    public static OrganisationChange Invalid(string field, string message) =>
        new(OrganisationChangeStatus.Invalid, new Dictionary<string, string[]> { [field] = [message] });

    public bool Succeeded => Status == OrganisationChangeStatus.Done;
}

public enum OrganisationChangeStatus
{
    Done,
    Invalid,

    /// <summary>No such organisation, member or invitation (or the actor is not a member: answered the same way).</summary>
    NotFound,

    /// <summary>The actor's role does not allow it.</summary>
    Forbidden,

    /// <summary>The organisation would be left without an owner.</summary>
    LastOwner,

    /// <summary>A personal organisation has exactly one member, its account.</summary>
    Personal,
}

/// <summary>
/// Organisations, their members and invitations. Every account has a personal organisation; a user may belong to
/// several more. Each change checks the actor's role itself (pages check too, to show only what may be done) and is
/// written to the organisation's audit log in the same transaction.
/// </summary>
public interface IOrganisations
{
    /// <summary>Every organisation the user belongs to, the personal one first (created here if it is missing).</summary>
    Task<IReadOnlyList<Membership>> MembershipsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The user's membership of that organisation, or null when they are not a member (or it does not exist).</summary>
    Task<Membership?> MembershipAsync(string organisationId, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The organisation a signed-in user acts in: the one they chose (<see cref="OrganisationSelection.CookieName"/>)
    /// while they are a member of it, else their personal one; null only for an unknown user.
    /// </summary>
    Task<Membership?> SelectAsync(string userId, string? chosenOrganisationId, CancellationToken cancellationToken = default);

    /// <summary>The organisation with that id (a shared one, or an account's personal one once it is made), or null.</summary>
    Task<Organisation?> FindAsync(string organisationId, CancellationToken cancellationToken = default);

    /// <summary>A new organisation owned by the user.</summary>
    Task<(Organisation? Organisation, IReadOnlyDictionary<string, string[]> Errors)> CreateAsync(string userId, string name, CancellationToken cancellationToken = default);

    Task<OrganisationChange> RenameAsync(string organisationId, string actorUserId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OrganisationMember>> MembersAsync(string organisationId, CancellationToken cancellationToken = default);

    /// <summary>The invitations still waiting for an answer.</summary>
    Task<IReadOnlyList<OrganisationInvitation>> InvitationsAsync(string organisationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Invites an address with a role and mails it a link (valid for <see cref="OrganisationOptions.InvitationLifetime"/>),
    /// through the site's mail sending. Only owners invite owners.
    /// </summary>
    Task<OrganisationChange> InviteAsync(string organisationId, string actorUserId, string email, OrganisationRole role, CancellationToken cancellationToken = default);

    Task<OrganisationChange> RevokeInvitationAsync(string organisationId, string actorUserId, Guid invitationId, CancellationToken cancellationToken = default);

    /// <summary>What the link's token invites to, or null for a token that was never issued.</summary>
    Task<InvitationPreview?> PreviewAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the user a member. The user's e-mail must be the invited address (the link proves that mailbox, so an
    /// unconfirmed address is confirmed by it). Already a member: the invitation is used up, the role stays.
    /// </summary>
    Task<(Membership? Membership, OrganisationChange Change)> AcceptAsync(string token, string userId, CancellationToken cancellationToken = default);

    Task<OrganisationChange> ChangeRoleAsync(string organisationId, string actorUserId, string memberUserId, OrganisationRole role, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a member (or, when actor and member are the same, leaves). Publishes <see cref="OrganisationMemberRemoved"/>
    /// after the commit, on which the member's keys in the organisation are revoked on every host.
    /// </summary>
    Task<OrganisationChange> RemoveAsync(string organisationId, string actorUserId, string memberUserId, CancellationToken cancellationToken = default);

    /// <summary>The addresses of the members who look after money (owners and billing members).</summary>
    Task<IReadOnlyList<string>> BillingContactsAsync(string organisationId, CancellationToken cancellationToken = default);

    /// <summary>Every organisation (for the admin console), newest first, optionally those whose name or member e-mails contain <paramref name="search"/>.</summary>
    Task<IReadOnlyList<OrganisationSummary>> ListAsync(string? search, int limit, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<OrganisationAuditEntry>> AuditAsync(string organisationId, int limit, CancellationToken cancellationToken = default);
}

/// <summary>Published once a member has left or been removed; handlers revoke what the member held in the organisation.</summary>
public sealed record OrganisationMemberRemoved(string OrganisationId, string UserId, string ActorUserId) : SharedKernel.IIntegrationEvent;

public static class OrganisationSelection
{
    /// <summary>The cookie that remembers which organisation the browser's user acts in (an id; membership is checked on every use).</summary>
    public const string CookieName = "llmtr.org";
}

public static class OrganisationRequests
{
    /// <summary>
    /// The membership a request acts in: the signed-in user's chosen organisation (the <see cref="OrganisationSelection.CookieName"/>
    /// cookie) while they belong to it, else their personal one; null without a signed-in user.
    /// </summary>
    public static async Task<Membership?> CurrentAsync(this IOrganisations organisations, Microsoft.AspNetCore.Http.HttpContext http) =>
        http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } userId
            ? await organisations.SelectAsync(userId, http.Request.Cookies[OrganisationSelection.CookieName], http.RequestAborted)
            : null;
}
