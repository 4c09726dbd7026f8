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
    internal const int MaxDetails = 2000;

    public async Task RecordAsync(AdminAction action, DbTransaction? transaction, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action.Action);
        ArgumentException.ThrowIfNullOrWhiteSpace(action.Target);
        var details = action.Details is { Length: > MaxDetails } long_ ? long_[..MaxDetails] : action.Details;

        await using var own = transaction is null ? await dataSource.OpenConnectionAsync(cancellationToken) : null;
        var connection = (NpgsqlConnection)(transaction?.Connection ?? own)!;
        await using var command = new NpgsqlCommand(
            """INSERT INTO identity.admin_audit ("At", "Actor", "Action", "Target", "Details") VALUES ($1, $2, $3, $4, $5)""",
            connection, (NpgsqlTransaction?)transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter { Value = string.IsNullOrWhiteSpace(action.Actor) ? "unknown" : action.Actor.Trim() });
        command.Parameters.Add(new NpgsqlParameter { Value = action.Action });
        command.Parameters.Add(new NpgsqlParameter { Value = action.Target });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)details ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
