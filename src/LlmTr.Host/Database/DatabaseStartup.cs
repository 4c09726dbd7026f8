using LlmTr.Host.Demo;
using LlmTr.Persistence;
using Microsoft.Extensions.Options;

namespace LlmTr.Host.Database;

/// <summary>
/// Runs first among the hosted services: migrates every schema and, in demo mode, loads the demo data, both behind
/// the advisory lock so hosts starting together do not race. Jobs and pages start only after it.
/// </summary>
internal sealed class DatabaseStartup(
    DatabaseMigrator migrator,
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    DemoMode demo,
    DemoSeedResult seeded) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStart)
        {
            // The deployment runs the migrate command instead. Nothing installs a schema behind its back (Hangfire's
            // tables too are the migrator's), so a database it never ran on is refused here, by name, rather than
            // served until the first page or job fails on a missing table.
            if (await migrator.MissingSchemasAsync(cancellationToken) is { Count: > 0 } missing)
            {
                throw new InvalidOperationException(
                    $"LLMTR cannot start: the database has not been migrated (no schema {string.Join(", ", missing)}). Run the migrate command "
                    + "(dotnet LlmTr.Host.dll migrate) before starting hosts with Database:MigrateOnStart=false, or set it to true.");
            }

            return;
        }

        await migrator.MigrateAsync(
            demo.Enabled ? async _ =>
            {
                await using var scope = scopes.CreateAsyncScope();
                seeded.Credentials = await scope.ServiceProvider.GetRequiredService<DemoSeed>().SeedAsync();
            }
            : null,
            cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Hosts migrate at start by default; turn off where a deployment step runs the migrate command instead.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
