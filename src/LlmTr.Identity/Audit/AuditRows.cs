using System.Data.Common;
using Npgsql;

namespace LlmTr.Identity.Audit;

/// <summary>
/// Writes one audit row with plain SQL on the caller's own transaction when it passes one (the modules' DbContexts share
/// one database, so a change and its audit row commit together without a distributed transaction), else on a
/// connection of its own.
/// </summary>
internal static class AuditRows
{
    public const int MaxDetails = 2000;

    public static async Task InsertAsync(
        NpgsqlDataSource dataSource, DbTransaction? transaction, string sql, object?[] values, CancellationToken cancellationToken)
    {
        await using var own = transaction is null ? await dataSource.OpenConnectionAsync(cancellationToken) : null;
        var connection = (NpgsqlConnection)(transaction?.Connection ?? own)!;
        await using var command = new NpgsqlCommand(sql, connection, (NpgsqlTransaction?)transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Details longer than the column are cut to it.</summary>
    public static string? Clip(string? details) => details is { Length: > MaxDetails } longer ? longer[..MaxDetails] : details;
}
