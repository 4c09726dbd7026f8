using System.Data.Common;
using LlmTr.SharedKernel;
using Npgsql;

namespace LlmTr.Identity.Audit;

/// <summary>
/// Writes audit rows with plain SQL on the caller's own transaction when it passes one: the modules' DbContexts share
/// one database, so the action and its audit row commit together without a distributed transaction.
/// </summary>
internal sealed class AdminAuditWriter(NpgsqlDataSource dataSource, TimeProvider time) : IAdminAudit
{
    internal const int MaxDetails = AuditRows.MaxDetails;

    public Task RecordAsync(AdminAction action, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action.Action);
        ArgumentException.ThrowIfNullOrWhiteSpace(action.Target);
        return AuditRows.InsertAsync(dataSource, transaction,
            """INSERT INTO identity.admin_audit ("At", "Actor", "Action", "Target", "Details") VALUES ($1, $2, $3, $4, $5)""",
            [time.GetUtcNow(), string.IsNullOrWhiteSpace(action.Actor) ? "unknown" : action.Actor.Trim(), action.Action, action.Target, AuditRows.Clip(action.Details)],
            cancellationToken);
    }
}
