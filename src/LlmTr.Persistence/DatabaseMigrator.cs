using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmTr.Persistence;

/// <summary>
/// Brings every module's schema up to date in a fixed order. A session-level PostgreSQL advisory lock makes
/// hosts that start together take turns: the first migrates, the others find nothing left to do.
/// </summary>
public sealed partial class DatabaseMigrator(
    IEnumerable<ModuleDatabase> databases,
    NpgsqlDataSource dataSource,
    IServiceProvider services,
    ILogger<DatabaseMigrator> logger)
{
    /// <summary>Arbitrary but fixed: every LLMTR host agrees on it.</summary>
    public const long AdvisoryLockKey = 0x4C4C4D_5452_0001;

    /// <param name="thenWhileLocked">Work that must not race another host either (loading demo data), run after migrating.</param>
    public async Task MigrateAsync(Func<CancellationToken, Task>? thenWhileLocked = null, CancellationToken cancellationToken = default)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            acquire.Parameters.AddWithValue("key", AdvisoryLockKey);
            acquire.CommandTimeout = 0; // waiting for another host's migration is expected
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            foreach (var database in databases)
            {
                LogMigrating(logger, database.Name, database.Schema);
                await database.MigrateAsync(services, cancellationToken);
            }

            if (thenWhileLocked is not null)
            {
                await thenWhileLocked(cancellationToken);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The schemas of the registered databases that the database does not have at all: a database the migrator never
    /// ran on. One query, no lock; it does not tell an up-to-date schema from an older one.
    /// </summary>
    public async Task<IReadOnlyList<string>> MissingSchemasAsync(CancellationToken cancellationToken = default)
    {
        var expected = databases.Select(d => d.Schema).Distinct(StringComparer.Ordinal).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var query = new NpgsqlCommand("SELECT nspname FROM pg_namespace WHERE nspname = ANY(@schemas)", connection);
        query.Parameters.AddWithValue("schemas", expected);
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }

        return expected.Where(schema => !present.Contains(schema)).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrating {Database} (schema {Schema})")]
    private static partial void LogMigrating(ILogger logger, string database, string schema);
}
