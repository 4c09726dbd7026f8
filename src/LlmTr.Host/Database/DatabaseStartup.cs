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
            return; // the deployment runs the migrate command instead
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
