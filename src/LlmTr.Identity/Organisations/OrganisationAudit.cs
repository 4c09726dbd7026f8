using System.Data.Common;
using LlmTr.Identity.Audit;
using Npgsql;

namespace LlmTr.Identity.Organisations;

/// <summary>
/// The audit log of one organisation: member, key, policy and billing changes, visible to its owners and admins. Each
/// module records its own changes here, inside the change's transaction when it has one.
/// </summary>
public interface IOrganisationAudit
{
    /// <param name="transaction">The change's open transaction on the shared database, or null to write on a connection of its own.</param>
    Task RecordAsync(OrganisationAuditEvent entry, DbTransaction? transaction, CancellationToken cancellationToken = default);
}

/// <param name="Target">What the change was made to, as <c>kind:id</c> (<c>member:…</c>, <c>key:…</c>, <c>invitation:…</c>).</param>
/// <param name="Details">A short summary, never a secret.</param>
public sealed record OrganisationAuditEvent(string OrganisationId, string ActorUserId, string Action, string? Target = null, string? Details = null);

public static class OrganisationActions
{
    public const string Created = "organisation.created";
    public const string Renamed = "organisation.renamed";
    public const string MemberInvited = "member.invited";
    public const string InvitationRevoked = "member.invitation-revoked";
    public const string MemberJoined = "member.joined";
    public const string RoleChanged = "member.role-changed";
    public const string MemberRemoved = "member.removed";
    public const string MemberLeft = "member.left";
    public const string KeyCreated = "key.created";
    public const string KeyRotated = "key.rotated";
    public const string KeyRevoked = "key.revoked";
    public const string PolicyChanged = "policy.changed";
    public const string BudgetChanged = "budget.changed";
    public const string TopUpStarted = "billing.top-up-started";
    public const string TopUpCompleted = "billing.top-up-completed";
    public const string BillingDetailsChanged = "billing.details-changed";
    public const string ThresholdChanged = "billing.threshold-changed";
}

internal sealed class OrganisationAuditWriter(NpgsqlDataSource dataSource, TimeProvider time) : IOrganisationAudit
{
    internal const int MaxDetails = AuditRows.MaxDetails;

    public Task RecordAsync(OrganisationAuditEvent entry, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.OrganisationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Action);
        return AuditRows.InsertAsync(dataSource, transaction,
            """
            INSERT INTO identity.organisation_audit ("OrganisationId", "At", "ActorUserId", "Action", "Target", "Details")
            VALUES ($1, $2, $3, $4, $5, $6)
            """,
            [entry.OrganisationId, time.GetUtcNow(), string.IsNullOrWhiteSpace(entry.ActorUserId) ? "unknown" : entry.ActorUserId, entry.Action, entry.Target, AuditRows.Clip(entry.Details)],
            cancellationToken);
    }
}
