using LlmTr.Persistence;
using LlmTr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.IntegrationTests.Database;

public sealed class MigrationsShould
{
    [Fact]
    public async Task ApplyToAnEmptyDatabaseAndLeaveNoPendingModelChanges()
    {
        var server = await PostgresServer.InstanceAsync();
        var connectionString = await server.CreateEmptyDatabaseAsync();
        await using var host = new LlmTrHostFactory(connectionString);

        var services = host.Services; // the host migrates at start
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(); // and a second run finds nothing to do

        var modules = services.GetServices<ModuleDatabase>().ToList();
        Assert.Contains(modules, m => m.Schema == "identity" && m.ContextType is not null);
        foreach (var module in modules.Where(m => m.ContextType is not null))
        {
            await using var context = CreateContext(services, module.ContextType!);
            Assert.Empty(await context.Database.GetPendingMigrationsAsync());
            Assert.NotEmpty(await context.Database.GetAppliedMigrationsAsync());
            Assert.False(context.Database.HasPendingModelChanges(), $"{module.Name} has model changes without a migration.");
            Assert.Equal(module.Schema, context.Model.GetDefaultSchema());
            Assert.Equal(1, await Sql.CountAsync(connectionString,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = @schema AND table_name = @table",
                ("schema", module.Schema), ("table", PersistenceServiceCollectionExtensions.MigrationsHistoryTable)));
        }

        Assert.True(await Sql.CountAsync(connectionString, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'hangfire'") > 5,
            "Hangfire's tables are installed by the migrator.");
    }

    internal static DbContext CreateContext(IServiceProvider services, Type contextType)
    {
        var factory = services.GetRequiredService(typeof(IDbContextFactory<>).MakeGenericType(contextType));
        return (DbContext)factory.GetType().GetMethod(nameof(IDbContextFactory<DbContext>.CreateDbContext), Type.EmptyTypes)!.Invoke(factory, null)!;
    }

}
