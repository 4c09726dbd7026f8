namespace LlmTr.Identity.Organisations;

internal sealed class OrganisationRecord
{
    public required string Id { get; init; }

    public required string Name { get; set; }

    public bool Personal { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class MembershipRecord
{
    public required string OrganisationId { get; init; }

    public required string UserId { get; init; }

    public OrganisationRole Role { get; set; }

    public DateTimeOffset JoinedAt { get; init; }
}

internal sealed class InvitationRecord
{
    public Guid Id { get; init; }

    public required string OrganisationId { get; init; }

    public required string Email { get; init; }

    public required string NormalizedEmail { get; init; }

    public OrganisationRole Role { get; init; }

    /// <summary>SHA-256 of the token in the link; the token itself is only in the e-mail.</summary>
    public required byte[] TokenHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public required string InvitedBy { get; init; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public string? AcceptedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class OrganisationAuditRecord
{
    public long Id { get; init; }

    public required string OrganisationId { get; init; }

    public DateTimeOffset At { get; init; }

    public required string ActorUserId { get; init; }

    public required string Action { get; init; }

    public string? Target { get; init; }

    public string? Details { get; init; }
}
