using LlmTr.Persistence;
using LlmTr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LlmTr.IntegrationTests.Database;

public sealed class ConcurrentMigrationShould
{
    [Fact]
    public async Task LeaveOneCorrectSchemaWhenTwoMigrateCommandsRunTogether()
    {
        var server = await PostgresServer.InstanceAsync();
        var empty = await server.CreateEmptyDatabaseAsync();
        var reference = await server.CreateMigratedDatabaseAsync();

        var runs = await Task.WhenAll(HostProcess.RunAsync(empty, "migrate"), HostProcess.RunAsync(empty, "migrate"));

        Assert.All(runs, run =>
        {
            Assert.True(run.ExitCode == 0, run.StandardError);
            Assert.Contains("The database is up to date.", run.StandardOutput, StringComparison.Ordinal);
        });
        Assert.Equal(await SchemaOfAsync(reference), await SchemaOfAsync(empty));
        Assert.Equal(await RowsAsync(reference, "SELECT \"MigrationId\" FROM identity.__ef_migrations_history ORDER BY 1"),
            await RowsAsync(empty, "SELECT \"MigrationId\" FROM identity.__ef_migrations_history ORDER BY 1"));
        Assert.Equal(["Admin", "Developer"], await RowsAsync(empty, "SELECT \"Name\" FROM identity.\"AspNetRoles\" ORDER BY 1"));
    }

    [Fact]
    public async Task WaitForTheAdvisoryLockHeldByAnotherHost()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateMigratedDatabaseAsync();
        await using var host = new LlmTrHostFactory(connectionString);
        var migrator = host.Services.GetRequiredService<DatabaseMigrator>();

        await using var otherHost = new NpgsqlConnection(connectionString);
        await otherHost.OpenAsync();
        await ExecuteAsync(otherHost, $"SELECT pg_advisory_lock({DatabaseMigrator.AdvisoryLockKey})");

        var migration = migrator.MigrateAsync();
        await Poll.UntilAsync(async () => await WaitersAsync(connectionString) == 1, "the migrator to queue on the advisory lock");
        Assert.False(migration.IsCompleted);

        await ExecuteAsync(otherHost, $"SELECT pg_advisory_unlock({DatabaseMigrator.AdvisoryLockKey})");
        await migration.WaitAsync(TimeSpan.FromMinutes(1));
    }

    private static async Task<long> WaitersAsync(string connectionString)
    {
        var rows = await RowsAsync(connectionString,
            "SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        return long.Parse(rows.Single(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<List<string>> SchemaOfAsync(string connectionString) => RowsAsync(connectionString, """
        SELECT c.table_schema || '.' || c.table_name || '.' || c.column_name || ':' || c.data_type || ':' || c.is_nullable
        FROM information_schema.columns c
        WHERE c.table_schema IN ('identity', 'hangfire')
        UNION ALL
        SELECT schemaname || '.' || indexname || ':' || indexdef FROM pg_indexes WHERE schemaname IN ('identity', 'hangfire')
        ORDER BY 1
        """);

    private static async Task<List<string>> RowsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
