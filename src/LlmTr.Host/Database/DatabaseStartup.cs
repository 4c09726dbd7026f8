using LlmTr.Host.Demo;
using LlmTr.Identity;
using LlmTr.Persistence;
using Microsoft.Extensions.Options;

namespace LlmTr.Host.Database;

/// <summary>
/// Runs first among the hosted services: migrates every schema (behind the advisory lock), makes sure the roles exist,
/// and loads the demo data when demo mode is on. Jobs and pages start only after it.
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
            return; // the deployment runs the migrate command, which also creates the roles
        }

        await migrator.MigrateAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountProvisioning>().EnsureRolesAsync();
        if (demo.Enabled)
        {
            seeded.Credentials = await scope.ServiceProvider.GetRequiredService<DemoSeed>().SeedAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Hosts migrate at start by default; turn off where a deployment step runs the migrate command instead.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
