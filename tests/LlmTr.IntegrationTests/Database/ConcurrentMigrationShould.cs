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
        Assert.Equal(await Sql.RowsAsync(reference, "SELECT \"MigrationId\" FROM identity.__ef_migrations_history ORDER BY 1"),
            await Sql.RowsAsync(empty, "SELECT \"MigrationId\" FROM identity.__ef_migrations_history ORDER BY 1"));
        Assert.Equal(["Admin", "Developer"], await Sql.RowsAsync(empty, "SELECT \"Name\" FROM identity.\"AspNetRoles\" ORDER BY 1"));
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
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({DatabaseMigrator.AdvisoryLockKey})", otherHost))
        {
            await take.ExecuteNonQueryAsync();
        }

        var migration = migrator.MigrateAsync();
        await Poll.UntilAsync(async () => await WaitersAsync(connectionString) == 1, "the migrator to queue on the advisory lock");
        Assert.False(migration.IsCompleted);

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DatabaseMigrator.AdvisoryLockKey})", otherHost))
        {
            await release.ExecuteNonQueryAsync();
        }
        await migration.WaitAsync(TimeSpan.FromMinutes(1));
    }

    private static Task<long> WaitersAsync(string connectionString) => Sql.CountAsync(connectionString,
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

    private static Task<List<string>> SchemaOfAsync(string connectionString) => Sql.RowsAsync(connectionString, """
        SELECT c.table_schema || '.' || c.table_name || '.' || c.column_name || ':' || c.data_type || ':' || c.is_nullable
        FROM information_schema.columns c
        WHERE c.table_schema IN ('identity', 'hangfire')
        UNION ALL
        SELECT schemaname || '.' || indexname || ':' || indexdef FROM pg_indexes WHERE schemaname IN ('identity', 'hangfire')
        ORDER BY 1
        """);

}
