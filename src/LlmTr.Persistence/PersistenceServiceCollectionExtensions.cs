using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LlmTr.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>All migrations of every DbContext live in this assembly, one folder per context.</summary>
    public const string MigrationsAssembly = "LlmTr.Migrations";

    public const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary>Registers the shared data source and the migrator. The host calls this once.</summary>
    public static IServiceCollection AddLlmTrDatabase(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(sp.GetRequiredService<IPostgresConnectionString>().Value);
            builder.ConnectionStringBuilder.ApplicationName ??= "llmtr";
            return builder.Build();
        });
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }

    /// <summary>
    /// Registers a module's DbContext: a factory (Blazor circuits live long, so they take a context per operation)
    /// and a scoped context for request-scoped code. Its migration history lives in the module's own schema.
    /// </summary>
    public static IServiceCollection AddModuleDbContext<TContext>(this IServiceCollection services, string schema)
        where TContext : DbContext
    {
        services.AddDbContextFactory<TContext>((sp, options) => options.UseNpgsql(
            sp.GetRequiredService<NpgsqlDataSource>(),
            npgsql => npgsql.MigrationsAssembly(MigrationsAssembly).MigrationsHistoryTable(MigrationsHistoryTable, schema)));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        services.AddSingleton(new ModuleDatabase(typeof(TContext).Name, schema, typeof(TContext), async (sp, cancellationToken) =>
        {
            await using var context = await sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContextAsync(cancellationToken);
            // Creating the history table first spares a fresh database EF's logged error for reading a table that is not there yet.
            await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            await context.Database.MigrateAsync(cancellationToken);
        }));
        return services;
    }
}
